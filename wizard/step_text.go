package wizard

import (
	"strings"

	"github.com/dockertls/dockertls/assets"
)

// stepWhy is the newcomer's explanation of a step (assets/steps/NAME.md,
// without its title line): what the step is for and why it matters.
func stepWhy(n StepName) string {
	data, err := assets.FS.ReadFile("steps/" + string(n) + ".md")
	if err != nil {
		return ""
	}
	text := strings.TrimSpace(string(data))
	if strings.HasPrefix(text, "# ") {
		if _, rest, ok := strings.Cut(text, "\n"); ok {
			text = strings.TrimSpace(rest)
		} else {
			text = ""
		}
	}
	return text
}

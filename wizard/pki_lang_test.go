package wizard

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/pki"
)

// TestPKIFindingsInChineseAndGerman: the PKI directory opened to everyone
// by hand (chmod 755) is found by the real ca check, its finding and fix
// (pki's words) in the session's language with the path and the chmod
// command unchanged.
func TestPKIFindingsInChineseAndGerman(t *testing.T) {
	for lang, words := range map[i18n.Lang][]string{
		i18n.Chinese: {"的权限是 0755", "本机的其他用户"},
		i18n.German:  {"hat den Modus 0755", "andere Benutzer dieses Rechners"},
	} {
		t.Run(string(lang), func(t *testing.T) {
			dir := t.TempDir()
			pkiDir := filepath.Join(dir, "pki")
			text := fmt.Sprintf("dir: %s\nca: {key: ecdsa-p256}\ndaemon: {ssh: local, key: ecdsa-p256}\n", pkiDir)
			r := NewRunner(loadPlanText(t, dir, text), headlessYes{}, Options{Yes: true, Localizer: i18n.New(lang)})
			defer r.Close()
			ctx := context.Background()
			if err := r.Run(ctx, []StepName{StepCA}, nil); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(pkiDir, 0o755); err != nil {
				t.Fatal(err)
			}
			var found *Finding
			for _, f := range r.Check(ctx, StepCA) {
				if f.Code == pki.CodeDirPermissions {
					found = &f
				}
			}
			if found == nil {
				t.Fatalf("the open PKI directory is not found: %+v", r.Check(ctx, StepCA))
			}
			for _, w := range append(words, pkiDir) {
				if !strings.Contains(found.Message, w) {
					t.Errorf("the finding lacks %q: %s", w, found.Message)
				}
			}
			if strings.Contains(found.Message, "other users") || strings.Contains(found.Message, "has mode") {
				t.Errorf("the finding is still English: %s", found.Message)
			}
			if got := found.Fix.String(); got != "chmod 0700 "+pkiDir {
				t.Errorf("fix %q, want chmod 0700 %s", got, pkiDir)
			}
		})
	}
}

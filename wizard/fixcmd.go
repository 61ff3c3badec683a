package wizard

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/dockertls/dockertls/internal/shellquote"
)

// DefaultPlanFile is the plan every command reads when -f is not given.
const DefaultPlanFile = "dockertls.yaml"

// PlanFlag is " -f PLAN" for a command line suggested to the user, with the
// plan's path as they would type it in the working directory (relative when
// the plan is below it, quoted when the shell needs it), or "" when the plan
// is ./dockertls.yaml, which every command reads by default. A plan not
// saved anywhere yet is named by the placeholder PLAN.
func (s *Session) PlanFlag() string {
	p := s.Plan()
	if p == nil || p.Path == "" {
		return " -f PLAN"
	}
	if name := p.FleetName(); name != "" {
		// One daemon of a plan with daemons: the command is for it alone.
		return planFileFlag(p.Path) + " --daemon " + shellquote.POSIX(name)
	}
	return planFileFlag(p.Path)
}

// planFileFlag is " -f PATH" as the user would type it, "" for the
// default plan file.
func planFileFlag(path string) string {
	name := path
	if wd, err := os.Getwd(); err == nil && filepath.IsAbs(name) {
		if rel, err := filepath.Rel(wd, name); err == nil && !strings.HasPrefix(rel, "..") {
			name = rel
		}
	}
	if filepath.Clean(name) == DefaultPlanFile {
		return ""
	}
	return " -f " + shellquote.POSIX(name)
}

// Command is a dockertls command line for this plan: Command("apply",
// "--step", "ca") is "dockertls apply --step ca" for ./dockertls.yaml and
// "dockertls apply -f class.yaml --step ca" for class.yaml.
func (s *Session) Command(sub string, args ...string) string {
	line := "dockertls " + sub + s.PlanFlag()
	if len(args) > 0 {
		line += " " + strings.Join(args, " ")
	}
	return line
}

// applyStep is the command that runs one step of this plan.
func (s *Session) applyStep(step StepName, more ...string) string {
	return s.Command("apply", append([]string{"--step", string(step)}, more...)...)
}

// ForPlan makes every dockertls command in a text (a fix from wizard/probe
// or wizard/daemon, which do not know the plan file) one for this plan: the
// placeholder " -f PLAN" becomes the plan's flag, and a plan-reading
// subcommand without -f gets it. Text that already names a plan is kept.
func (s *Session) ForPlan(text string) string {
	if !strings.Contains(text, "dockertls ") {
		return text
	}
	flag := s.PlanFlag()
	text = strings.ReplaceAll(text, " -f PLAN", flag)
	var b strings.Builder
	for {
		i := strings.Index(text, "dockertls ")
		if i < 0 {
			b.WriteString(text)
			return b.String()
		}
		b.WriteString(text[:i])
		text = text[i:]
		sub := planSubcommand(text[len("dockertls "):])
		if sub == "" {
			b.WriteString("dockertls ")
			text = text[len("dockertls "):]
			continue
		}
		head := "dockertls " + sub
		b.WriteString(head)
		text = text[len(head):]
		if flag != "" && !strings.HasPrefix(text, " -f ") && !strings.HasPrefix(text, " --file") {
			b.WriteString(flag)
		}
		if sub == "apply" {
			if n, ok := needsYes(text); ok {
				b.WriteString(text[:n] + " --yes")
				text = text[n:]
			}
		}
	}
}

// needsYes says whether the arguments of an apply command line (the
// text after "dockertls apply", up to the end of the command in a
// sentence) run a step that changes the daemon's host, which a headless
// run does only with --yes, and the line does not say --yes yet: a fix
// the user copies must work as it is. n is where the arguments end.
func needsYes(rest string) (n int, ok bool) {
	steps, remote := 0, false
	pos := 0
	for {
		tok, end := nextWord(rest, pos)
		if tok == "" || !strings.HasPrefix(tok, "-") {
			break
		}
		flag := strings.TrimRight(tok, ".,:;)")
		switch flag {
		case "--yes", "-y", "--dry-run":
			return 0, false
		case "-f", "--file", "--step", "--daemon", "--parallel":
			if flag != tok {
				break // the sentence ends after the flag
			}
			val, vend := nextWord(rest, end)
			if val == "" {
				return pos, false
			}
			v := strings.TrimRight(val, ".,:;)")
			if flag == "--step" {
				steps++
				remote = remote || v == string(StepDistribute) || v == string(StepDaemonConfig)
			}
			end = vend - (len(val) - len(v))
			if v != val {
				pos = end
				return pos, remote || steps == 0
			}
		}
		pos = end
		if flag != tok {
			pos = end - (len(tok) - len(flag))
			break
		}
	}
	return pos, remote || steps == 0
}

// nextWord is the space-separated word of s after position i (a word
// quoted with ' is one word) and where it ends.
func nextWord(s string, i int) (string, int) {
	if i >= len(s) || s[i] != ' ' {
		return "", i
	}
	start := i + 1
	j := start
	if j < len(s) && s[j] == '\'' {
		if k := strings.IndexByte(s[j+1:], '\''); k >= 0 {
			j += k + 2
		}
	}
	for j < len(s) && s[j] != ' ' && s[j] != '`' && s[j] != '"' && s[j] != '(' && s[j] != '\n' {
		j++
	}
	return s[start:j], j
}

// planSubcommand is the subcommand at the start of s when it reads a plan
// (and is a whole word there), else "".
func planSubcommand(s string) string {
	for _, sub := range []string{"apply", "doctor", "verify", "env", "wizard"} {
		rest, ok := strings.CutPrefix(s, sub)
		if !ok {
			continue
		}
		if rest == "" || strings.ContainsAny(rest[:1], " )\"'`.,;:") {
			return sub
		}
	}
	return ""
}

// findingsForPlan names this plan in every finding's fix.
func (s *Session) findingsForPlan(fs []Finding) []Finding {
	for i := range fs {
		fs[i].Fix = s.ForPlan(fs[i].Fix)
	}
	return fs
}

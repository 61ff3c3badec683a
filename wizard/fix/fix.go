// Package fix is what to do about a problem, as data: words with the
// dockertls command lines in them kept as commands (subcommand, steps,
// flags) until the text is shown. Only then, in Renderer, is the plan file
// named (-f, left out for ./dockertls.yaml) and quoted for the user's
// shell. The probes and the daemon checks, which do not know the plan
// file, build fixes with it; nothing patches a finished string afterwards.
package fix

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/dockertls/dockertls/internal/shellquote"
)

// DefaultPlanFile is the plan every command reads when -f is not given.
const DefaultPlanFile = "dockertls.yaml"

// Command is a dockertls command line a fix suggests.
type Command struct {
	Sub   string   `json:"subcommand"`      // apply | doctor | verify | env | wizard
	Steps []string `json:"steps,omitempty"` // --step values, in order
	Flags []string `json:"flags,omitempty"` // --yes, --persist, --fix …, after the steps
}

// Apply is `dockertls apply` for the steps (all steps when none).
func Apply(steps ...string) Command { return Command{Sub: "apply", Steps: steps} }

// Run is `dockertls SUB` with flags (doctor, verify, env, wizard).
func Run(sub string, flags ...string) Command { return Command{Sub: sub, Flags: flags} }

// With is c with more flags.
func (c Command) With(flags ...string) Command {
	c.Flags = append(append([]string(nil), c.Flags...), flags...)
	return c
}

// part is words or a command.
type part struct {
	words string
	cmd   *Command
}

// Text is a fix: words and commands in reading order. The zero Text is no
// fix.
type Text struct{ parts []part }

// New makes a fix of strings (words) and Commands, in reading order.
func New(parts ...any) Text {
	var t Text
	for _, p := range parts {
		switch v := p.(type) {
		case string:
			if v != "" {
				t.parts = append(t.parts, part{words: v})
			}
		case Command:
			c := v
			t.parts = append(t.parts, part{cmd: &c})
		case Text:
			t.parts = append(t.parts, v.parts...)
		default:
			panic(fmt.Sprintf("fix.New: %T is neither words nor a command", p))
		}
	}
	return t
}

// Words is a fix without a dockertls command.
func Words(s string) Text { return New(s) }

// IsZero reports whether there is no fix.
func (t Text) IsZero() bool { return len(t.parts) == 0 }

// Commands are the dockertls commands in the fix, in reading order.
func (t Text) Commands() []Command {
	var out []Command
	for _, p := range t.parts {
		if p.cmd != nil {
			out = append(out, *p.cmd)
		}
	}
	return out
}

// OneLine is the fix with every run of white space in its words made one
// space and none at either end.
func (t Text) OneLine() Text {
	var out Text
	for i, p := range t.parts {
		if p.cmd == nil {
			w := oneSpace(p.words)
			if i == 0 {
				w = strings.TrimLeft(w, " ")
			}
			if i == len(t.parts)-1 {
				w = strings.TrimRight(w, " ")
			}
			if w == "" {
				continue
			}
			p.words = w
		}
		out.parts = append(out.parts, p)
	}
	return out
}

func oneSpace(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}

// Render is the fix as the user reads it, its commands shown by r.
func (t Text) Render(r Renderer) string {
	var b strings.Builder
	for _, p := range t.parts {
		if p.cmd != nil {
			b.WriteString(r.Command(*p.cmd))
		} else {
			b.WriteString(p.words)
		}
	}
	return b.String()
}

// String is the fix with the plan named by the placeholder PLAN, for
// messages that do not know the plan file.
func (t Text) String() string { return t.Render(Renderer{Plan: "PLAN"}) }

// Renderer shows commands for one plan file in one shell.
type Renderer struct {
	// Plan is the plan file as the user types it; "" for the default
	// ./dockertls.yaml, which every command reads without -f.
	Plan string
	// Shell is the user's shell: bash (also for ""), zsh, fish,
	// powershell or cmd.
	Shell string
	// Daemon names one daemon of a plan with daemons: (--daemon NAME);
	// "" for a plan with one daemon.
	Daemon string
}

// For is the renderer for a plan file at path, named as the user would
// type it in the working directory (relative when the plan is below it),
// or the placeholder PLAN for a plan not saved anywhere yet.
func For(path, shell string) Renderer {
	if path == "" {
		return Renderer{Plan: "PLAN", Shell: shell}
	}
	name := path
	if wd, err := os.Getwd(); err == nil && filepath.IsAbs(name) {
		if rel, err := filepath.Rel(wd, name); err == nil && !strings.HasPrefix(rel, "..") {
			name = rel
		}
	}
	if filepath.Clean(name) == DefaultPlanFile {
		name = ""
	}
	return Renderer{Plan: name, Shell: shell}
}

// PlanArg is " -f PLAN" for a command line, quoted for the shell, or ""
// for the default plan.
func (r Renderer) PlanArg() string {
	arg := ""
	switch r.Plan {
	case "":
	case "PLAN":
		arg = " -f PLAN"
	default:
		arg = " -f " + Quote(r.Shell, r.Plan)
	}
	if r.Daemon != "" {
		arg += " --daemon " + Quote(r.Shell, r.Daemon)
	}
	return arg
}

// Command is c as a command line: "dockertls apply -f class.yaml --step ca".
func (r Renderer) Command(c Command) string {
	var b strings.Builder
	b.WriteString("dockertls " + c.Sub + r.PlanArg())
	for _, s := range c.Steps {
		b.WriteString(" --step " + Quote(r.Shell, s))
	}
	for _, f := range c.Flags {
		b.WriteString(" " + Quote(r.Shell, f))
	}
	if c.changesOtherHosts() {
		b.WriteString(" --yes") // a headless run changes other hosts only when told to: the fix must work as shown
	}
	return b.String()
}

// changesOtherHosts reports whether c is an apply that changes the daemon's
// host (the distribute and daemon-config steps, or every step) without
// --yes or --dry-run yet.
func (c Command) changesOtherHosts() bool {
	if c.Sub != "apply" || slices.ContainsFunc(c.Flags, func(f string) bool { return f == "--yes" || f == "-y" || f == "--dry-run" }) {
		return false
	}
	return len(c.Steps) == 0 || slices.Contains(c.Steps, "distribute") || slices.Contains(c.Steps, "daemon-config")
}

// Quote makes s one word for shell (bash, zsh, fish, powershell, cmd; ""
// is bash), quoting only when it must, with internal/shellquote's quoting
// for that shell.
func Quote(shell, s string) string {
	if plain := shellquote.POSIX(s); plain == s {
		return s // nothing any shell would read differently
	}
	switch shell {
	case "fish":
		return shellquote.Fish(s)
	case "powershell":
		return shellquote.PowerShell(s)
	case "cmd":
		if q, err := shellquote.Cmd(s); err == nil {
			return q
		}
	}
	return shellquote.POSIX(s)
}

// commandRE is a dockertls command as texts write it: the subcommand, the
// plan (-f PLAN, or nothing), steps and flags.
var commandRE = regexp.MustCompile(`dockertls (apply|doctor|verify|env|wizard|rotate-ca)((?: -f PLAN)?)((?: --step [a-z-]+)*)((?: --(?:yes|persist|fix|unset|replace-ca))*)\b`)

// Parse reads a text that writes its dockertls commands as
// `dockertls SUB -f PLAN --step NAME --yes` (the message catalogs, in every
// language) into words and commands, once, where the text is made.
func Parse(s string) Text {
	var parts []any
	pos := 0
	for _, m := range commandRE.FindAllStringSubmatchIndex(s, -1) {
		parts = append(parts, s[pos:m[0]])
		c := Command{Sub: s[m[2]:m[3]]}
		for _, st := range strings.Fields(s[m[6]:m[7]]) {
			if st != "--step" {
				c.Steps = append(c.Steps, st)
			}
		}
		c.Flags = strings.Fields(s[m[8]:m[9]])
		parts = append(parts, c)
		pos = m[1]
	}
	parts = append(parts, s[pos:])
	return New(parts...)
}

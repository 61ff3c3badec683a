package wizard

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/dockertls/dockertls/internal/echo"
	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/internal/shellquote"
)

// Shells lists the shells `dockertls env` writes for.
func Shells() []string { return []string{"bash", "zsh", "fish", "powershell", "cmd"} }

// DetectShell picks the shell from $SHELL's value ("/usr/bin/fish" → fish);
// unknown or empty gives bash.
func DetectShell(shellEnv string) string {
	base := strings.TrimSuffix(path.Base(strings.ReplaceAll(shellEnv, `\`, "/")), ".exe")
	switch base {
	case "zsh", "fish", "cmd":
		return base
	case "pwsh", "powershell":
		return "powershell"
	}
	return "bash"
}

// CheckShell refuses a shell name Shells does not list.
func CheckShell(shell string) error {
	if !slices.Contains(Shells(), shell) {
		return i18n.Errorf("wizard.env.unknown_shell", "Shell", echo.Value(shell), "Shells", strings.Join(Shells(), ", "))
	}
	return nil
}

// EnvVars are the docker CLI's variables for one daemon.
type EnvVars struct {
	Host     string // DOCKER_HOST, always with its port: tcp://node3:2376
	CertPath string // DOCKER_CERT_PATH; "" when the files are in ~/.docker (the CLI's default)
	// CertPathHere makes DOCKER_CERT_PATH the folder of the sourced script
	// itself, wherever it was unpacked (a client bundle's env scripts);
	// CertPath is then ignored.
	CertPathHere bool
}

// envNames are the variables env sets and unsets, in order.
var envNames = [...]string{"DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"}

// RenderEnv is what `dockertls env` prints for a shell: the assignments (or,
// with unset, their removal) and a last comment line telling how to apply
// them, like `docker-machine env`. applyHint is the command to run, as
// words, e.g. ["dockertls", "env", "-f", "my plan.yaml"]; nil leaves the
// comment out. Values and words are quoted for the shell (internal/
// shellquote); a value cmd.exe cannot quote (a line break, a ") is an
// error rather than a line that would run as a command of its own.
func RenderEnv(shell string, v EnvVars, unset bool, applyHint []string) (string, error) {
	return RenderEnvIn(nil, shell, v, unset, applyHint)
}

// RenderEnvIn is RenderEnv with its comment in loc's language.
func RenderEnvIn(loc *i18n.Localizer, shell string, v EnvVars, unset bool, applyHint []string) (string, error) {
	var b strings.Builder
	var err error
	set := func(name, value string) {
		switch shell {
		case "fish":
			fmt.Fprintf(&b, "set -gx %s %s;\n", name, shellquote.Fish(value))
		case "powershell":
			fmt.Fprintf(&b, "$Env:%s = %s\n", name, shellquote.PowerShell(value))
		case "cmd":
			q, qerr := shellquote.Cmd(name + "=" + value)
			if qerr != nil && err == nil {
				err = i18n.Errorf("wizard.env.cmd_quote", "Name", name, "Err", qerr)
			}
			fmt.Fprintf(&b, "SET %s\n", q)
		default:
			fmt.Fprintf(&b, "export %s=%s\n", name, shellquote.POSIX(value))
		}
	}
	del := func(name string) {
		switch shell {
		case "fish":
			fmt.Fprintf(&b, "set -e %s;\n", name)
		case "powershell":
			fmt.Fprintf(&b, "Remove-Item Env:\\%s -ErrorAction SilentlyContinue\n", name)
		case "cmd":
			fmt.Fprintf(&b, "SET %s=\n", name)
		default:
			fmt.Fprintf(&b, "unset %s\n", name)
		}
	}
	if unset {
		for _, n := range envNames {
			del(n)
		}
	} else {
		set("DOCKER_HOST", v.Host)
		set("DOCKER_TLS_VERIFY", "1")
		if v.CertPathHere {
			b.WriteString(certPathHere(shell))
		} else if v.CertPath != "" {
			set("DOCKER_CERT_PATH", v.CertPath)
		} else {
			// The files are in ~/.docker, the CLI's default: a stale
			// DOCKER_CERT_PATH from another daemon must not win.
			del("DOCKER_CERT_PATH")
		}
	}
	if err != nil {
		return "", err
	}
	if len(applyHint) > 0 {
		b.WriteString(envApplyComment(loc, shell, applyHint))
	}
	return b.String(), nil
}

// certPathHere sets DOCKER_CERT_PATH to the folder of the script being
// sourced, in each shell's own way of knowing it.
func certPathHere(shell string) string {
	switch shell {
	case "fish":
		return "set -gx DOCKER_CERT_PATH (builtin realpath (dirname (status --current-filename)));\n"
	case "powershell":
		return "$Env:DOCKER_CERT_PATH = $PSScriptRoot\n"
	case "cmd":
		return "SET DOCKER_CERT_PATH=%~dp0.\n"
	}
	// bash has BASH_SOURCE; zsh sets $0 to the sourced file.
	return "export DOCKER_CERT_PATH=\"$(cd \"$(dirname -- \"${BASH_SOURCE[0]:-$0}\")\" && pwd)\"\n"
}

// EnvScripts are a client bundle's env scripts by file name (env.sh for
// bash and zsh, env.fish, env.ps1, env.cmd): RenderEnv's assignments with
// DOCKER_CERT_PATH at the script's own folder, under a line saying how to
// use the script (in loc's language). A host cmd.exe cannot quote is an error.
func EnvScripts(loc *i18n.Localizer, host string) (map[string]string, error) {
	v := EnvVars{Host: host, CertPathHere: true}
	scripts := map[string]string{}
	for _, s := range []struct{ file, shell, head string }{
		{"env.sh", "bash", "# " + loc.T("wizard.env.head_sh", "Host", host) + "\n"},
		{"env.fish", "fish", "# " + loc.T("wizard.env.head_fish", "Host", host) + "\n"},
		{"env.ps1", "powershell", "# " + loc.T("wizard.env.head_ps1", "Host", host) + "\n"},
		{"env.cmd", "cmd", "@ECHO OFF\nREM " + loc.T("wizard.env.head_cmd", "Host", host) + "\n"},
	} {
		body, err := RenderEnv(s.shell, v, false, nil)
		if err != nil {
			return nil, i18n.Errorf("wizard.env.writing", "File", s.file, "Err", err)
		}
		text := s.head + body
		if s.shell == "cmd" {
			text = strings.ReplaceAll(text, "\n", "\r\n")
		}
		scripts[s.file] = text
	}
	return scripts, nil
}

// envApplyComment tells, in the shell's comment syntax, how to apply the
// output; the command's words are quoted for that shell.
func envApplyComment(loc *i18n.Localizer, shell string, hint []string) string {
	run := loc.T("wizard.env.apply_comment")
	quoted := make([]string, len(hint))
	for i, w := range hint {
		switch shell {
		case "fish":
			quoted[i] = w
			if shellquote.POSIX(w) != w {
				quoted[i] = shellquote.Fish(w)
			}
		case "powershell":
			quoted[i] = w
			if shellquote.POSIX(w) != w {
				quoted[i] = shellquote.PowerShell(w)
			}
		case "cmd":
			quoted[i] = w
			if q, err := shellquote.Cmd(w); err == nil && strings.ContainsAny(w, " &|<>^()%!'") {
				quoted[i] = q
			}
		default:
			quoted[i] = shellquote.POSIX(w)
		}
	}
	cmd := strings.Join(quoted, " ")
	switch shell {
	case "fish":
		return "# " + run + "\n# eval (" + cmd + " --shell fish)\n"
	case "powershell":
		return "# " + run + "\n# & " + cmd + " --shell powershell | Invoke-Expression\n"
	case "cmd":
		return "REM " + run + "\nREM @FOR /f \"tokens=*\" %i IN ('" + cmd + " --shell cmd') DO @%i\n"
	}
	return "# " + run + "\n# eval \"$(" + cmd + ")\"\n"
}

// Markers of the block `--persist` keeps in a shell start-up file.
const (
	persistBegin = "# >>> dockertls: Docker TLS environment (managed by `dockertls env --persist`) >>>"
	persistEnd   = "# <<< dockertls <<<"
)

// PersistFile is the start-up file (relative to the home directory) the
// variables are persisted in for a shell; cmd has none.
func PersistFile(shell string) (string, error) {
	switch shell {
	case "bash":
		return ".bashrc", nil
	case "zsh":
		return ".zshrc", nil
	case "fish":
		return ".config/fish/conf.d/dockertls.fish", nil
	case "powershell":
		return ".config/powershell/Microsoft.PowerShell_profile.ps1", nil
	}
	return "", i18n.Errorf("wizard.env.no_startup_file", "Shell", shell)
}

// WithPersistBlock returns content with our block holding body: an earlier
// block of ours is replaced in place, otherwise the block is appended.
func WithPersistBlock(content, body string) string {
	block := persistBegin + "\n" + strings.TrimRight(body, "\n") + "\n" + persistEnd + "\n"
	if start, end, ok := findPersistBlock(content); ok {
		return content[:start] + block + content[end:]
	}
	if content != "" && !strings.HasSuffix(content, "\n") {
		content += "\n"
	}
	return content + block
}

// WithoutPersistBlock returns content without our block, and whether there
// was one.
func WithoutPersistBlock(content string) (string, bool) {
	start, end, ok := findPersistBlock(content)
	if !ok {
		return content, false
	}
	return content[:start] + content[end:], true
}

// findPersistBlock locates our block: from the start of its begin line to
// just after its end line (including the newline).
func findPersistBlock(content string) (start, end int, ok bool) {
	start = strings.Index(content, persistBegin)
	if start < 0 || (start > 0 && content[start-1] != '\n') {
		return 0, 0, false
	}
	rel := strings.Index(content[start:], persistEnd)
	if rel < 0 {
		return 0, 0, false
	}
	end = start + rel + len(persistEnd)
	if end < len(content) && content[end] == '\n' {
		end++
	}
	return start, end, true
}

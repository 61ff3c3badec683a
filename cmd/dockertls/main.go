// Command dockertls secures a Docker daemon's TCP API with mutual TLS.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/dockertls/dockertls/internal/echo"
	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/internal/levenshtein"
)

// usageText is the overview `dockertls help` prints: the command lines as
// typed, the words in the user's language.
func usageText(loc *i18n.Localizer) string {
	return loc.T("cli.usage.intro") + `

` + loc.T("cli.usage.heading") + `
  dockertls                      ` + loc.T("cli.usage.wizard") + `
  dockertls apply  -f PLAN [--yes] [--step NAME ...] [--dry-run] [--accept-new-host-keys]
                   [--daemon NAME] [--parallel N] [--replace-ca]
  dockertls doctor -f PLAN [--json] [--fix] [--yes] [--accept-new-host-keys] [--daemon NAME] [--parallel N]
  dockertls doctor --ssh user@host[:port] [--ca-dir DIR] [-f PLAN-TO-WRITE] [--fix] [--yes]
  dockertls verify -f PLAN [--accept-new-host-keys] [--daemon NAME] [--parallel N]
  dockertls env    -f PLAN [--shell bash|zsh|fish|powershell|cmd] [--unset] [--persist] [--daemon NAME]
  dockertls issue client NAME... -f PLAN [--days N] [--key TYPE] [--out DIR] [--renew] [--daemon NAME]
  dockertls certs  -f PLAN [--json]
  dockertls practice up|down [--dir D]   ` + loc.T("cli.usage.practice") + `
  dockertls rotate-ca -f PLAN [--finish [--force]] [--yes] [--accept-new-host-keys]
  dockertls version

` + loc.T("cli.usage.footer") + "\n"
}

// Exit statuses.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches a command line and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	loc, args, err := takeLang(args, os.Getenv)
	if err != nil {
		// No language was chosen: English (loc is nil), whatever the
		// environment says, since the choice itself went wrong.
		fmt.Fprintf(stderr, "dockertls: %s\n", loc.Error(err))
		return exitUsage
	}
	if len(args) == 0 {
		return runWizardCommand(nil, loc, stdout, stderr)
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "apply":
		return applyCommand(rest, loc, stdout, stderr)
	case "doctor":
		return doctorCommand(rest, loc, stdout, stderr)
	case "verify":
		return verifyCommand(rest, loc, stdout, stderr)
	case "env":
		return envCommand(rest, loc, stdout, stderr)
	case "issue":
		return issueCommand(rest, loc, stdout, stderr)
	case "certs":
		return certsCommand(rest, loc, stdout, stderr)
	case "practice":
		return practiceCommand(rest, loc, stdout, stderr)
	case "rotate-ca":
		return rotateCommand(rest, loc, stdout, stderr)
	case "version", "--version":
		return versionCommand(rest, loc, stdout, stderr)
	case "wizard":
		return runWizardCommand(rest, loc, stdout, stderr)
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usageText(loc))
		return exitOK
	}
	if strings.HasPrefix(cmd, "-f") || strings.HasPrefix(cmd, "--f") || strings.HasPrefix(cmd, "-file") {
		// `dockertls -f class.yaml`: the wizard on that plan, as typed.
		return runWizardCommand(args, loc, stdout, stderr)
	}
	fmt.Fprintf(stderr, "dockertls: %s\n\n%s", loc.T("cli.unknown_command", "Command", echo.Value(cmd), "Suggestion", suggestCommand(loc, cmd)), usageText(loc))
	return exitUsage
}

// suggestCommand names the command closest to a mistyped one ("docter"
// → doctor), or "".
func suggestCommand(loc *i18n.Localizer, typed string) string {
	best, bestD := "", 3
	for _, c := range []string{"apply", "doctor", "verify", "env", "issue", "certs", "practice", "rotate-ca", "version", "wizard", "help"} {
		if d := levenshtein.Distance(strings.ToLower(typed), c); d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	return loc.T("cli.did_you_mean", "Command", best)
}

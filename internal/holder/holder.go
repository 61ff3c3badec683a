// Package holder says who this run is, for a lock that another run finds
// taken: user@machine, pid, start time and the command line (dockertls
// never takes a secret on its command line).
package holder

import (
	"fmt"
	"os"
	"os/user"
	"strings"
	"time"
)

// maxCommand caps the command line in a lock file.
const maxCommand = 200

// Command is this process's command line on one line, at most 200 bytes.
func Command() string {
	cmd := strings.Join(os.Args, " ")
	cmd = strings.ReplaceAll(strings.ReplaceAll(cmd, "\r", " "), "\n", " ")
	if len(cmd) > maxCommand {
		cmd = strings.ToValidUTF8(cmd[:maxCommand], "") + "…"
	}
	return cmd
}

// Describe is "root@laptop pid 1234, since 12:01 UTC: dockertls apply
// --step daemon-config" for a run that started (took its lock) at since.
// UTC, because the run that reads it may be on a machine in another zone.
func Describe(since time.Time) string {
	name := "?"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	machine, err := os.Hostname()
	if err != nil || machine == "" {
		machine = "?"
	}
	return fmt.Sprintf("%s@%s pid %d, since %s: %s", name, machine, os.Getpid(), since.UTC().Format("15:04 UTC"), Command())
}

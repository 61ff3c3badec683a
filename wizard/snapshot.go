package wizard

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"io/fs"
	"strconv"
	"strings"

	"github.com/dockertls/dockertls/internal/echo"
	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/remote"
)

// fileSnap is one file as a snapshot found it.
type fileSnap struct {
	data  []byte
	mode  fs.FileMode
	owner string
}

// snapshotScript prints, for a directory and file names, each file's mode,
// owner and contents (base64), or that it is missing — all in one command,
// because each command over SSH costs a round trip (~150 ms with sudo).
const snapshotScript = `d=$1; shift
[ -d "$d" ] || { echo NODIR; exit 0; }
for f in "$@"; do
  p="$d/$f"
  if [ -f "$p" ]; then
    printf 'FILE %s %s %s\n' "$f" "$(stat -L -c %a "$p")" "$(stat -L -c %U "$p")"
    base64 -w0 "$p" || exit 3
    echo
  else
    printf 'MISSING %s\n' "$f"
  fi
done`

// snapshotDir reads the named files of dir on h in one command. It returns
// the files found (missing ones are absent) and whether dir exists.
func snapshotDir(ctx context.Context, h remote.Host, dir string, names []string, sudo bool) (map[string]fileSnap, bool, error) {
	args := append([]string{"sh", "-c", snapshotScript, "sh", dir}, names...)
	res, err := h.Run(ctx, remote.Command{Args: args, Sudo: sudo})
	if err != nil {
		return nil, false, i18n.Errorf("wizard.snapshot.look", "Dir", dir, "Host", h.Name(), "Err", err)
	}
	if res.ExitCode != 0 {
		return nil, false, i18n.Errorf("wizard.snapshot.look_failed", "Dir", dir, "Host", h.Name(), "Output", strings.TrimSpace(string(res.Stderr)))
	}
	out := map[string]fileSnap{}
	sc := bufio.NewScanner(bytes.NewReader(res.Stdout))
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "NODIR":
			return out, false, nil
		case strings.HasPrefix(line, "MISSING "):
		case strings.HasPrefix(line, "FILE "):
			f := strings.Fields(line)
			if len(f) != 4 || !sc.Scan() {
				return nil, false, i18n.Errorf("wizard.snapshot.unexpected", "Dir", dir, "Host", h.Name(), "Line", echo.Value(line))
			}
			mode, err1 := strconv.ParseUint(f[2], 8, 32)
			data, err2 := base64.StdEncoding.DecodeString(strings.TrimSpace(sc.Text()))
			if err1 != nil || err2 != nil {
				return nil, false, i18n.Errorf("wizard.snapshot.unexpected", "Dir", dir, "Host", h.Name(), "Line", echo.Value(line))
			}
			out[f[1]] = fileSnap{data: data, mode: fs.FileMode(mode), owner: f[3]}
		default:
			return nil, false, i18n.Errorf("wizard.snapshot.unexpected", "Dir", dir, "Host", h.Name(), "Line", echo.Value(line))
		}
	}
	return out, true, sc.Err()
}

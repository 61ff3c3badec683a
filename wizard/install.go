package wizard

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/remote"
)

// installScript writes several files into one directory in a single
// command (each SSH command costs a round trip, with sudo several): for
// each line "NAME MODE BACKUP BASE64" on standard input it backs the old
// file up when asked (cp -p to NAME.dockertls-backup-STAMP), writes the new
// contents to a temp file in the same directory, sets mode and owner, and
// renames it over NAME, so a reader sees the old file or the new one, then
// records it in the directory's manifest (see ManifestFile). The
// contents travel on standard input, never on a command line.
const installScript = `set -eu
d=$1; dirmode=$2; owner=$3; stamp=$4
t=
# EXIT alone does not run when dash is killed by a signal: a cancelled run
# must not leave a temp file holding a private key behind.
trap '[ -z "$t" ] || rm -f -- "$t"' EXIT
trap '[ -z "$t" ] || rm -f -- "$t"; exit 143' HUP INT TERM PIPE
if [ ! -d "$d" ]; then
  mkdir -p -- "$d"; chmod "$dirmode" -- "$d"
  [ -z "$owner" ] || chown "$owner" -- "$d"
fi
while read -r name mode backup data; do
  p="$d/$name"
  if [ "$backup" = 1 ] && [ -e "$p" ]; then
    # Never overwrite an earlier backup taken in the same second.
    b="$p.dockertls-backup-$stamp"; n=2
    while [ -e "$b" ]; do b="$p.dockertls-backup-$stamp-$n"; n=$((n+1)); done
    cp -p -- "$p" "$b"
    printf 'BACKUP %s\n' "$b"
  fi
  t=$(mktemp "$d/.$name.XXXXXX")
  printf '%s' "$data" | base64 -d >"$t"
  chmod "$mode" -- "$t"
  [ -z "$owner" ] || chown "$owner" -- "$t"
  mv -f -T -- "$t" "$p"
  t=
  # What dockertls wrote: "STAMP SHA256 NAME", the last line per name wins.
  printf '%s %s %s\n' "$stamp" "$(sha256sum <"$p" | cut -d' ' -f1)" "$name" >>"$d/` + ManifestFile + `"
done
[ -z "$owner" ] || chown "$owner" -- "$d/` + ManifestFile + `"
chmod 0644 -- "$d/` + ManifestFile + `"`

// ManifestFile is the small record, next to the files, of what dockertls
// wrote into a directory: one line "STAMP SHA256 NAME" per file written.
// doctor tells by it whether a file it replaces was dockertls's own.
const ManifestFile = ".dockertls-manifest"

// manifest is a parsed ManifestFile: name → the last entry's sha256 and
// stamp.
type manifest map[string][2]string

func parseManifest(data []byte) manifest {
	m := manifest{}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) == 3 {
			m[f[2]] = [2]string{f[1], f[0]}
		}
	}
	return m
}

// writtenBy says whether data is what dockertls last wrote as name, and
// when.
func (m manifest) writtenBy(name string, data []byte) (string, bool) {
	e, ok := m[name]
	if !ok {
		return "", false
	}
	sum := sha256.Sum256(data)
	return e[1], hex.EncodeToString(sum[:]) == e[0]
}

// installFile is one file for installFiles.
type installFile struct {
	name   string
	data   []byte
	mode   fs.FileMode
	backup bool // keep a copy of the file it replaces
	// chmodOnly: data is the file's own contents, written again only to
	// give it the right mode and owner.
	chmodOnly bool
}

// installFiles writes files into dir on h (created with dirMode when
// missing) in one command; with root, as root and owned by root. It
// returns the backups it took (paths on h).
func installFiles(ctx context.Context, h remote.Host, dir string, dirMode fs.FileMode, root bool, files []installFile) ([]string, error) {
	var in strings.Builder
	for _, f := range files {
		if strings.ContainsAny(f.name, " /\n") {
			return nil, i18n.Errorf("wizard.install.bad_name", "Name", strconv.Quote(f.name))
		}
		backup := 0
		if f.backup {
			backup = 1
		}
		fmt.Fprintf(&in, "%s %o %d %s\n", f.name, f.mode.Perm(), backup, base64.StdEncoding.EncodeToString(f.data))
	}
	owner := ""
	if root {
		owner = "root:root"
	}
	stamp := time.Now().UTC().Format("20060102T150405Z")
	res, err := h.Run(ctx, remote.Command{
		Args:  []string{"sh", "-c", installScript, "sh", dir, fmt.Sprintf("%o", dirMode.Perm()), owner, stamp},
		Stdin: strings.NewReader(in.String()),
		Sudo:  root,
	})
	if err != nil {
		return nil, i18n.Errorf("wizard.install.write", "Dir", dir, "Host", h.Name(), "Err", err)
	}
	if res.ExitCode != 0 {
		return nil, i18n.Errorf("wizard.install.failed", "Dir", dir, "Host", h.Name(), "Output", strings.TrimSpace(string(res.Stderr)))
	}
	var backups []string
	for _, line := range strings.Split(string(res.Stdout), "\n") {
		if b, ok := strings.CutPrefix(line, "BACKUP "); ok {
			backups = append(backups, b)
		}
	}
	return backups, nil
}

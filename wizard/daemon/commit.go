package daemon

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/remote"
)

// commitScript puts a planned change in place in one command (over SSH each
// command is a round trip; file by file through remote.Host this took ten
// per file). Standard input has one line per file:
// "PATH MODE EXISTED OLD NEW", PATH, OLD and NEW base64 ("-" for empty).
//  1. Nothing is written unless every file is still as Inspect found it.
//  2. Every existing file is backed up (cp -p, so mode and owner stay) to
//     PATH.dockertls-backup-STAMP (-2, -3, ... when taken).
//  3. Each file is written to a temp file in its directory (created 0755
//     when missing), given MODE and root:root, and renamed over PATH, so a
//     reader sees the old file or the new one.
//
// It answers in sections (sections.go): =changed PATH, =backup PATH DEST,
// =wrote PATH, =error PATH STAGE with the shell's message; it stops at the
// first error. The file contents travel on standard input only.
const commitScript = scriptLib + `stamp=$1
input=$(cat)
dec() { [ "$1" = - ] || printf '%s' "$1" | base64 -d; }
while read -r p64 mode existed old new; do
  [ -n "$p64" ] || continue
  p=$(dec "$p64")
  if [ "$existed" = 1 ]; then
    cur=-
    [ -f "$p" ] && cur=$(base64 <"$p" | tr -d '\n')
    [ -n "$cur" ] || cur=-
    [ "$cur" = "$old" ] || { echo "=changed $p64"; echo; exit 0; }
  elif [ -e "$p" ]; then
    echo "=changed $p64"; echo; exit 0
  fi
done <<EOF
$input
EOF
while read -r p64 mode existed old new; do
  [ -n "$p64" ] && [ "$existed" = 1 ] || continue
  p=$(dec "$p64")
  dest="$p.dockertls-backup-$stamp"; i=2
  while [ -e "$dest" ]; do dest="$p.dockertls-backup-$stamp-$i"; i=$((i+1)); done
  err=$(cp -p -- "$p" "$dest" 2>&1) || { echo "=error $p64 backup"; printf '%s' "$err" | body; exit 1; }
  echo "=backup $p64 $(enc "$dest")"; echo
done <<EOF
$input
EOF
t=
trap '[ -z "$t" ] || rm -f -- "$t"' EXIT
# dash runs no EXIT trap when a signal ends it (a cancelled run).
trap '[ -z "$t" ] || rm -f -- "$t"; exit 143' HUP INT TERM PIPE
while read -r p64 mode existed old new; do
  [ -n "$p64" ] || continue
  p=$(dec "$p64"); d=$(dirname -- "$p")
  if [ ! -d "$d" ]; then
    err=$(mkdir -p -- "$d" 2>&1 && chmod 755 -- "$d" && chown root:root -- "$d" 2>&1) || { echo "=error $p64 mkdir"; printf '%s' "$err" | body; exit 1; }
  fi
  t=$(mktemp "$d/.$(basename -- "$p").dockertls-XXXXXX" 2>&1) || { echo "=error $p64 write"; printf '%s' "$t" | body; t=; exit 1; }
  err=$( { dec "$new" >"$t" && chmod "$mode" "$t" && chown root:root "$t" && mv -f -T -- "$t" "$p"; } 2>&1) || {
    echo "=error $p64 write"; printf '%s' "$err" | body; exit 1; }
  t=
  echo "=wrote $p64"; echo
done <<EOF
$input
EOF
`

// commitResult is what commitScript did.
type commitResult struct {
	backups map[string]string // path → backup
	written []FileChange
	changed string // a file that changed since Inspect (nothing was done)
	err     error  // a backup or write failed
}

// commit runs commitScript for the change's files.
func commit(ctx context.Context, h remote.Host, c *Change) (*commitResult, error) {
	b64 := func(data []byte) string {
		if len(data) == 0 {
			return "-"
		}
		return base64.StdEncoding.EncodeToString(data)
	}
	var in strings.Builder
	byPath := map[string]FileChange{}
	for _, f := range c.Files {
		existed := 0
		if f.Before.Exists {
			existed = 1
		}
		fmt.Fprintf(&in, "%s %o %d %s %s\n", b64([]byte(f.Path)), f.Mode.Perm(), existed, b64(f.Before.Data), b64(f.After))
		byPath[f.Path] = f
	}
	stamp := time.Now().UTC().Format("20060102T150405Z")
	res, err := h.Run(ctx, remote.Command{Args: []string{"sh", "-c", commitScript, "sh", stamp}, Stdin: strings.NewReader(in.String()), Sudo: true})
	if err != nil {
		return nil, i18n.Errorf("daemon.commit.failed", "Host", c.Host, "Err", err)
	}
	secs, perr := parseSections(res.Stdout)
	out := &commitResult{backups: map[string]string{}}
	for _, s := range secs {
		p := decodePath(s.field(0))
		switch s.Kind {
		case "changed":
			out.changed = p
		case "backup":
			out.backups[p] = decodePath(s.field(1))
		case "wrote":
			if f, ok := byPath[p]; ok {
				out.written = append(out.written, f)
			}
		case "error":
			id := "daemon.commit.write_error"
			if s.field(1) == "backup" {
				id = "daemon.commit.backup_error"
			}
			out.err = i18n.Errorf(id, "Path", p, "Host", c.Host, "Output", strings.TrimSpace(string(s.Body)))
		}
	}
	switch {
	case perr != nil:
		out.err = i18n.Errorf("daemon.commit.unreadable", "Host", c.Host, "Err", perr, "Stderr", clip(strings.TrimSpace(string(res.Stderr))))
	case out.err == nil && out.changed == "" && res.ExitCode != 0:
		out.err = i18n.Errorf("daemon.commit.status", "Host", c.Host, "Code", res.ExitCode, "Stderr", clip(strings.TrimSpace(string(res.Stderr))))
	case out.err == nil && out.changed == "" && len(out.written) != len(c.Files):
		out.err = i18n.Errorf("daemon.commit.cut_short", "Host", c.Host, "Written", len(out.written), "Files", len(c.Files))
	}
	return out, nil
}

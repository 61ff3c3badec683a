package pki

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dockertls/dockertls/internal/fsread"
	"github.com/dockertls/dockertls/internal/i18n"
)

// A group of files (a certificate, its key, ca.srl; or a CA and the backup
// of the one it replaces) is committed in one step through a journal:
//
//  1. every new file is written to a private temp file (.NAME.tmp-*) and synced;
//  2. the journal (.dockertls-commit) lists what to do, and is itself
//     written to a temp file and renamed into place: that rename is the
//     commit point;
//  3. backups are hard links of the old files, then each temp file is
//     renamed over its target;
//  4. the journal is removed.
//
// A run that is killed before step 2's rename leaves only temp files, which
// the next run (Recover, under the lock) removes: nothing changed. A run
// killed after it leaves the journal, which Recover replays: every step is
// idempotent (a link whose target exists, a temp file already renamed are
// skipped), so the group ends up complete. Either way a certificate is
// never paired with another run's key.

// journalFile is the commit record in the PKI directory.
const journalFile = ".dockertls-commit"

// tempMarker is in the name of every temp file a commit makes.
const tempMarker = ".tmp-"

// commitOp is one step of a journal: "link" keeps the old From as To (a
// backup), "remove" removes To (a backed-up file the commit does not write
// again, such as the old CA's ca.srl), "rename" moves the temp file From
// over To. Names are base names in the directory.
type commitOp struct {
	Op   string `json:"op"`
	From string `json:"from"`
	To   string `json:"to"`
}

// backup keeps the current file name as name+suffix in a commit.
type backup struct {
	name, suffix string
}

// commit writes files (in the directory) and keeps backups, as one group.
func (d *Dir) commit(backups []backup, files ...fileWrite) error {
	d.commitMu.Lock()
	defer d.commitMu.Unlock()
	var temps []string
	defer func() {
		for _, t := range temps {
			_ = os.Remove(t) // only those not renamed are still there
		}
	}()
	var ops, removes []commitOp
	for _, b := range backups {
		if !d.Exists(b.name) {
			continue
		}
		ops = append(ops, commitOp{Op: "link", From: b.name, To: b.name + b.suffix})
		if !slices.ContainsFunc(files, func(f fileWrite) bool { return f.path == d.Path(b.name) }) {
			removes = append(removes, commitOp{Op: "remove", To: b.name})
		}
	}
	ops = append(ops, removes...)
	for _, f := range files {
		if filepath.Dir(f.path) != d.path {
			return i18n.Errorf("pki.commit.outside", "File", f.path, "Dir", d.path)
		}
		tmp, err := writeTemp(f)
		if err != nil {
			return err
		}
		temps = append(temps, tmp)
		ops = append(ops, commitOp{Op: "rename", From: filepath.Base(tmp), To: filepath.Base(f.path)})
	}
	record, err := json.Marshal(ops)
	if err != nil {
		return err
	}
	tmp, err := writeTemp(fileWrite{d.Path(journalFile), record, 0o600})
	if err != nil {
		return err
	}
	temps = append(temps, tmp)
	if err := os.Rename(tmp, d.Path(journalFile)); err != nil {
		return i18n.Errorf("pki.commit.journal", "File", d.Path(journalFile), "Err", err)
	}
	syncDir(d.path)
	temps = nil // from here on, the journal owns them
	if err := d.replay(ops); err != nil {
		return i18n.Errorf("pki.commit.half_done", "Err", err, "Dir", d.path)
	}
	return nil
}

// replay does a journal's steps (again: each is skipped when done) and
// removes the journal.
func (d *Dir) replay(ops []commitOp) error {
	for _, op := range ops {
		from, to := d.Path(op.From), d.Path(op.To)
		switch op.Op {
		case "link":
			if d.Exists(op.To) || !d.Exists(op.From) {
				continue
			}
			if err := os.Link(from, to); err != nil {
				return i18n.Errorf("pki.keep_as", "From", op.From, "To", op.To, "Err", err)
			}
		case "remove":
			if err := os.Remove(to); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return i18n.Errorf("pki.remove", "File", op.To, "Err", err)
			}
		case "rename":
			if !d.Exists(op.From) {
				continue // renamed already
			}
			if err := os.Rename(from, to); err != nil {
				return i18n.Errorf("pki.commit.replace", "File", to, "Err", err)
			}
		}
	}
	syncDir(d.path)
	if err := os.Remove(d.Path(journalFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return i18n.Errorf("pki.remove", "File", d.Path(journalFile), "Err", err)
	}
	syncDir(d.path)
	return nil
}

// Recover finishes what a killed run left: it completes a committed
// journal, then removes temp files (of commits that never reached their
// commit point). Call it only while holding the lock (Lock does).
func (d *Dir) Recover() error {
	data, err := fsread.ReadFile(d.Path(journalFile), fsread.MaxSmall)
	switch {
	case err == nil:
		var ops []commitOp
		if err := json.Unmarshal(data, &ops); err != nil || !validOps(ops) {
			return i18n.Errorf("pki.commit.bad_journal", "File", d.Path(journalFile))
		}
		if err := d.replay(ops); err != nil {
			return i18n.Errorf("pki.commit.complete", "Err", err)
		}
	case !errors.Is(err, fs.ErrNotExist):
		return i18n.Errorf("pki.read", "File", d.Path(journalFile), "Err", err)
	}
	entries, err := os.ReadDir(d.path)
	if err != nil {
		return i18n.Errorf("pki.dir.error", "Dir", d.path, "Err", err)
	}
	for _, e := range entries {
		if isTempName(e.Name()) && e.Type().IsRegular() {
			if err := os.Remove(d.Path(e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return i18n.Errorf("pki.commit.remove_temp", "Err", err)
			}
		}
	}
	return nil
}

// isTempName reports whether name is a temp file of a commit (.NAME.tmp-*).
func isTempName(name string) bool {
	return strings.HasPrefix(name, ".") && strings.Contains(name, tempMarker)
}

// validOps accepts only plain names in the directory, so a journal can
// never move anything elsewhere.
func validOps(ops []commitOp) bool {
	for _, op := range ops {
		names := []string{op.From, op.To}
		switch op.Op {
		case "link", "rename":
		case "remove":
			names = names[1:]
		default:
			return false
		}
		for _, n := range names {
			if n == "" || n == "." || n == ".." || strings.ContainsAny(n, `/\`) || n == journalFile {
				return false
			}
		}
		if op.Op == "rename" && !isTempName(op.From) {
			return false
		}
	}
	return true
}

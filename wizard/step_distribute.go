package wizard

import (
	"bytes"
	"context"
	"crypto/x509"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"

	"github.com/dockertls/dockertls/pki"
	"github.com/dockertls/dockertls/remote"
	"github.com/dockertls/dockertls/wizard/plan"
)

// The names the files get on the hosts. The daemon's follow Docker's own
// documentation (and package daemon's defaults); the client's are the names
// the docker CLI looks for in DOCKER_CERT_PATH or ~/.docker.
const (
	DaemonCAFile   = "ca.pem"
	DaemonCertFile = "server-cert.pem"
	DaemonKeyFile  = "server-key.pem"
	ClientCAFile   = "ca.pem"
	ClientCertFile = "cert.pem"
	ClientKeyFile  = "key.pem"
)

// distributeStep copies the daemon's CA, certificate and key to
// daemon.cert_dir on the daemon node (root-owned), and the client's to
// client.cert_dir on the client (owned by that user). The CA key is never
// copied anywhere.
type distributeStep struct{}

func (distributeStep) Name() StepName { return StepDistribute }

// shipment is one host's set of files.
type shipment struct {
	role  string // "daemon" or "client"
	host  remote.Host
	dir   string
	root  bool // root-owned files, written with sudo
	files []shipFile
}

type shipFile struct {
	local  string // file in the PKI directory
	remote string // name in dir
	mode   fs.FileMode
	data   []byte
}

// hostState is what a host has compared with what it should have.
type hostState struct {
	missing []string // remote names
	stale   []string // ours (same CA key) but different bytes
	modes   []string // right bytes, wrong mode or owner
	foreign string   // why the files there are from another CA ("" = ours)
	dirGone bool
}

func (st hostState) upToDate() bool {
	return len(st.missing) == 0 && len(st.stale) == 0 && len(st.modes) == 0 && st.foreign == ""
}

// remoteDir expands "~" in a cert_dir on its host.
func remoteDir(ctx context.Context, h remote.Host, dir string) (string, error) {
	if dir != "~" && !strings.HasPrefix(dir, "~/") {
		return dir, nil
	}
	home, err := h.HomeDir(ctx)
	if err != nil {
		return "", fmt.Errorf("cannot expand %s on %s: %w", dir, h.Name(), err)
	}
	return plan.HostPath(dir, home), nil
}

// shipments connects to both hosts and reads the local files to send.
func (s *Session) shipments(ctx context.Context) ([]shipment, error) {
	d, ok := s.existingPKI()
	if !ok {
		return nil, fmt.Errorf("no PKI directory at %s: run the ca, daemon-cert and client-cert steps first", s.pkiDirPath())
	}
	read := func(name string) ([]byte, error) {
		b, err := os.ReadFile(d.Path(name))
		if err != nil {
			step := StepCA
			switch name {
			case pki.FileDaemonCert, pki.FileDaemonKey:
				step = StepDaemonCert
			case pki.FileClientCert, pki.FileClientKey:
				step = StepClientCert
			}
			return nil, fmt.Errorf("%s is missing: run step %s first (%s): %w", d.Path(name), step, s.applyStep(step), err)
		}
		return b, nil
	}
	f := s.Filled()
	var out []shipment
	for _, role := range []string{"daemon", "client"} {
		var sh shipment
		var err error
		sh.role = role
		if role == "daemon" {
			sh.root = true
			if sh.host, err = s.DaemonHost(ctx); err != nil {
				return nil, err
			}
			if sh.dir, err = remoteDir(ctx, sh.host, f.Daemon.CertDir); err != nil {
				return nil, err
			}
			sh.files = []shipFile{{pki.FileCA, DaemonCAFile, 0o444, nil}, {pki.FileDaemonCert, DaemonCertFile, 0o444, nil}, {pki.FileDaemonKey, DaemonKeyFile, 0o400, nil}}
		} else {
			if sh.host, err = s.ClientHost(ctx); err != nil {
				return nil, err
			}
			if sh.dir, err = s.ClientCertDir(ctx); err != nil {
				return nil, err
			}
			sh.files = []shipFile{{pki.FileCA, ClientCAFile, 0o444, nil}, {pki.FileClientCert, ClientCertFile, 0o444, nil}, {pki.FileClientKey, ClientKeyFile, 0o400, nil}}
		}
		for i := range sh.files {
			if sh.files[i].data, err = read(sh.files[i].local); err != nil {
				return nil, err
			}
		}
		out = append(out, sh)
	}
	return out, nil
}

// inspect compares a host's files with what should be there. Files of
// another CA are reported as foreign: they are never replaced silently.
func (sh shipment) inspect(ctx context.Context) (hostState, error) {
	var st hostState
	names := make([]string, len(sh.files))
	for i, f := range sh.files {
		names[i] = f.remote
	}
	snaps, dirExists, err := snapshotDir(ctx, sh.host, sh.dir, names, sh.root)
	if err != nil {
		return st, err
	}
	if !dirExists {
		st.dirGone = true
		st.missing = names
		return st, nil
	}
	ourCA, _ := pki.ParseCertPEM(sh.files[0].data)
	for _, f := range sh.files {
		p := path.Join(sh.dir, f.remote)
		have, ok := snaps[f.remote]
		if !ok {
			st.missing = append(st.missing, f.remote)
			continue
		}
		if bytes.Equal(have.data, f.data) {
			if have.mode.Perm() != f.mode || (sh.root && have.owner != "root") {
				st.modes = append(st.modes, fmt.Sprintf("%s (mode %04o, owner %s)", f.remote, have.mode.Perm(), have.owner))
			}
			continue
		}
		if why := foreignFile(f, have.data, ourCA); why != "" && st.foreign == "" {
			st.foreign = fmt.Sprintf("%s on %s %s", p, sh.host.Name(), why)
		}
		st.stale = append(st.stale, f.remote)
	}
	return st, nil
}

// foreignFile says why an existing file is not one of ours (from another
// CA), or "" when it is ours, only older (same CA key).
func foreignFile(f shipFile, have []byte, ourCA *x509.Certificate) string {
	if ourCA == nil {
		return ""
	}
	switch f.local {
	case pki.FileCA:
		c, err := pki.ParseCertPEM(have)
		if err != nil {
			return "is not a certificate dockertls can read"
		}
		if !c.Equal(ourCA) && !bytes.Equal(c.RawSubjectPublicKeyInfo, ourCA.RawSubjectPublicKeyInfo) {
			return fmt.Sprintf("is another CA (%q, SHA256 %s)", c.Subject.CommonName, shortFP(c))
		}
	case pki.FileDaemonCert, pki.FileClientCert:
		c, err := pki.ParseCertPEM(have)
		if err != nil {
			return "is not a certificate dockertls can read"
		}
		if c.CheckSignatureFrom(ourCA) != nil {
			return fmt.Sprintf("(%q) was issued by another CA (%q)", c.Subject.CommonName, c.Issuer.CommonName)
		}
	}
	return ""
}

func shortFP(c *x509.Certificate) string {
	fp := pki.Fingerprint(c)
	if len(fp) > 23 {
		return fp[:23] + "…"
	}
	return fp
}

func (distributeStep) Check(ctx context.Context, s *Session) []Finding {
	fix := s.applyStep(StepDistribute, "--yes")
	ships, err := s.shipments(ctx)
	if err != nil {
		return []Finding{{Step: StepDistribute, Status: StatusFail, Code: "unavailable", Message: err.Error(), Fix: "fix the error above, then: " + fix}}
	}
	var out []Finding
	for _, sh := range ships {
		st, err := sh.inspect(ctx)
		where := fmt.Sprintf("%s (%s)", sh.dir, sh.host.Name())
		switch {
		case err != nil:
			out = append(out, Finding{Step: StepDistribute, Status: StatusFail, Code: "unreadable", Message: err.Error(), Fix: fix})
		case st.foreign != "":
			out = append(out, Finding{Step: StepDistribute, Status: StatusFail, Code: sh.role + "-files-foreign",
				Message: fmt.Sprintf("the %s files in %s do not match the CA: %s", sh.role, where, st.foreign),
				Fix:     "choose another " + sh.role + " cert_dir in the plan, or back those files up and remove them; then " + fix})
		case len(st.missing) > 0:
			out = append(out, Finding{Step: StepDistribute, Status: StatusFail, Code: sh.role + "-files-missing",
				Message: fmt.Sprintf("the %s files %s are missing in %s", sh.role, strings.Join(st.missing, ", "), where), Fix: fix})
		case len(st.stale) > 0:
			out = append(out, Finding{Step: StepDistribute, Status: StatusFail, Code: sh.role + "-files-outdated",
				Message: fmt.Sprintf("%s in %s differ from the ones in %s (issued again since?)", strings.Join(st.stale, ", "), where, s.pkiDirPath()), Fix: fix})
		case len(st.modes) > 0:
			out = append(out, Finding{Step: StepDistribute, Status: StatusFail, Code: sh.role + "-file-permissions",
				Message: fmt.Sprintf("wrong mode or owner in %s: %s (keys must be 0400, certificates 0444)", where, strings.Join(st.modes, ", ")), Fix: fix})
		default:
			out = append(out, Finding{Step: StepDistribute, Status: StatusOK, Code: "ok",
				Message: fmt.Sprintf("the %s files in %s are up to date", sh.role, where)})
		}
	}
	return out
}

func (distributeStep) Describe(ctx context.Context, s *Session) (Description, error) {
	f := s.Filled()
	dirPKI := s.pkiDirPath()
	daemonHost, clientHost := s.hostLabel(f.Daemon.SSH), s.hostLabel(f.Client.Target)
	what := s.T("distribute.what", "DaemonDir", f.Daemon.CertDir, "DaemonHost", daemonHost,
		"DaemonFiles", strings.Join([]string{DaemonCAFile, DaemonCertFile, DaemonKeyFile}, ", "),
		"ClientDir", f.Client.CertDir, "ClientHost", clientHost,
		"ClientFiles", strings.Join([]string{ClientCAFile, ClientCertFile, ClientKeyFile}, ", "))
	d := Description{Step: StepDistribute, Title: s.title(StepDistribute), What: what, Why: s.why(StepDistribute)}
	d.Commands = append(d.Commands, "cd "+shq(dirPKI))
	d.Commands = append(d.Commands, copyCommands(f.Daemon.SSH, f.Daemon.CertDir, true,
		[][2]string{{pki.FileCA, DaemonCAFile}, {pki.FileDaemonCert, DaemonCertFile}, {pki.FileDaemonKey, DaemonKeyFile}})...)
	d.Commands = append(d.Commands, copyCommands(f.Client.Target, f.Client.CertDir, false,
		[][2]string{{pki.FileCA, ClientCAFile}, {pki.FileClientCert, ClientCertFile}, {pki.FileClientKey, ClientKeyFile}})...)
	d.Changes = append(d.Changes, Change{Host: daemonHost, Path: f.Daemon.CertDir, Summary: s.T("distribute.change", "Files", strings.Join([]string{DaemonCAFile, DaemonCertFile, DaemonKeyFile}, ", "))})
	if f.Client.Target != plan.TargetLocal {
		d.Changes = append(d.Changes, Change{Host: clientHost, Path: f.Client.CertDir, Summary: s.T("distribute.change", "Files", strings.Join([]string{ClientCAFile, ClientCertFile, ClientKeyFile}, ", "))})
	}
	return d, nil
}

// hostLabel names a target in texts.
func (s *Session) hostLabel(target string) string {
	if target == plan.TargetLocal {
		return s.T("host.this_machine")
	}
	if h := plan.TargetHost(target); h != "" {
		return h
	}
	return target
}

// copyCommands are the tutorial's scp/ssh (or local install) commands.
func copyCommands(target, dir string, root bool, files [][2]string) []string {
	sudo := ""
	owner := ""
	if root {
		sudo, owner = "sudo ", " -o root -g root"
	}
	var installs []string
	dirMode := "0700"
	if root {
		dirMode = "0755"
	}
	installs = append(installs, fmt.Sprintf("%sinstall -d -m %s%s %s", sudo, dirMode, owner, dir))
	if target == plan.TargetLocal {
		for _, f := range files {
			mode := "0444"
			if strings.HasSuffix(f[1], "key.pem") {
				mode = "0400"
			}
			installs = append(installs, fmt.Sprintf("%sinstall -m %s%s %s %s", sudo, mode, owner, f[0], path.Join(dir, f[1])))
		}
		return installs
	}
	srcs := make([]string, len(files))
	for i, f := range files {
		srcs[i] = f[0]
	}
	dest := target
	port := ""
	if t, err := remote.ParseTarget(target); err == nil && t.Host != "" {
		dest = t.Host
		if t.User != "" {
			dest = t.User + "@" + t.Host
		}
		if t.Port != 0 && t.Port != 22 {
			port = fmt.Sprintf(" -P %d", t.Port)
		}
	}
	cmds := []string{fmt.Sprintf("scp%s %s %s:/tmp/", port, strings.Join(srcs, " "), dest)}
	var remoteCmds []string
	remoteCmds = append(remoteCmds, installs...)
	for _, f := range files {
		mode := "0444"
		if strings.HasSuffix(f[1], "key.pem") {
			mode = "0400"
		}
		remoteCmds = append(remoteCmds, fmt.Sprintf("%sinstall -m %s%s /tmp/%s %s", sudo, mode, owner, f[0], path.Join(dir, f[1])))
	}
	remoteCmds = append(remoteCmds, "rm /tmp/"+strings.Join(srcs, " /tmp/"))
	sshPort := strings.Replace(port, "-P", "-p", 1)
	cmds = append(cmds, fmt.Sprintf("ssh%s %s %s", sshPort, dest, shq(strings.Join(remoteCmds, " && "))))
	return cmds
}

func (distributeStep) Apply(ctx context.Context, s *Session, emit func(Event)) error {
	ships, err := s.shipments(ctx)
	if err != nil {
		return err
	}
	type todo struct {
		sh shipment
		st hostState
	}
	var work []todo
	var changes []Change
	for _, sh := range ships {
		st, err := sh.inspect(ctx)
		if err != nil {
			return err
		}
		if st.foreign != "" {
			return fmt.Errorf("%s. dockertls does not replace another CA's files: set %s.cert_dir in the plan to another directory (for a client, e.g. ~/.docker/%s with DOCKER_CERT_PATH from `dockertls env`), or back those files up and remove them, then run again",
				st.foreign, sh.role, s.Filled().Daemon.CommonName)
		}
		work = append(work, todo{sh, st})
		if !st.upToDate() && (sh.root || !sh.isLocal(s)) {
			changes = append(changes, Change{Host: sh.host.Name(), Path: sh.dir, Summary: sh.changeSummary(st)})
		}
	}
	if len(changes) > 0 && !s.Options.Yes {
		ok, err := s.Prompter.Confirm(ctx, ConfirmRequest{Step: StepDistribute, Changes: changes})
		if err != nil {
			return err
		}
		if !ok {
			return notConfirmed{"not confirmed: nothing was copied"}
		}
	}
	// Progress counts files: written of to write, over both hosts (a
	// host's files go in one command, so Done moves host by host).
	total := 0
	for _, w := range work {
		total += len(w.sh.toWrite(w.st))
	}
	done := 0
	changed := false
	for _, w := range work {
		n := len(w.sh.toWrite(w.st))
		if n > 0 {
			emit(Event{Kind: EventProgress, Done: done, Total: total,
				Message: fmt.Sprintf("writing %d file(s) to %s on %s", n, w.sh.dir, w.sh.host.Name())})
		}
		msg, did, err := w.sh.apply(ctx, w.st)
		if err != nil {
			return err
		}
		if n > 0 {
			done += n
			emit(Event{Kind: EventProgress, Done: done, Total: total,
				Message: fmt.Sprintf("wrote %d file(s) to %s on %s", n, w.sh.dir, w.sh.host.Name())})
		}
		if did && w.sh.role == "daemon" {
			s.mu.Lock()
			s.daemonFilesChanged = true
			s.mu.Unlock()
		}
		changed = changed || did
		emit(Event{Kind: EventInfo, Message: msg})
	}
	if !changed {
		emit(Event{Kind: EventSkipped, Message: "the daemon and client files are in place (nothing copied)"})
		return nil
	}
	emit(Event{Kind: EventDone, Message: fmt.Sprintf("copied the certificates to the daemon node (%s) and the client (%s)", ships[0].host.Name(), ships[1].host.Name())})
	return nil
}

func (sh shipment) isLocal(s *Session) bool {
	if sh.role == "daemon" {
		return s.DaemonIsLocal()
	}
	return s.ClientIsLocal()
}

func (sh shipment) changeSummary(st hostState) string {
	var parts []string
	if len(st.missing) > 0 {
		parts = append(parts, "add "+strings.Join(st.missing, ", "))
	}
	if len(st.stale) > 0 {
		parts = append(parts, "replace "+strings.Join(st.stale, ", ")+" (backed up first)")
	}
	if len(st.modes) > 0 {
		parts = append(parts, "fix the mode of "+strings.Join(st.modes, ", "))
	}
	return strings.Join(parts, "; ")
}

// apply writes what inspect found missing or different, backing up every
// file it replaces, and returns the host's one-line report.
func (sh shipment) apply(ctx context.Context, st hostState) (string, bool, error) {
	name := sh.host.Name()
	if st.upToDate() {
		return fmt.Sprintf("%s: %s up to date", name, sh.dir), false, nil
	}
	files := sh.toWrite(st)
	written := make([]string, len(files))
	for i, f := range files {
		written[i] = f.name
	}
	dirMode := fs.FileMode(0o700)
	if sh.root {
		dirMode = 0o755
	}
	if err := installFiles(ctx, sh.host, sh.dir, dirMode, sh.root, files); err != nil {
		return "", false, err
	}
	owner := "owned by you"
	if sh.root {
		owner = "owned by root"
	}
	return fmt.Sprintf("%s: wrote %s to %s (%s; key 0400, certificates 0444)", name, strings.Join(written, ", "), sh.dir, owner), true, nil
}

// toWrite lists the files apply writes for a host state: the missing, the
// stale (backed up first) and those with the wrong mode or owner.
func (sh shipment) toWrite(st hostState) []installFile {
	if st.upToDate() {
		return nil
	}
	need := map[string]bool{}
	for _, n := range append(append([]string{}, st.missing...), st.stale...) {
		need[n] = true
	}
	for _, m := range st.modes {
		need[strings.SplitN(m, " ", 2)[0]] = true
	}
	stale := map[string]bool{}
	for _, n := range st.stale {
		stale[n] = true
	}
	var files []installFile
	for _, f := range sh.files {
		if need[f.remote] {
			files = append(files, installFile{name: f.remote, data: f.data, mode: f.mode, backup: stale[f.remote]})
		}
	}
	return files
}

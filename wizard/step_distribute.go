package wizard

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/dockertls/dockertls/internal/fsread"
	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/internal/shellquote"
	"github.com/dockertls/dockertls/pki"
	"github.com/dockertls/dockertls/remote"
	"github.com/dockertls/dockertls/wizard/fix"
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

// shipment is one host's set of files: the CA certificate, the
// certificate and its key, in that order (see setRole).
type shipment struct {
	role  string // "daemon" or "client"
	host  remote.Host
	dir   string // the plan's cert_dir: where missing or wrong files are written
	root  bool   // root-owned files, written with sudo
	files [3]shipFile
	judge setJudge
	// configured: the paths are the ones the daemon's configuration names
	// (adopted, or kept by name in dir), not dockertls's defaults.
	configured bool
}

type shipFile struct {
	local string // file in the PKI directory
	path  string // the file on the host
	mode  fs.FileMode
	data  []byte
}

// hostState is what a host has, judged.
type hostState struct {
	found    [3]foundFile
	verdict  setVerdict
	dirGone  bool
	manifest manifest // the cert_dir's record of what dockertls wrote (read only when something is wrong)
}

// remoteDir expands "~" in a cert_dir on its host.
func remoteDir(ctx context.Context, h remote.Host, dir string) (string, error) {
	if dir != "~" && !strings.HasPrefix(dir, "~/") {
		return dir, nil
	}
	home, err := h.HomeDir(ctx)
	if err != nil {
		return "", i18n.Errorf("distribute.err.expand", "Dir", dir, "Host", h.Name(), "Err", err)
	}
	return plan.HostPath(dir, home), nil
}

// shipments connects to both hosts and reads the local files to send.
func (s *Session) shipments(ctx context.Context) ([]shipment, error) {
	d, ok := s.existingPKI()
	if !ok {
		if err := s.pkiAccessError(); err != nil {
			return nil, err
		}
		return nil, i18n.Errorf("distribute.err.no_pki", "Dir", s.pkiDirPath())
	}
	daemonCert, daemonKey := s.daemonFiles()
	read := func(name string) ([]byte, error) {
		if name == pki.FileCA {
			// Both CAs while a rotation is in progress (pki.TrustBundle).
			return d.TrustBundle()
		}
		b, err := fsread.ReadFile(d.Path(name), fsread.MaxPEM)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, i18n.Errorf("distribute.err.unreadable", "Path", d.Path(name), "Err", err)
		}
		if err != nil {
			step := StepCA
			switch name {
			case daemonCert, daemonKey:
				step = StepDaemonCert
			case pki.FileClientCert, pki.FileClientKey:
				step = StepClientCert
			}
			return nil, i18n.Errorf("distribute.err.missing", "Path", d.Path(name), "Step", string(step), "Command", s.say(applySteps(step)), "Err", err)
		}
		return b, nil
	}
	ourCA, _ := d.LoadCert(pki.FileCA)
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
			base, err := s.baseDaemonSettings(ctx, sh.host)
			if err != nil {
				return nil, err
			}
			df, err := s.daemonFileSet(ctx, sh.host, base)
			if err != nil {
				return nil, err
			}
			set := base
			set.CACert, set.Cert, set.Key = df.paths[roleCA], df.paths[roleCert], df.paths[roleKey]
			sh.dir, sh.configured = base.CertDir, df.adopted
			sh.files = [3]shipFile{{pki.FileCA, set.CACert, 0o444, nil}, {daemonCert, set.Cert, 0o444, nil}, {daemonKey, set.Key, 0o400, nil}}
			sh.judge = s.daemonJudge(ourCA)
		} else {
			if sh.host, err = s.ClientHost(ctx); err != nil {
				return nil, err
			}
			if sh.dir, err = s.ClientCertDir(ctx); err != nil {
				return nil, err
			}
			sh.files = [3]shipFile{{pki.FileCA, path.Join(sh.dir, ClientCAFile), 0o444, nil}, {pki.FileClientCert, path.Join(sh.dir, ClientCertFile), 0o444, nil}, {pki.FileClientKey, path.Join(sh.dir, ClientKeyFile), 0o400, nil}}
			sh.judge = setJudge{usage: pki.UsageClient, ca: ourCA, previous: d.PreviousCACert(), window: s.renewWindow(), loc: s.Options.Localizer}
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

// daemonJudge is what the daemon's files are judged against.
func (s *Session) daemonJudge(ourCA *x509.Certificate) setJudge {
	d := s.Filled().Daemon
	var previous *x509.Certificate
	if dir, ok := s.existingPKI(); ok {
		previous = dir.PreviousCACert()
	}
	return setJudge{usage: pki.UsageServer, ca: ourCA, previous: previous, host: d.Address, sans: d.SANs, window: s.renewWindow(), root: true, loc: s.Options.Localizer}
}

// readSet reads the three files of a set on h, one command per directory.
func readSet(ctx context.Context, h remote.Host, paths [3]string, sudo bool) ([3]foundFile, bool, error) {
	var found [3]foundFile
	byDir := map[string][]string{}
	var dirs []string
	for i, p := range paths {
		found[i].path = p
		d := path.Dir(p)
		if _, ok := byDir[d]; !ok {
			dirs = append(dirs, d)
		}
		byDir[d] = append(byDir[d], path.Base(p))
	}
	anyDir := false
	for _, d := range dirs {
		snaps, exists, err := snapshotDir(ctx, h, d, byDir[d], sudo)
		if err != nil {
			return found, false, err
		}
		anyDir = anyDir || exists
		for i, p := range paths {
			if path.Dir(p) != d {
				continue
			}
			if snap, ok := snaps[path.Base(p)]; ok {
				found[i].exists, found[i].snap = true, snap
			}
		}
	}
	return found, anyDir, nil
}

// inspect reads and judges a host's files.
func (sh shipment) inspect(ctx context.Context) (hostState, error) {
	var st hostState
	var paths [3]string
	for i, f := range sh.files {
		paths[i] = f.path
	}
	found, anyDir, err := readSet(ctx, sh.host, paths, sh.root)
	if err != nil {
		return st, err
	}
	st.found, st.dirGone = found, !anyDir
	st.verdict = sh.judge.judgeSet(found)
	if !st.verdict.ok() && anyDir {
		snaps, _, err := snapshotDir(ctx, sh.host, sh.dir, []string{ManifestFile}, sh.root)
		if err != nil {
			return st, err
		}
		st.manifest = parseManifest(snaps[ManifestFile].data)
	}
	return st, nil
}

// origin says who wrote a file found on the host, for the lines that say
// it is replaced: dockertls (by its manifest) or someone else.
func (st hostState) origin(l *i18n.Localizer, i int) string {
	f := st.found[i]
	if !f.exists {
		return ""
	}
	if stamp, ok := st.manifest.writtenBy(path.Base(f.path), f.snap.data); ok {
		return l.T("distribute.origin.ours", "Stamp", stamp)
	}
	return l.T("distribute.origin.foreign")
}

func shortFP(c *x509.Certificate) string {
	fp := pki.Fingerprint(c)
	if len(fp) > 23 {
		return fp[:23] + "…"
	}
	return fp
}

func (distributeStep) Check(ctx context.Context, s *Session) []Finding {
	again := applySteps(StepDistribute).With("--yes")
	ships, err := s.shipments(ctx)
	if err != nil {
		return []Finding{{Step: StepDistribute, Status: StatusFail, Code: "unavailable", Message: s.Error(err), Fix: fix.New(s.T("distribute.check.fix_error"), again)}}
	}
	var out []Finding
	for _, sh := range ships {
		st, err := sh.inspect(ctx)
		where := s.T("distribute.check.where", "Dir", sh.dir, "Host", sh.host.Name())
		if err != nil {
			out = append(out, Finding{Step: StepDistribute, Status: StatusFail, Code: "unreadable", Message: s.Error(err), Fix: fix.New(again)})
			continue
		}
		out = append(out, sh.findings(s.Options.Localizer, st, where, again)...)
	}
	return out
}

// findings turns a host's judged state into doctor's lines, in l's
// language.
func (sh shipment) findings(l *i18n.Localizer, st hostState, where string, again fix.Command) []Finding {
	v := st.verdict
	role := sh.roleWord(l)
	if v.ok() {
		msg := l.T("distribute.check.up_to_date", "Role", role, "Where", where)
		if sh.configured {
			msg = l.T("distribute.check.own_valid", "Role", role, "Paths", strings.Join(sh.paths(), ", "), "Host", sh.host.Name())
			if n := sh.judge.namesNote(st.found, [3]string{DaemonCAFile, DaemonCertFile, DaemonKeyFile}); n != "" {
				msg = l.T("distribute.check.and", "Msg", msg, "Note", n)
			}
		}
		if len(v.notes) > 0 {
			msg = l.T("distribute.check.notes", "Msg", msg, "Notes", strings.Join(v.notes, "; "))
		}
		return []Finding{{Step: StepDistribute, Status: StatusOK, Code: "ok", Message: msg}}
	}
	code := sh.role + "-files-invalid"
	missing := 0
	modes := 0
	for i, b := range v.bad {
		switch {
		case b == "":
		case !st.found[i].exists:
			missing++
		case v.modeOnly[i]:
			modes++
		}
	}
	bad := len(v.problems())
	switch {
	case v.foreign != "":
		code = sh.role + "-files-foreign"
	case missing == bad:
		code = sh.role + "-files-missing"
	case modes == bad:
		code = sh.role + "-file-permissions"
	case v.renew:
		code = sh.role + "-files-expiring-soon"
	}
	status := StatusFail
	if v.renewOnly {
		status = StatusWarn
	}
	repair := fix.New(again, l.T("distribute.check.repair_backup"))
	if sh.configured && !sh.inDir() {
		repair = fix.New(again, l.T("distribute.check.repair_new_set", "Dir", sh.dir))
	}
	return []Finding{{Step: StepDistribute, Status: status, Code: code,
		Message: l.T("distribute.check.bad", "Role", role, "Host", sh.host.Name(), "Problems", strings.Join(v.problems(), "; ")),
		Fix:     repair}}
}

// roleWord is "daemon" or "client" in l's language.
func (sh shipment) roleWord(l *i18n.Localizer) string {
	if sh.role == "daemon" {
		return l.T("distribute.role.daemon")
	}
	return l.T("distribute.role.client")
}

// paths lists the set's paths on the host.
func (sh shipment) paths() []string {
	out := make([]string, len(sh.files))
	for i, f := range sh.files {
		out[i] = f.path
	}
	return out
}

// inDir reports whether every file of the set is in the plan's cert_dir.
func (sh shipment) inDir() bool {
	for _, f := range sh.files {
		if path.Dir(f.path) != sh.dir {
			return false
		}
	}
	return true
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
	d.Commands = append(d.Commands, "cd "+shellquote.POSIX(dirPKI))
	daemonCert, daemonKey := s.daemonFiles()
	d.Commands = append(d.Commands, copyCommands(f.Daemon.SSH, f.Daemon.CertDir, true,
		[][2]string{{pki.FileCA, DaemonCAFile}, {daemonCert, DaemonCertFile}, {daemonKey, DaemonKeyFile}})...)
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

// copyCommands are the tutorial's scp/ssh (or local install) commands,
// run from the PKI directory. On another host the files travel through a
// private directory that mktemp -d makes there (never fixed names in the
// shared /tmp, where another user could read the key or plant a file),
// which the last command removes. Every word is quoted; the target follows
// "--" (sshDest).
func copyCommands(target, dir string, root bool, files [][2]string) []string {
	sudo, owner, dirMode := "", "", "0700"
	if root {
		sudo, owner, dirMode = "sudo ", " -o root -g root", "0755"
	}
	// tmpRef stands for the remote temp directory until the command is
	// quoted for this shell; then it becomes "${tmp:?}", expanded here (and
	// the shell refuses to run the command when mktemp gave nothing).
	const tmpRef = "\x00tmp\x00"
	installs := []string{fmt.Sprintf("%sinstall -d -m %s%s %s", sudo, dirMode, owner, shellPath(dir))}
	for _, f := range files {
		mode := "0444"
		if strings.HasSuffix(f[1], "key.pem") {
			mode = "0400"
		}
		src := shellquote.POSIX(f[0])
		if target != plan.TargetLocal {
			src = tmpRef + "/" + src
		}
		installs = append(installs, fmt.Sprintf("%sinstall -m %s%s %s %s", sudo, mode, owner, src, shellPath(path.Join(dir, f[1]))))
	}
	if target == plan.TargetLocal {
		return installs
	}
	srcs := make([]string, len(files))
	for i, f := range files {
		srcs[i] = shellquote.POSIX(f[0])
	}
	port, dest := sshDest(target)
	sshPort, scpPort := "", ""
	if port != 0 {
		sshPort, scpPort = fmt.Sprintf(" -p %d", port), fmt.Sprintf(" -P %d", port)
	}
	tty := ""
	if root {
		tty = " -t" // sudo may ask for the password
	}
	// The temp directory goes whether the installs worked or not.
	script := strings.Join(installs, " && ") + "; rm -r -- " + tmpRef
	quoted := strings.TrimSuffix(strings.ReplaceAll(shellquote.POSIX(script), tmpRef, `'"${tmp:?}"'`), "''")
	return []string{
		fmt.Sprintf("tmp=$(ssh%s -- %s mktemp -d)", sshPort, dest),
		fmt.Sprintf("scp%s -- %s %s:\"${tmp:?}\"/", scpPort, strings.Join(srcs, " "), dest),
		fmt.Sprintf("ssh%s%s -- %s %s", tty, sshPort, dest, quoted),
	}
}

func (distributeStep) Apply(ctx context.Context, s *Session, emit func(Event)) error {
	ships, err := s.shipments(ctx)
	if err != nil {
		return err
	}
	if s.clientMu != nil {
		// The daemons of a fleet share the client: one writes its files,
		// the others then find them in place. (Reading each daemon node,
		// the slow part, is done by then.)
		s.clientMu.Lock()
		defer s.clientMu.Unlock()
	}
	type todo struct {
		sh    shipment
		st    hostState
		files []installFile
	}
	var work []todo
	var changes []Change
	for _, sh := range ships {
		st, err := sh.inspect(ctx)
		if err != nil {
			return err
		}
		files, err := sh.toWrite(st, s)
		if err != nil {
			return err
		}
		work = append(work, todo{sh, st, files})
		if len(files) > 0 && (sh.root || !sh.isLocal(s)) {
			changes = append(changes, Change{Host: sh.host.Name(), Path: sh.dir, Summary: sh.changeSummary(s.Options.Localizer, files)})
		}
	}
	if len(changes) > 0 && !s.Options.Yes {
		ok, err := s.Prompter.Confirm(ctx, ConfirmRequest{Step: StepDistribute, Changes: changes})
		if err != nil {
			return err
		}
		if !ok {
			return notConfirmed{s.T("distribute.apply.not_confirmed")}
		}
	}
	// Progress counts files: written of to write, over both hosts (a
	// host's files go in one command, so Done moves host by host).
	total := 0
	for _, w := range work {
		total += len(w.files)
	}
	done := 0
	changed := false
	for _, w := range work {
		n := len(w.files)
		if n == 0 {
			emit(Event{Kind: EventInfo, Message: w.sh.upToDateLine(s.Options.Localizer)})
			if d, ok := s.existingPKI(); ok {
				recordShipment(d, w.sh, emit)
			}
			continue
		}
		emit(Event{Kind: EventProgress, Done: done, Total: total,
			Message: s.T("distribute.apply.writing", "Count", n, "Dir", w.sh.dir, "Host", w.sh.host.Name())})
		for i, p := range w.st.verdict.bad {
			if p == "" {
				continue
			}
			if o := w.st.origin(s.Options.Localizer, i); o != "" {
				p = s.T("distribute.apply.problem_origin", "Problem", p, "Origin", o)
			}
			id := "distribute.apply.replacing"
			if w.st.verdict.modeOnly[i] {
				id = "distribute.apply.setting_mode"
			}
			emit(Event{Kind: EventInfo, Message: s.T(id, "Host", w.sh.host.Name(), "Problem", p)})
		}
		msgs, err := w.sh.apply(ctx, s.Options.Localizer, w.files)
		if err != nil {
			return err
		}
		done += n
		emit(Event{Kind: EventProgress, Done: done, Total: total,
			Message: s.T("distribute.apply.wrote_count", "Count", n, "Dir", w.sh.dir, "Host", w.sh.host.Name())})
		if w.sh.role == "daemon" {
			s.mu.Lock()
			s.daemonFilesChanged = true
			s.mu.Unlock()
		}
		changed = true
		for _, m := range msgs {
			emit(Event{Kind: EventInfo, Message: m})
		}
		if d, ok := s.existingPKI(); ok {
			recordShipment(d, w.sh, emit)
		}
	}
	if !changed {
		emit(Event{Kind: EventSkipped, Message: s.T("distribute.apply.in_place")})
		return nil
	}
	emit(Event{Kind: EventDone, Message: s.T("distribute.apply.done", "Daemon", ships[0].host.Name(), "Client", ships[1].host.Name())})
	return nil
}

func (sh shipment) isLocal(s *Session) bool {
	if sh.role == "daemon" {
		return s.DaemonIsLocal()
	}
	return s.ClientIsLocal()
}

// upToDateLine is a host's line when nothing is written.
func (sh shipment) upToDateLine(l *i18n.Localizer) string {
	if sh.configured {
		return l.T("distribute.apply.own_kept", "Host", sh.host.Name(), "Role", sh.roleWord(l), "Paths", strings.Join(sh.paths(), ", "))
	}
	return l.T("distribute.apply.up_to_date", "Host", sh.host.Name(), "Dir", sh.dir)
}

func (sh shipment) changeSummary(l *i18n.Localizer, files []installFile) string {
	var add, replace, chmod []string
	for _, f := range files {
		switch {
		case f.backup:
			replace = append(replace, f.name)
		case f.chmodOnly:
			chmod = append(chmod, f.name)
		default:
			add = append(add, f.name)
		}
	}
	var parts []string
	if len(add) > 0 {
		parts = append(parts, l.T("distribute.change.write", "Files", strings.Join(add, ", ")))
	}
	if len(replace) > 0 {
		parts = append(parts, l.T("distribute.change.replace", "Files", strings.Join(replace, ", ")))
	}
	if len(chmod) > 0 {
		parts = append(parts, l.T("distribute.change.chmod", "Files", strings.Join(chmod, ", ")))
	}
	return strings.Join(parts, "; ")
}

// apply writes the files and returns the host's report lines: what was
// written, and every backup taken, in l's language.
func (sh shipment) apply(ctx context.Context, l *i18n.Localizer, files []installFile) ([]string, error) {
	name := sh.host.Name()
	written := make([]string, len(files))
	for i, f := range files {
		written[i] = f.name
	}
	dirMode := fs.FileMode(0o700)
	if sh.root {
		dirMode = 0o755
	}
	backups, err := installFiles(ctx, sh.host, sh.dir, dirMode, sh.root, files)
	if err != nil {
		return nil, err
	}
	id := "distribute.apply.wrote_yours"
	if sh.root {
		id = "distribute.apply.wrote_root"
	}
	out := []string{l.T(id, "Host", name, "Files", strings.Join(written, ", "), "Dir", sh.dir)}
	for _, b := range backups {
		out = append(out, l.T("distribute.apply.backed_up", "Host", name, "Backup", b))
	}
	return out, nil
}

// toWrite lists the files apply writes for a judged state: each wrong
// file (the certificate and its key always together, as a pair), the PKI's
// copy in its place after a backup; a file whose only fault is its mode
// gets the right mode. Every file written is in the plan's cert_dir: a set
// found elsewhere is never touched (shipments puts a set that cannot be
// kept into cert_dir).
func (sh shipment) toWrite(st hostState, s *Session) ([]installFile, error) {
	v := st.verdict
	if v.ok() {
		return nil, nil
	}
	write := [3]bool{}
	for i, b := range v.bad {
		write[i] = b != ""
	}
	pairBroken := (write[roleCert] && !v.modeOnly[roleCert]) || (write[roleKey] && !v.modeOnly[roleKey])
	if pairBroken {
		write[roleCert], write[roleKey] = true, true
	}
	var files []installFile
	changes, chmods := false, false
	for i, f := range sh.files {
		if !write[i] {
			continue
		}
		if path.Dir(f.path) != sh.dir {
			return nil, i18n.Errorf("distribute.err.outside", "Path", f.path, "Host", sh.host.Name(), "Dir", sh.dir, "Problems", strings.Join(v.problems(), "; "))
		}
		found := st.found[i]
		name := path.Base(f.path)
		if v.modeOnly[i] && !(pairBroken && setRole(i) != roleCA) {
			files = append(files, installFile{name: name, data: found.snap.data, mode: f.mode, chmodOnly: true})
			chmods = true
			continue
		}
		files = append(files, installFile{name: name, data: f.data, mode: f.mode, backup: found.exists})
		if !found.exists || !bytes.Equal(found.snap.data, f.data) {
			changes = true
		}
	}
	if !changes && !chmods {
		// The PKI directory holds the very same files: writing them again
		// would change nothing. The fault is in the PKI directory.
		step := StepClientCert
		if sh.role == "daemon" {
			step = StepDaemonCert
		}
		if v.bad[roleCA] != "" {
			step = StepCA
		}
		return nil, i18n.Errorf("distribute.err.same_as_pki", "Role", i18n.M("distribute.role."+sh.role), "Host", sh.host.Name(), "Problems", strings.Join(v.problems(), "; "), "Command", s.say(applySteps(step)))
	}
	return files, nil
}

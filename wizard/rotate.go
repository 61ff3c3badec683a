package wizard

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/pki"
	"github.com/dockertls/dockertls/remote"
	"github.com/dockertls/dockertls/wizard/daemon"
	"github.com/dockertls/dockertls/wizard/fix"
)

// A CA rotation moves a daemon and its clients to a new CA without cutting
// anybody off, in two phases (`dockertls rotate-ca`, then `--finish`).
//
// Phase 1 makes the new CA (the old one kept as ca-previous*.pem), gives
// the daemon and the plan's client a trust bundle of both CAs as ca.pem,
// issues the plan's client again under the new CA and restarts the daemon.
// The daemon keeps serving the certificate of the OLD CA: a client that
// holds only the old ca.pem can check nothing else. Cross-signing the new
// CA by the old one does not help, because dockertls's CAs (pathlen 0)
// may sign only end certificates, so no client would accept the chain.
// Every client re-issued meanwhile gets the bundle, so it verifies the
// daemon's certificate of either CA.
//
// Phase 2, once every client has the new CA's files, issues the daemon's
// certificate under the new CA, retires the old CA and gives the daemon
// and the plan's client the new CA alone: certificates of the old CA are
// refused from then on.

// StepRotateCA names the events of a rotation.
const StepRotateCA StepName = "rotate-ca"

// RotateOptions choose the phase of `dockertls rotate-ca`.
type RotateOptions struct {
	Finish bool // phase 2: retire the old CA
	Force  bool // finish although certificates of the old CA are still in use
}

// rememberedPassphrase is the CA passphrase asked earlier in this run (""
// when the key was not encrypted or nothing was asked yet).
func (s *Session) rememberedPassphrase() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.caPassphrase != nil {
		return *s.caPassphrase
	}
	return ""
}

// issuedByPrevious reports whether cert was signed by the CA a rotation in
// progress replaces.
func issuedByPrevious(d *pki.Dir, cert *x509.Certificate) bool {
	prev := d.PreviousCACert()
	return prev != nil && cert.CheckSignatureFrom(prev) == nil
}

// previousCAMatter reports whether a problem of the previous CA itself is
// beside the point during a rotation: its weakness or near expiry is why
// it is being replaced, and its clients still use it until --finish. Only
// a previous CA that no longer works at all (expired, not yet valid)
// counts.
func previousCAMatter(p pki.Problem) bool {
	return strings.HasPrefix(p.Code, "ca-") && p.Code != pki.CodeCAExpired && p.Code != pki.CodeCANotYetValid
}

// oldClientsCanCheck reports whether the daemon's certificate in the PKI
// directory, of the previous CA, is still one its clients accept: then
// phase 1 keeps it.
func oldClientsCanCheck(d *pki.Dir, spec leafSpec, host string) bool {
	cert, err := d.LoadCert(spec.certFile)
	if err != nil || !issuedByPrevious(d, cert) {
		return false
	}
	for _, p := range pki.Verify(pki.VerifyInput{CA: d.PreviousCACert(), Cert: cert, Usage: spec.usage, Host: host}) {
		if p.Severity == pki.Fail && !previousCAMatter(p) {
			return false
		}
	}
	return true
}

// RotateCA runs one phase of a CA rotation. A failure in a phase rolls
// that phase back: the PKI directory and every file written on the hosts
// are put back as they were and the daemon restarted on them.
func (r *Runner) RotateCA(ctx context.Context, o RotateOptions, emit func(Event)) error {
	if emit == nil {
		emit = func(Event) {}
	}
	return rotate(ctx, []rotMember{{r: r}}, o, emit)
}

// RotateCA rotates the CA of every daemon of the fleet at once: all of
// them must trust both CAs while the rotation runs, so a failure on any
// daemon rolls the phase back on all of them.
func (f *Fleet) RotateCA(ctx context.Context, o RotateOptions, emit func(Event)) error {
	members := make([]rotMember, len(f.Members))
	for i, m := range f.Members {
		members[i] = rotMember{name: m.Name, r: m.Runner}
	}
	return rotate(ctx, members, o, emit)
}

func rotate(ctx context.Context, members []rotMember, o RotateOptions, emit func(Event)) error {
	if emit == nil {
		emit = func(Event) {}
	}
	s := members[0].r.session
	d, ok := s.existingPKI()
	if !ok || !d.Exists(pki.FileCA) || !d.Exists(pki.FileCAKey) {
		return i18n.Errorf("wizard.rotate.no_ca", "Dir", s.pkiDirPath(), "Command", s.applyStep(StepCA))
	}
	rot := &rotation{members: members, s: s, d: d, emit: func(e Event) {
		if e.Step == "" {
			e.Step = StepRotateCA
		}
		emit(e)
	}}
	if o.Finish {
		return rot.finish(ctx, o.Force)
	}
	return rot.begin(ctx)
}

// rotMember is one daemon of a rotation (name "" for a plan with one
// daemon: section).
type rotMember struct {
	name string
	r    *Runner
}

// session is the member's session.
func (m rotMember) session() *Session { return m.r.session }

// rotation is one phase's run: what it changed, to undo on failure. The
// PKI directory and the plan's client are shared by every member (s is
// the first member's session).
type rotation struct {
	members []rotMember
	s       *Session
	d       *pki.Dir
	emit    func(Event)
	undo    []func() error // in the order done
	snaps   []hostSnap     // the hosts' files before the phase
}

// emitFor is the event sink of a member: its messages name its daemon.
func (rt *rotation) emitFor(m rotMember) func(Event) {
	if m.name == "" {
		return rt.emit
	}
	return func(e Event) {
		if e.Message != "" {
			e.Message = m.name + ": " + e.Message
		}
		rt.emit(e)
	}
}

// sharePassphrase gives every member the CA passphrase unlocked once.
func (rt *rotation) sharePassphrase() {
	rt.s.mu.Lock()
	pass := rt.s.caPassphrase
	rt.s.mu.Unlock()
	if pass == nil {
		return
	}
	for _, m := range rt.members[1:] {
		ms := m.session()
		ms.mu.Lock()
		if ms.caPassphrase == nil {
			ms.caPassphrase = pass
		}
		ms.mu.Unlock()
	}
}

// say emits one line of the rotation's progress (words from rt.s.T).
func (rt *rotation) say(kind EventKind, msg string) {
	rt.emit(Event{Kind: kind, Message: msg})
}

// begin is phase 1.
func (rt *rotation) begin(ctx context.Context) error {
	s, d := rt.s, rt.d
	if d.Rotating() {
		rt.say(EventSkipped, s.T("wizard.rotate.begun_already", "Left", s.rotationLeft(d)))
		return nil
	}
	if err := rt.requireWorkingSetup(ctx); err != nil {
		return err
	}
	old, err := s.unlockCA(ctx, d) // a weak CA too: it is what is replaced
	if err != nil {
		return err
	}
	f := s.Filled()
	pass := s.rememberedPassphrase()
	if pass == "" && f.CA.PassphraseEnv != "" {
		if pass, err = s.passphrase(ctx, true); err != nil {
			return err
		}
	}
	rt.sharePassphrase()
	key, err := s.takeKey(StepCA, f.CA.Key)
	if err != nil {
		return i18n.Errorf("wizard.rotate.new_key", "Err", err)
	}
	next, err := pki.NewCA(pki.CAOptions{CommonName: f.CA.CommonName, Key: key, Days: f.CA.Days})
	if err != nil {
		return err
	}
	if err := rt.start(ctx); err != nil {
		return err
	}
	undoCA, err := d.BeginRotation(next, pass)
	if err != nil {
		return err
	}
	rt.undo = append(rt.undo, undoCA)
	s.record(d, rt.emit, pki.NewRecord(pki.KindCA, next.Cert.Subject.CommonName, next.Cert, next.Cert, pki.FileCA, pki.FileCAKey))
	rt.emit(Event{Step: StepCA, Kind: EventDone, Message: s.T("wizard.rotate.new_ca",
		"CN", strconv.Quote(next.Cert.Subject.CommonName), "Cert", s.certLine(next.Cert), "CA", d.Path(pki.FileCAPrevious), "Key", d.Path(pki.FileCAPreviousKey))})
	// The plan's client moves to the new CA now; the daemon keeps the old
	// CA's certificate, the only one old clients can check, unless it no
	// longer works for anybody (the old CA expired).
	if err := rt.reissue(ctx, rt.members[0], s.clientLeaf()); err != nil {
		return rt.rollback(ctx, err)
	}
	for _, m := range rt.members {
		ms := m.session()
		if !oldClientsCanCheck(d, ms.daemonLeaf(), ms.Filled().Daemon.Address) {
			rt.emitFor(m)(Event{Kind: EventInfo, Message: s.T("wizard.rotate.daemon_cert_dead")})
			if err := rt.reissue(ctx, m, ms.daemonLeaf()); err != nil {
				return rt.rollback(ctx, err)
			}
		}
	}
	if err := rt.deploy(ctx); err != nil {
		return rt.rollback(ctx, err)
	}
	if err := rt.checkBoth(ctx, old, true); err != nil {
		return rt.rollback(ctx, err)
	}
	rt.say(EventDone, s.T("wizard.rotate.begun", "Left", s.rotationLeft(d)))
	return nil
}

// finish is phase 2.
func (rt *rotation) finish(ctx context.Context, force bool) error {
	s, d := rt.s, rt.d
	if !d.Rotating() {
		rt.say(EventSkipped, s.T("wizard.rotate.nothing_to_finish", "Command", s.Command("rotate-ca")))
		return nil
	}
	prev := d.PreviousCACert()
	if prev == nil {
		return i18n.Errorf("wizard.rotate.previous_unreadable", "File", d.Path(pki.FileCAPrevious))
	}
	left, err := s.onPreviousCA(d)
	if err != nil {
		return err
	}
	if len(left) > 0 {
		list := s.describeLeft(left)
		if !force {
			return i18n.Errorf("wizard.rotate.refuse_finish", "Count", len(left), "CN", strconv.Quote(prev.Subject.CommonName), "List", list, "Command", s.renewCommand(left))
		}
		rt.say(EventWarn, s.T("wizard.rotate.forced", "List", list))
	}
	if err := rt.requireWorkingSetup(ctx); err != nil {
		return err
	}
	// The old CA's key is only needed to prove its clients are refused
	// afterwards; without it that check is skipped.
	old, err := d.LoadPreviousCA(func() (string, error) { return s.passphrase(ctx, false) })
	if err != nil {
		rt.say(EventWarn, s.T("wizard.rotate.previous_key", "Err", err))
		old = nil
	}
	rt.sharePassphrase()
	if err := rt.start(ctx); err != nil {
		return err
	}
	todo := []struct {
		m    rotMember
		spec leafSpec
	}{{rt.members[0], s.clientLeaf()}}
	for _, m := range rt.members {
		todo = append(todo, struct {
			m    rotMember
			spec leafSpec
		}{m, m.session().daemonLeaf()})
	}
	for _, t := range todo {
		cert, err := d.LoadCert(t.spec.certFile)
		if err == nil && cert.CheckSignatureFrom(prev) != nil {
			continue // already the new CA's
		}
		if err := rt.reissue(ctx, t.m, t.spec); err != nil {
			return rt.rollback(ctx, err)
		}
	}
	kept, undoEnd, err := d.EndRotation()
	if err != nil {
		return rt.rollback(ctx, err)
	}
	rt.undo = append(rt.undo, undoEnd)
	rt.say(EventInfo, s.T("wizard.rotate.retired", "Files", s.and(kept)))
	if err := rt.deploy(ctx); err != nil {
		return rt.rollback(ctx, err)
	}
	if err := rt.checkBoth(ctx, old, false); err != nil {
		return rt.rollback(ctx, err)
	}
	rt.say(EventDone, s.T("wizard.rotate.finished"))
	return nil
}

// start takes what a rollback puts back: the hosts' files, the PKI
// directory's inventory and serial file.
func (rt *rotation) start(ctx context.Context) error {
	restore, err := rt.d.SnapshotFiles(pki.FileInventory, pki.FileCASerial)
	if err != nil {
		return err
	}
	rt.undo = append(rt.undo, restore)
	for _, m := range rt.members {
		snaps, err := m.session().snapshotHosts(ctx)
		if err != nil {
			return err
		}
		for i := range snaps {
			snaps[i].member = m
		}
		rt.snaps = append(rt.snaps, snaps...)
	}
	return nil
}

// requireWorkingSetup refuses to rotate a setup that does not work: the
// phase must start from files that it can restore and that clients use.
func (rt *rotation) requireWorkingSetup(ctx context.Context) error {
	for _, m := range rt.members {
		for _, step := range []StepName{StepDistribute, StepDaemonConfig} {
			for _, f := range m.r.Check(ctx, step) {
				if f.Status == StatusFail && m.name != "" {
					return i18n.Errorf("wizard.rotate.broken_daemon", "Daemon", m.name, "Step", step, "Problem", f.Message, "Command", rt.s.Command("apply", "--yes"))
				}
				if f.Status == StatusFail {
					return i18n.Errorf("wizard.rotate.broken", "Step", step, "Problem", f.Message, "Command", rt.s.Command("apply", "--yes"))
				}
			}
		}
	}
	return nil
}

// reissue issues spec's certificate under the current CA, keeping the old
// pair as *.rotated-TIMESTAMP (and putting it back on rollback).
func (rt *rotation) reissue(ctx context.Context, m rotMember, spec leafSpec) error {
	suffix := ".rotated-" + time.Now().UTC().Format("20060102T150405Z")
	kept, restore, err := rt.d.KeepCopies(suffix, spec.certFile, spec.keyFile)
	if err != nil {
		return err
	}
	rt.undo = append(rt.undo, restore)
	emit := func(e Event) {
		e.Step = spec.step
		rt.emitFor(m)(e)
	}
	if len(kept) > 0 {
		emit(Event{Kind: EventInfo, Message: rt.s.T("wizard.rotate.kept_pair", "Cert", spec.certFile, "Key", spec.keyFile, "Files", rt.s.and(kept))})
	}
	return issueLeaf(ctx, m.session(), rt.d, spec, emit)
}

// deploy copies the files to the hosts and restarts the daemon on them,
// through the distribute and daemon-config steps (their backups listed).
func (rt *rotation) deploy(ctx context.Context) error {
	for _, m := range rt.members {
		for _, step := range []StepName{StepDistribute, StepDaemonConfig} {
			if err := m.r.Apply(ctx, step, rt.emitFor(m)); err != nil {
				if m.name != "" {
					return i18n.Errorf("wizard.step.daemon_failed", "Daemon", m.name, "Step", step, "Err", err)
				}
				return i18n.Errorf("wizard.step.failed", "Step", step, "Err", err)
			}
		}
	}
	return nil
}

// checkBoth connects to the daemon as two clients would. During a
// rotation (phase 1): one holding the OLD files (a certificate of the old
// CA, only the old CA to check the daemon with) and the plan's re-issued
// client (its certificate and its bundle); both must get in. After it: the
// plan's client with the new CA alone gets in, a client of the old CA is
// refused. old may be nil (its key could not be read): then its check is
// skipped.
func (rt *rotation) checkBoth(ctx context.Context, old *pki.CA, rotating bool) error {
	for _, m := range rt.members {
		if err := rt.checkMember(ctx, m, old, rotating); err != nil {
			if m.name != "" {
				return i18n.Errorf("wizard.rotate.daemon_failed", "Daemon", m.name, "Err", err)
			}
			return err
		}
	}
	return nil
}

// checkMember is checkBoth for one daemon.
func (rt *rotation) checkMember(ctx context.Context, m rotMember, old *pki.CA, rotating bool) error {
	s, d := m.session(), rt.d
	say := func(kind EventKind, msg string) {
		rt.emitFor(m)(Event{Kind: kind, Message: msg})
	}
	addr := s.Filled().Daemon.Address
	trust, err := d.TrustBundle()
	if err != nil {
		return err
	}
	roots, err := pki.ParseCertsPEM(trust)
	if err != nil {
		return err
	}
	pair, err := tls.LoadX509KeyPair(d.Path(pki.FileClientCert), d.Path(pki.FileClientKey))
	if err != nil {
		return i18n.Errorf("wizard.rotate.client_unreadable", "Err", err)
	}
	if err := s.pingAs(ctx, roots, pair); err != nil {
		return i18n.Errorf("wizard.rotate.new_client_refused", "Address", addr, "Err", err)
	}
	say(EventInfo, s.T("wizard.rotate.new_client_ok", "Address", addr))
	if old == nil {
		return nil
	}
	oldPair, err := throwawayClientOf(old)
	if err != nil {
		say(EventWarn, s.T("wizard.rotate.old_client_unchecked", "Err", err))
		return nil
	}
	if rotating {
		if err := s.pingAs(ctx, []*x509.Certificate{old.Cert}, oldPair); err != nil {
			return i18n.Errorf("wizard.rotate.old_client_refused", "Address", addr, "Err", err)
		}
		say(EventInfo, s.T("wizard.rotate.old_client_ok"))
		return nil
	}
	if err := s.pingAs(ctx, roots, oldPair); err == nil {
		return i18n.Errorf("wizard.rotate.retired_accepted", "Address", addr)
	}
	say(EventInfo, s.T("wizard.rotate.retired_refused"))
	return nil
}

// pingAs calls the daemon's /_ping as a client that trusts roots and
// shows cert.
func (s *Session) pingAs(ctx context.Context, roots []*x509.Certificate, cert tls.Certificate) error {
	pool := x509.NewCertPool()
	for _, c := range roots {
		pool.AddCert(c)
	}
	f := s.Filled()
	return daemon.PingTLS(ctx, f.Daemon.Address, &tls.Config{RootCAs: pool, Certificates: []tls.Certificate{cert}, ServerName: f.DaemonAddress().Host, MinVersion: tls.VersionTLS12})
}

// throwawayClientOf issues, in memory only, a short-lived client
// certificate of ca: what any client of that CA shows.
func throwawayClientOf(ca *pki.CA) (tls.Certificate, error) {
	key, err := pki.GenerateKey(pki.ECDSAP256)
	if err != nil {
		return tls.Certificate{}, err
	}
	cert, err := ca.IssueClient(pki.LeafOptions{CommonName: "dockertls rotation check", Key: key, Days: 1})
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{cert.Raw}, PrivateKey: key, Leaf: cert}, nil
}

// rollback undoes the phase: the PKI directory back as it was, the hosts'
// files back byte for byte, the daemon restarted on them.
func (rt *rotation) rollback(ctx context.Context, cause error) error {
	ctx = context.WithoutCancel(ctx) // a cancelled run still rolls back
	rt.say(EventWarn, rt.s.T("wizard.rotate.rolling_back", "Err", cause))
	var errs []error
	for i := len(rt.undo) - 1; i >= 0; i-- {
		if err := rt.undo[i](); err != nil {
			errs = append(errs, err)
		}
	}
	rt.undo = nil
	restarted, err := rt.restoreHosts(ctx)
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return i18n.Errorf("wizard.rotate.rollback_incomplete", "Err", cause, "Errs", i18n.Join(errs...))
	}
	if restarted {
		return i18n.Errorf("wizard.rotate.rolled_back_restarted", "Err", cause, "Command", rt.s.Command("rotate-ca"))
	}
	return i18n.Errorf("wizard.rotate.rolled_back", "Err", cause, "Command", rt.s.Command("rotate-ca"))
}

// hostSnap is files of a host as they were before a phase.
type hostSnap struct {
	member rotMember // whose daemon (restarted after a restore)
	host   remote.Host
	role   string
	root   bool
	paths  []string
	before map[string]fileSnap // by path; absent: the file did not exist
}

// snapshotHosts reads the files a phase may change on the daemon node (its
// CA, certificate, key and daemon.json) and on the client.
func (s *Session) snapshotHosts(ctx context.Context) ([]hostSnap, error) {
	ships, err := s.shipments(ctx)
	if err != nil {
		return nil, err
	}
	var out []hostSnap
	for _, sh := range ships {
		hs := hostSnap{host: sh.host, role: sh.role, root: sh.root, paths: sh.paths()}
		for _, f := range sh.files {
			if p := path.Join(sh.dir, path.Base(f.path)); !slices.Contains(hs.paths, p) {
				hs.paths = append(hs.paths, p) // where distribute writes a set it cannot keep
			}
		}
		if sh.role == "daemon" {
			hs.paths = append(hs.paths, s.Filled().Daemon.Config)
		}
		if hs.before, err = readPaths(ctx, sh.host, hs.paths, sh.root); err != nil {
			return nil, err
		}
		out = append(out, hs)
	}
	return out, nil
}

// readPaths snapshots files on h, one command per directory.
func readPaths(ctx context.Context, h remote.Host, paths []string, sudo bool) (map[string]fileSnap, error) {
	byDir := map[string][]string{}
	for _, p := range paths {
		byDir[path.Dir(p)] = append(byDir[path.Dir(p)], path.Base(p))
	}
	out := map[string]fileSnap{}
	for dir, names := range byDir {
		snaps, _, err := snapshotDir(ctx, h, dir, names, sudo)
		if err != nil {
			return nil, err
		}
		for name, sn := range snaps {
			out[path.Join(dir, name)] = sn
		}
	}
	return out, nil
}

// restoreHosts writes back every snapshotted file that changed and
// restarts the daemon when one of its files did.
func (rt *rotation) restoreHosts(ctx context.Context) (restarted bool, err error) {
	var changed []rotMember // daemons whose files were restored
	var errs []error
	for _, hs := range rt.snaps {
		now, err := readPaths(ctx, hs.host, hs.paths, hs.root)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		byDir := map[string][]installFile{}
		for _, p := range hs.paths {
			was, existed := hs.before[p]
			cur, exists := now[p]
			if !existed {
				if exists {
					rt.say(EventWarn, rt.s.T("wizard.rotate.left_in_place", "Host", hs.host.Name(), "File", p))
				}
				continue
			}
			if exists && string(cur.data) == string(was.data) && cur.mode.Perm() == was.mode.Perm() {
				continue
			}
			byDir[path.Dir(p)] = append(byDir[path.Dir(p)], installFile{name: path.Base(p), data: was.data, mode: was.mode.Perm()})
		}
		for dir, files := range byDir {
			dirMode := fs.FileMode(0o700)
			if hs.root {
				dirMode = 0o755
			}
			if _, err := installFiles(ctx, hs.host, dir, dirMode, hs.root, files); err != nil {
				errs = append(errs, err)
				continue
			}
			for _, f := range files {
				rt.say(EventInfo, rt.s.T("wizard.rotate.restored", "Host", hs.host.Name(), "File", path.Join(dir, f.name)))
			}
			if hs.role == "daemon" && !slices.ContainsFunc(changed, func(m rotMember) bool { return m.r == hs.member.r }) {
				changed = append(changed, hs.member)
			}
		}
	}
	// A daemon reads its files only when it starts.
	for _, m := range changed {
		s := m.session()
		s.mu.Lock()
		s.daemonFilesChanged = true
		s.mu.Unlock()
		yes := s.Options.Yes
		s.Options.Yes = true // restoring what was there was approved with the phase
		if err := m.r.Apply(ctx, StepDaemonConfig, rt.emitFor(m)); err != nil {
			errs = append(errs, i18n.Errorf("wizard.rotate.restart_restored", "Err", err))
		}
		s.Options.Yes = yes
	}
	return len(changed) > 0, errors.Join(errs...)
}

// onPreviousCA lists the certificates in use (not superseded, not expired)
// that the previous CA signed, other than the plan's daemon and client,
// which --finish issues again itself.
func (s *Session) onPreviousCA(d *pki.Dir) ([]CertEntry, error) {
	prev := d.PreviousCACert()
	if prev == nil {
		return nil, nil
	}
	all, err := s.Certificates()
	if err != nil {
		return nil, err
	}
	var out []CertEntry
	for _, c := range all {
		if c.Kind == pki.KindCA || c.Kind == pki.KindDaemon || c.Kind == pki.KindClient ||
			c.Status == pki.StatusSuperseded || c.Status == pki.StatusExpired {
			continue
		}
		if c.IssuedBy == issuerPrevious {
			out = append(out, c)
		}
	}
	return out, nil
}

// describeLeft lists certificates by kind and name.
func (s *Session) describeLeft(left []CertEntry) string {
	parts := make([]string, len(left))
	for i, c := range left {
		parts[i] = s.T("wizard.rotate.left_item", "Kind", c.Kind, "Name", strconv.Quote(c.Name), "Serial", c.Serial)
	}
	return strings.Join(parts, ", ")
}

// and joins a list with the language's "and" (two files: "a and b").
func (s *Session) and(list []string) string { return strings.Join(list, s.T("wizard.and")) }

// renewCommand is the command that issues workshop clients again.
func (s *Session) renewCommand(left []CertEntry) string {
	var names []string
	for _, c := range left {
		if c.Kind == pki.KindWorkshop && !slices.Contains(names, c.Name) {
			names = append(names, c.Name)
		}
	}
	if len(names) == 0 {
		return s.Command("apply", "--yes")
	}
	return "dockertls issue client " + strings.Join(names, " ") + s.PlanFlag() + " --renew"
}

// rotationLeft says what is left to do during a rotation.
func (s *Session) rotationLeft(d *pki.Dir) string {
	left, err := s.onPreviousCA(d)
	if err != nil {
		return s.Error(err)
	}
	finish := s.Command("rotate-ca", "--finish", "--yes")
	if len(left) == 0 {
		return s.T("wizard.rotate.left_hand_out", "Command", finish)
	}
	return s.T("wizard.rotate.left_certs", "Count", len(left), "List", s.describeLeft(left), "Renew", s.renewCommand(left), "Command", finish)
}

// rotationFindings is doctor's word on a rotation in progress.
func (s *Session) rotationFindings(d *pki.Dir) []Finding {
	prev := d.PreviousCACert()
	if prev == nil {
		return nil
	}
	cn, file, left := strconv.Quote(prev.Subject.CommonName), filepath.Base(d.Path(pki.FileCAPrevious)), s.rotationLeft(d)
	msg := s.T("wizard.rotate.in_progress", "CN", cn, "File", file, "Left", left)
	if cur, err := d.LoadCert(pki.FileCA); err == nil {
		msg = s.T("wizard.rotate.in_progress_since", "Date", cur.NotBefore.Format(time.DateOnly), "CN", cn, "File", file, "Left", left)
	}
	return []Finding{{Step: StepCA, Status: StatusWarn, Code: "rotation-in-progress", Message: msg,
		Fix: fix.New(fix.Run("rotate-ca", "--finish", "--yes"))}}
}

// OffersRotation reports whether doctor's findings call for a CA rotation
// (the CA is weak, expired or expiring, or a rotation is under way), so a
// front end can offer `rotate-ca` and explain its two phases.
func OffersRotation(findings []Finding) bool {
	return slices.ContainsFunc(findings, func(f Finding) bool {
		return f.Step == StepCA && slices.Contains([]string{pki.CodeWeakKey, pki.CodeCAWeakKey, pki.CodeCAExpired, pki.CodeCAExpiringSoon, "rotation-in-progress"}, f.Code)
	})
}

package plan

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dockertls/dockertls/internal/echo"
	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/pki"
	"github.com/dockertls/dockertls/wizard/netaddr"
)

// KeyTypes are the key types a plan may name, strongest-compatible first.
func KeyTypes() []string {
	return []string{"rsa-2048", "rsa-3072", "rsa-4096", "ecdsa-p256", "ecdsa-p384", "ed25519"}
}

// MaxDays is the longest validity a plan may ask for (ten years).
const MaxDays = 3650

// MaxRenewBefore is the widest renewal window a plan may ask for (a year).
const MaxRenewBefore = 365

var (
	envNameRE     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	contextNameRE = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.+-]*$`)
)

// Validate checks every value of the plan, with defaults applied, and
// reports all problems at once (as Errors with the lines they were read
// from). It refuses a daemon.address that daemon.sans does not cover, naming
// the entry to add.
func (p *Plan) Validate() error {
	return p.validate(p.Path, nil)
}

// validate is Validate with the file name to show and the fields already
// reported while reading (not reported again for their default value).
func (p *Plan) validate(file string, reported map[string]bool) error {
	if p.IsFleet() {
		return p.validateFleet(file, reported)
	}
	f := p.WithDefaults()
	errs := &planErrs{file: file, lines: p.lines}
	if errs.lines == nil {
		errs.lines = map[string]int{}
	}
	checkControlChars(f, errs)
	checkKey := func(field, v string) {
		if _, err := pki.ParseKeyType(v); err != nil {
			errs.add(field, i18n.Message{}, i18n.M("plan.cause", "Err", err))
		}
	}
	checkDays := func(field string, v int) {
		if _, err := pki.CheckDays(v); err != nil {
			errs.add(field, i18n.M("plan.days.allowed", "Max", MaxDays), i18n.M("plan.cause", "Err", err))
		}
	}
	checkCN := func(field, v string) {
		if strings.TrimSpace(v) == "" || len(v) > 64 {
			errs.add(field, i18n.M("plan.cn.allowed"), i18n.M("plan.cn.bad", "Value", echo.Value(v)))
		}
	}

	if f.RenewBeforeDays < 1 || f.RenewBeforeDays > MaxRenewBefore {
		errs.add("renew_before_days", i18n.M("plan.days.allowed", "Max", MaxRenewBefore), i18n.M("plan.renew_before.bad", "Days", f.RenewBeforeDays))
	}
	checkCN("ca.common_name", f.CA.CommonName)
	checkKey("ca.key", f.CA.Key)
	checkDays("ca.days", f.CA.Days)
	if f.CA.PassphraseEnv != "" && !envNameRE.MatchString(f.CA.PassphraseEnv) {
		errs.add("ca.passphrase_env", i18n.M("plan.passphrase_env.allowed"), i18n.M("plan.passphrase_env.bad", "Value", echo.Value(f.CA.PassphraseEnv)))
	}

	d := f.Daemon
	if err := checkTarget(d.SSH); err != nil {
		errs.add("daemon.ssh", i18n.M("plan.ssh.allowed"), i18n.M("plan.cause", "Err", err))
	}
	// An empty derived name comes from an unusable address, which is
	// reported at daemon.address.
	if p.Daemon.CommonName != "" || d.CommonName != "" {
		checkCN("daemon.common_name", d.CommonName)
	}
	var goodSANs []string
	for _, san := range d.SANs {
		if err := checkSAN(san); err != nil {
			errs.add("daemon.sans", i18n.M("plan.sans.allowed"), i18n.M("plan.cause", "Err", err))
			continue
		}
		goodSANs = append(goodSANs, san)
	}
	if _, err := netaddr.ParseListen(d.Listen); err != nil {
		errs.add("daemon.listen", i18n.M("plan.eg", "Example", "tcp://0.0.0.0:2376"), i18n.M("plan.cause", "Err", err))
	}
	if a, err := netaddr.Parse(d.Address); err != nil {
		errs.add("daemon.address", i18n.M("plan.eg", "Example", f.AddressFor("node3")), i18n.M("plan.cause", "Err", err))
	} else if a.Port == 0 {
		errs.add("daemon.address", i18n.M("plan.address.no_port.allowed", "Address", f.AddressFor(a.Host)),
			i18n.M("plan.address.no_port", "Value", echo.Value(d.Address)))
	} else if host := a.Host; !sansCover(d.SANs, host) {
		instead := i18n.M("plan.address.uncovered.allowed", "Host", strconv.Quote(host))
		if len(goodSANs) > 0 {
			instead = i18n.M("plan.address.uncovered.allowed_or", "Host", strconv.Quote(host), "SANs", strings.Join(goodSANs, ", "))
		}
		errs.add("daemon.address", instead, i18n.M("plan.address.uncovered", "Host", echo.Value(host)))
	}
	checkRemotePath("daemon.cert_dir", d.CertDir, errs)
	checkRemotePath("daemon.config", d.Config, errs)
	if strings.TrimSpace(d.Restart) == "" {
		errs.add("daemon.restart", i18n.M("plan.restart.allowed"), i18n.M("plan.empty_value"))
	}
	if d.Mode != "hosts" && d.Mode != "socket" {
		errs.add("daemon.mode", i18n.M("plan.mode.allowed"), i18n.M("plan.mode.bad", "Value", echo.Value(d.Mode)))
	}
	// A leaf's key type and validity default to the CA's: a bad CA value
	// is reported once, at ca.key / ca.days, not again here.
	if p.Daemon.Key != "" {
		checkKey("daemon.key", d.Key)
	}
	if p.Daemon.Days != 0 {
		checkDays("daemon.days", d.Days)
	}

	p.checkIdentity("daemon.identity", d.Identity, errs)

	c := f.Client
	p.checkIdentity("client.identity", c.Identity, errs)
	if err := checkTarget(c.Target); err != nil {
		errs.add("client.target", i18n.M("plan.target.allowed"), i18n.M("plan.cause", "Err", err))
	}
	if c.Target == TargetLocal {
		if strings.TrimSpace(c.CertDir) == "" {
			errs.add("client.cert_dir", i18n.M("plan.eg", "Example", "~/.docker"), i18n.M("plan.empty_value"))
		}
	} else {
		checkRemotePath("client.cert_dir", c.CertDir, errs)
	}
	checkCN("client.common_name", c.CommonName)
	if c.Context != "" && !contextNameRE.MatchString(c.Context) {
		errs.add("client.context", i18n.M("plan.context.allowed"), i18n.M("plan.context.bad", "Value", echo.Value(c.Context)))
	}
	if p.Client.Key != "" {
		checkKey("client.key", c.Key)
	}
	if p.Client.Days != 0 {
		checkDays("client.days", c.Days)
	}
	errs.list = dropReported(errs.list, reported)
	return errs.err()
}

// dropReported removes problems of fields that were already reported.
func dropReported(list Errors, reported map[string]bool) Errors {
	if len(reported) == 0 {
		return list
	}
	kept := list[:0]
	for _, e := range list {
		if !reported[e.Field] {
			kept = append(kept, e)
		}
	}
	return kept
}

// CheckSAN says what is wrong with one subjectAltName entry as a user
// typed it (a URL, a port, several names, 0.0.0.0), or returns nil; the
// TUI checks its field with the very rule the plan uses.
func CheckSAN(san string) error { return checkSAN(san) }

// SANsCover reports whether a certificate naming sans is valid for host
// (IP addresses compared as addresses, a "*." wildcard covers one label).
func SANsCover(sans []string, host string) bool { return sansCover(sans, host) }

// CheckContextName says what is wrong with a docker context name, or nil.
func CheckContextName(name string) error {
	if name != "" && !contextNameRE.MatchString(name) {
		return i18n.Errorf("plan.context.refused", "Value", echo.Value(name))
	}
	return nil
}

// checkIdentity refuses an SSH identity file that is not there (it is read
// on this machine, relative to the plan file).
func (p *Plan) checkIdentity(field, identity string, errs *planErrs) {
	if identity == "" {
		return
	}
	path := p.LocalPath(identity)
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		errs.add(field, i18n.M("plan.identity.missing.allowed"), i18n.M("plan.identity.missing", "Path", echo.Bare(path)))
	case fi.IsDir():
		errs.add(field, i18n.M("plan.identity.dir.allowed", "Example", filepath.Join(identity, "id_ed25519")), i18n.M("plan.identity.dir", "Path", echo.Bare(path)))
	case strings.HasSuffix(identity, ".pub"):
		errs.add(field, i18n.M("plan.identity.pub.allowed", "Path", strings.TrimSuffix(identity, ".pub")), i18n.M("plan.identity.pub", "Path", echo.Bare(path)))
	}
}

// checkRemotePath accepts absolute paths and ~/... (expanded on the host the
// path is on); a relative path would depend on where the command runs.
func checkRemotePath(field, p string, errs *planErrs) {
	if !(p == "~" || strings.HasPrefix(p, "~/") || path.IsAbs(p)) {
		errs.add(field, i18n.M("plan.path.relative.allowed"), i18n.M("plan.path.relative", "Value", echo.Value(p)))
		return
	}
	// "..": the path would name another directory than it seems to (and
	// than the checks and the by-hand commands show).
	if slices.Contains(strings.Split(p, "/"), "..") {
		errs.add(field, i18n.M("plan.path.dotdot.allowed", "Example", path.Clean(p)), i18n.M("plan.path.dotdot", "Value", echo.Value(p)))
	}
}

// checkControlChars refuses a control character (a line break, a tab, ESC,
// NUL ...) in every string of the plan: in a path, a name or a command it
// would end a line of the commands shown and run, or hide text on a
// terminal. Every field is walked through its yaml name, so a new field
// is covered too.
func checkControlChars(p *Plan, errs *planErrs) {
	walkStrings(reflect.ValueOf(*p), "", func(field, v string) {
		i := strings.IndexFunc(v, unicode.IsControl)
		if i < 0 {
			return
		}
		r, _ := utf8.DecodeRuneInString(v[i:])
		before := v[:i]
		if len(before) > 40 {
			before = "…" + before[len(before)-40:]
		}
		errs.add(field, i18n.M("plan.control.allowed"), i18n.M("plan.control", "Char", fmt.Sprintf("%U", r), "Before", echo.Value(before)))
	})
}

// walkStrings calls fn for every string (and string list entry) of a plan
// struct, named by its yaml key path ("daemon.cert_dir").
func walkStrings(v reflect.Value, prefix string, fn func(field, s string)) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
		if !sf.IsExported() || name == "" || name == "-" {
			continue
		}
		if prefix != "" {
			name = prefix + "." + name
		}
		fv := v.Field(i)
		switch fv.Kind() {
		case reflect.String:
			fn(name, fv.String())
		case reflect.Struct:
			walkStrings(fv, name, fn)
		case reflect.Slice:
			for j := 0; j < fv.Len(); j++ {
				switch e := fv.Index(j); e.Kind() {
				case reflect.String:
					fn(name, e.String())
				case reflect.Struct:
					walkStrings(e, name, fn)
				}
			}
		}
	}
}

// checkSAN tells whether a subjectAltName entry is a usable IP address or DNS
// name (a leading "*." wildcard is allowed), as the pki package will issue it.
func checkSAN(san string) error {
	if strings.ContainsAny(san, ", \t") {
		return i18n.Errorf("plan.san.several", "Value", echo.Value(san))
	}
	_, err := pki.ParseSANs([]string{san}, true)
	return err
}

// sansCover reports whether a certificate with these SANs is valid for host,
// as Go's and the docker CLI's verification decide it.
func sansCover(sans []string, host string) bool {
	for _, s := range sans {
		if netaddr.SameHost(s, host) {
			return true
		}
	}
	if netaddr.IsIP(host) {
		return false
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, s := range sans {
		s = strings.ToLower(strings.TrimSuffix(s, "."))
		if rest, ok := strings.CutPrefix(s, "*."); ok {
			if _, after, found := strings.Cut(host, "."); found && after == rest {
				return true
			}
		}
	}
	return false
}

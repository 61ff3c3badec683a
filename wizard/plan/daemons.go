package plan

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/dockertls/dockertls/internal/echo"
	"github.com/dockertls/dockertls/internal/i18n"
)

// A plan may list several daemons (daemons:, each a daemon section with a
// name) instead of one daemon: section. They share the CA, the PKI
// directory and the client; each gets its own certificate
// (daemon-NAME-cert.pem) and docker context. The steps work on one daemon
// at a time: ForDaemon makes the single-daemon plan of one entry.

// IsFleet reports whether the plan lists daemons: instead of one daemon:.
func (p *Plan) IsFleet() bool { return len(p.Daemons) > 0 }

// DaemonNames are the names of the daemons: entries, in plan order.
func (p *Plan) DaemonNames() []string {
	names := make([]string, len(p.Daemons))
	for i, d := range p.Daemons {
		names[i] = d.Name
	}
	return names
}

// FleetName is the daemons: entry this plan was made for by ForDaemon, ""
// for a plan with one daemon: section.
func (p *Plan) FleetName() string { return p.fleetName }

// ForDaemon is the single-daemon plan of the daemons: entry called name:
// the shared sections as they are, daemon: from the entry, and a docker
// context named after the daemon (client.context-NAME when the plan names
// one). Errors point at the entry's lines. It cannot be saved: the file
// keeps its daemons: list.
func (p *Plan) ForDaemon(name string) (*Plan, error) {
	i := slices.IndexFunc(p.Daemons, func(d Daemon) bool { return d.Name == name })
	if i < 0 {
		return nil, i18n.Errorf("plan.daemons.no_such", "Name", echo.Value(name), "Names", strings.Join(p.DaemonNames(), ", "))
	}
	return p.forIndex(i), nil
}

func (p *Plan) forIndex(i int) *Plan {
	q := *p
	q.Daemon = p.Daemons[i]
	q.Daemon.SANs = slices.Clone(q.Daemon.SANs)
	q.Daemons = nil
	q.fleetName = q.Daemon.Name
	q.doc = nil
	if q.Client.Context == "" {
		q.Client.Context = q.fleetName
	} else {
		q.Client.Context += "-" + q.fleetName
	}
	prefix := fmt.Sprintf("daemons[%d]", i)
	q.lines = map[string]int{}
	for k, line := range p.lines {
		switch {
		case strings.HasPrefix(k, prefix+"."):
			q.lines["daemon."+strings.TrimPrefix(k, prefix+".")] = line
		case k == prefix:
			q.lines["daemon"] = line
		case k != "daemons" && !strings.HasPrefix(k, "daemons["):
			q.lines[k] = line
		}
	}
	return &q
}

// daemonFieldRE finds "daemon.sans" in a message, to name the entry's own
// field instead.

// validateFleet checks a plan with daemons:: the names, then each entry as
// the daemon of its own plan (problems named daemons[i].FIELD), and the
// shared sections once.
func (p *Plan) validateFleet(file string, reported map[string]bool) error {
	errs := &planErrs{file: file, lines: p.lines}
	if errs.lines == nil {
		errs.lines = map[string]int{}
	}
	if !reflect.DeepEqual(p.Daemon, Daemon{}) {
		errs.add("daemon", i18n.M("plan.daemons.both.allowed"), i18n.M("plan.daemons.both"))
	}
	type place struct{ target, config string }
	seen := map[string]int{}
	configs := map[place]string{}
	for i, d := range p.Daemons {
		field := fmt.Sprintf("daemons[%d].name", i)
		entry := fmt.Sprintf("daemons[%d]", i)
		switch first, dup := seen[d.Name]; {
		case d.Name == "":
			errs.addAt(errs.lines[entry], field, i18n.M("plan.eg", "Example", "name: node3"), i18n.M("plan.daemons.no_name"))
		case !contextNameRE.MatchString(d.Name):
			errs.add(field, i18n.M("plan.context.allowed"), i18n.M("plan.daemons.bad_name", "Value", echo.Value(d.Name)))
		case dup:
			errs.add(field, i18n.M("plan.daemons.dup_name.allowed"), i18n.M("plan.daemons.dup_name", "Value", echo.Value(d.Name), "Index", first))
		default:
			seen[d.Name] = i
		}
		sub := p.forIndex(i).WithDefaults().Daemon
		at := place{sub.SSH, sub.Config}
		if other, ok := configs[at]; ok {
			errs.addAt(errs.lines[fmt.Sprintf("daemons[%d]", i)], fmt.Sprintf("daemons[%d].config", i), i18n.M("plan.daemons.shared_config.allowed"),
				i18n.M("plan.daemons.shared_config", "Config", echo.Bare(sub.Config), "Host", echo.Bare(sub.SSH), "Other", echo.Value(other)))
		} else {
			configs[at] = d.Name
		}
	}
	// The shared sections, checked once (the daemon: of this copy is the
	// empty default, whose findings are dropped).
	shared := *p
	shared.Daemons = nil
	shared.Daemon = Daemon{}
	if err := shared.validate(file, reported); err != nil {
		for _, e := range err.(Errors) {
			if e.Field != "daemon" && !strings.HasPrefix(e.Field, "daemon.") {
				errs.list = append(errs.list, e)
			}
		}
	}
	for i := range p.Daemons {
		sub := p.forIndex(i)
		sub.Client = p.Client // client problems are reported once, above
		if err := sub.validate(file, nil); err != nil {
			for _, e := range err.(Errors) {
				if e.Field == "daemon" || strings.HasPrefix(e.Field, "daemon.") {
					entry := fmt.Sprintf("daemons[%d]", i)
					e.Field = entry + strings.TrimPrefix(e.Field, "daemon")
					e.entry = entry
					if !reported[e.Field] {
						errs.list = append(errs.list, e)
					}
				}
			}
		}
	}
	return errs.err()
}

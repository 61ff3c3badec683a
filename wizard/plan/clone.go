package plan

import "slices"

// Clone is a copy of p that can be read and changed without touching p: the
// engine hands clones to front ends and to the goroutines of its steps.
// The loaded YAML document is shared, read-only: only the engine's own
// plan is saved (Save merges into that document).
func (p *Plan) Clone() *Plan {
	if p == nil {
		return nil
	}
	q := *p
	q.Daemon.SANs = slices.Clone(p.Daemon.SANs)
	q.Daemons = slices.Clone(p.Daemons)
	for i := range q.Daemons {
		q.Daemons[i].SANs = slices.Clone(p.Daemons[i].SANs)
	}
	return &q
}

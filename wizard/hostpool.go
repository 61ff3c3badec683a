package wizard

import (
	"errors"
	"sync"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/remote"
)

// hostPool holds one connection per host for a run. A host being
// connected is waited for, never connected twice, while other hosts
// connect at the same time (a fleet of daemons connects in parallel). A
// failed attempt is not remembered, so the TUI can retry after the user
// fixed something.
type hostPool struct {
	mu    sync.Mutex
	hosts map[string]*pooledHost // by normalized target; "local" once
}

type pooledHost struct {
	mu sync.Mutex // held while connecting
	h  remote.Host
}

// get returns the connection to key, opening it with open when there is
// none yet.
func (p *hostPool) get(key string, open func() (remote.Host, error)) (remote.Host, error) {
	p.mu.Lock()
	if p.hosts == nil {
		p.hosts = map[string]*pooledHost{}
	}
	e, ok := p.hosts[key]
	if !ok {
		e = &pooledHost{}
		p.hosts[key] = e
	}
	p.mu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.h != nil {
		return e.h, nil
	}
	h, err := open()
	if err != nil {
		return nil, err
	}
	e.h = h
	return h, nil
}

// close closes every connection and forgets them.
func (p *hostPool) close() error {
	p.mu.Lock()
	hosts := p.hosts
	p.hosts = nil
	p.mu.Unlock()
	var errs []error
	for _, e := range hosts {
		e.mu.Lock()
		if e.h != nil {
			if err := e.h.Close(); err != nil {
				errs = append(errs, i18n.Errorf("wizard.session.close", "Host", e.h.Name(), "Err", err))
			}
		}
		e.mu.Unlock()
	}
	return errors.Join(errs...)
}

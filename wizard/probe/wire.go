package probe

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// Phase says how far a connection got before it failed; the same error text
// means different things in different phases (a reset while connecting is a
// firewall, a reset after the handshake is the daemon rejecting a certificate).
type Phase string

const (
	PhaseAddress   Phase = "address"   // the address could not be parsed
	PhaseClient    Phase = "client"    // the local client files could not be used
	PhaseDial      Phase = "connect"   // DNS lookup and TCP connect
	PhaseHandshake Phase = "handshake" // the TLS handshake
	PhaseRequest   Phase = "request"   // the HTTP request and its answer
)

// PhaseError is an error with the phase it happened in.
type PhaseError struct {
	Phase Phase
	Err   error
}

func (e *PhaseError) Error() string { return fmt.Sprintf("%s: %v", e.Phase, e.Err) }
func (e *PhaseError) Unwrap() error { return e.Err }

// maxBody bounds what we read from an answer: /version is about 1 KiB.
const maxBody = 1 << 20

// dialTCP connects, bounded by ctx.
func dialTCP(ctx context.Context, hostport string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", hostport)
	if err != nil {
		return nil, &PhaseError{Phase: PhaseDial, Err: err}
	}
	return c, nil
}

// handshake runs the TLS handshake over c, bounded by ctx.
func handshake(ctx context.Context, c net.Conn, cfg *tls.Config) (*tls.Conn, error) {
	tc := tls.Client(c, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		return nil, &PhaseError{Phase: PhaseHandshake, Err: err}
	}
	return tc, nil
}

// answer is an HTTP response read in full.
type answer struct {
	Status int
	Header http.Header
	Body   []byte
}

// get sends one GET over c (plain or TLS) and reads the answer. The
// connection stays usable for another request (HTTP/1.1 keep-alive).
func get(ctx context.Context, c net.Conn, br *bufio.Reader, host, path string) (*answer, error) {
	if dl, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(dl)
	} else {
		_ = c.SetDeadline(time.Time{})
	}
	// Closing the connection when ctx ends unblocks a read that waits on a
	// daemon that never answers.
	stop := context.AfterFunc(ctx, func() { _ = c.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+host+path, nil)
	if err != nil {
		return nil, &PhaseError{Phase: PhaseRequest, Err: err}
	}
	req.Header.Set("User-Agent", "dockertls-verify")
	if err := req.Write(c); err != nil {
		return nil, &PhaseError{Phase: PhaseRequest, Err: ctxErr(ctx, err)}
	}
	resp, err := http.ReadResponse(br, req)
	if err != nil {
		return nil, &PhaseError{Phase: PhaseRequest, Err: ctxErr(ctx, err)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, &PhaseError{Phase: PhaseRequest, Err: ctxErr(ctx, err)}
	}
	return &answer{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// ctxErr prefers the context's reason (deadline) over the i/o error it caused.
func ctxErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%w (%v)", ctx.Err(), err)
	}
	return err
}

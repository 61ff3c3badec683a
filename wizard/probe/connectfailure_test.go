package probe

import (
	"context"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// A probe that cannot connect says why in plain words, without the network
// stack's repeated "connect: dial tcp ...: connect:" prefixes.
func TestConnectFailureWords(t *testing.T) {
	refused := &PhaseError{Phase: PhaseDial, Err: &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}}
	dns := &PhaseError{Phase: PhaseDial, Err: &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Name: "node3", Err: "no such host", IsNotFound: true}}}
	timeout := &PhaseError{Phase: PhaseDial, Err: context.DeadlineExceeded}
	other := &PhaseError{Phase: PhaseDial, Err: &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.EHOSTUNREACH)}}
	for _, c := range []struct {
		err  error
		want string
	}{
		{refused, "nothing listens on that port"},
		{dns, `the name "node3" does not resolve`},
		{timeout, "no answer in time"},
		{other, "no route to host"},
	} {
		got := connectFailure(nil, c.err)
		if !strings.Contains(got, c.want) {
			t.Errorf("connectFailure(%v) = %q, want it to say %q", c.err, got, c.want)
		}
		if strings.Count(got, "connect:") > 1 || strings.Contains(got, "dial tcp") {
			t.Errorf("connectFailure(%v) = %q repeats itself", c.err, got)
		}
	}
}

// Against a real closed port the probe's detail uses those words.
func TestProbeOnClosedPortSaysRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	addr, err := ParseAddress("tcp://127.0.0.1:" + strconv.Itoa(port))
	if err != nil {
		t.Fatal(err)
	}
	r := probeTLS(context.Background(), nil, addr, nil)
	if r.Outcome != Unknown || !strings.Contains(r.Detail, "nothing listens on that port") {
		t.Fatalf("probe on a closed port: %+v", r)
	}
}

package probe

import "testing"

// A daemon address without a port is dialled as the docker CLI would,
// on 2375, and flagged so the probes can warn; the parsing itself is
// netaddr's (tested there).
func TestParseAddressFillsTheCLIsDefaultPort(t *testing.T) {
	a, err := ParseAddress("tcp://[::1]")
	if err != nil {
		t.Fatal(err)
	}
	if !a.PortDefault || a.String() != "tcp://[::1]:2375" || a.HostPort() != "[::1]:2375" {
		t.Errorf("got %+v: %s / %s", a, a, a.HostPort())
	}
	a, err = ParseAddress("tcp://node3:2376")
	if err != nil || a.PortDefault || a.Port != 2376 {
		t.Errorf("got %+v, %v", a, err)
	}
	if _, err := ParseAddress("tcp://root@node3:2376"); err == nil {
		t.Error("an address with a user was accepted")
	}
}

package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A TLS 1.2 server refuses a client certificate inside the handshake (TLS
// 1.3 does it after, on the first read): the same causes must come out.
// dockerd always negotiates 1.3 with this client, so a Go HTTPS server with
// the daemon's TLS settings stands in for an older peer here.
func TestRunAgainstTLS12Server(t *testing.T) {
	ca := newTestCA(t, "TLS12 CA")
	other := newTestCA(t, "Other CA")
	sc, sk := ca.issue(t, "localhost", serverAuth(), withSANs(nil, "127.0.0.1"))
	pair, err := tls.X509KeyPair(sc, sk)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca.cert)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/_ping":
			_, _ = w.Write([]byte("OK"))
		case "/version":
			_, _ = w.Write([]byte(`{"Version":"test","ApiVersion":"1.41","MinAPIVersion":"1.12","Os":"linux","Arch":"amd64"}`))
		default:
			http.NotFound(w, r)
		}
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{pair}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool,
		MinVersion: tls.VersionTLS12, MaxVersion: tls.VersionTLS12}
	srv.StartTLS()
	defer srv.Close()
	addr := "tcp://" + strings.TrimPrefix(srv.URL, "https://")

	cert, key := ca.issue(t, "client", clientAuth())
	r := run(t, Target{Address: addr, CA: ca.pem, Cert: cert, Key: key})
	if r.Problem != nil || r.Handshake.Version != "TLS 1.2" || r.Server.Version != "test" {
		t.Fatalf("happy path over TLS 1.2:\n%s", r)
	}
	wantProbes(t, r, map[string]Outcome{ProbeNoClientCert: Refused, ProbeForeignCA: Refused})

	oc, ok := other.issue(t, "client", clientAuth())
	wantProblem(t, run(t, Target{Address: addr, CA: ca.pem, Cert: oc, Key: ok}), CodeClientWrongCA, `"Other CA"`, `"TLS12 CA"`)

	ec, ek := ca.issue(t, "client", serverAuth())
	wantProblem(t, run(t, Target{Address: addr, CA: ca.pem, Cert: ec, Key: ek}), CodeClientEKU)

	wantProblem(t, run(t, Target{Address: addr, CA: ca.pem}), CodeClientCertMissing)
}

// The HTTP answers that are not a Docker daemon.
func TestRunAgainstSomethingElse(t *testing.T) {
	ca := newTestCA(t, "CA")
	sc, sk := ca.issue(t, "localhost", serverAuth(), withSANs(nil, "127.0.0.1"))
	pair, err := tls.X509KeyPair(sc, sk)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		h    http.HandlerFunc
		code string
	}{
		{"ping fails", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "nope", http.StatusServiceUnavailable) }, CodeAPIError},
		{"not the Docker API", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("<html>hello</html>")) }, CodeNotDocker},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewUnstartedServer(c.h)
			srv.TLS = &tls.Config{Certificates: []tls.Certificate{pair}}
			srv.StartTLS()
			defer srv.Close()
			r := run(t, Target{Address: "tcp://" + strings.TrimPrefix(srv.URL, "https://"), CA: ca.pem, Timeout: 5 * time.Second, DaemonLog: func(context.Context) (string, error) {
				t.Error("the daemon log is for refused certificates only")
				return "", nil
			}})
			wantProblem(t, r, c.code)
		})
	}
}

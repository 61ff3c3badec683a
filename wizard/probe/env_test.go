package probe

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckEnv(t *testing.T) {
	full := t.TempDir()
	for _, f := range []string{"ca.pem", "cert.pem", "key.pem"} {
		writeFile(t, full, f, []byte("x"))
	}
	caOnly := t.TempDir()
	writeFile(t, caOnly, "ca.pem", []byte("x"))
	home := t.TempDir()
	if err := os.Mkdir(filepath.Join(home, ".docker"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"ca.pem", "cert.pem", "key.pem"} {
		writeFile(t, filepath.Join(home, ".docker"), f, []byte("x"))
	}
	ok := map[string]string{"DOCKER_HOST": "tcp://node3:2376", "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": full}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range ok {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	const want = "tcp://node3:2376"
	cases := []struct {
		name    string
		env     map[string]string
		want    string
		codes   []string
		mention string
	}{
		{"all good", ok, want, nil, ""},
		{"all good, no wanted address", ok, "", nil, ""},
		{"host unset", map[string]string{}, want, []string{EnvHostUnset}, "not to tcp://node3:2376"},
		{"host unset, nothing wanted", map[string]string{}, "", nil, ""},
		{"no port means 2375", with("DOCKER_HOST", "tcp://node3"), want, []string{EnvHostNoPort}, "tcp://node3:2376"},
		{"https scheme", with("DOCKER_HOST", "https://node3:2376"), want, []string{EnvHostInvalid}, "invalid bind address format"},
		{"unix socket", with("DOCKER_HOST", "unix:///var/run/docker.sock"), want, []string{EnvHostInvalid}, "not a TCP address"},
		{"plain port", with("DOCKER_HOST", "tcp://node3:2375"), want, []string{EnvHostPlainPort}, "2376"},
		{"another daemon", with("DOCKER_HOST", "tcp://node4:2376"), want, []string{EnvHostOther}, "tcp://node3:2376"},
		{"same host, other case", with("DOCKER_HOST", "tcp://NODE3:2376"), want, nil, ""},
		{"verify unset", with("DOCKER_TLS_VERIFY", ""), want, []string{EnvTLSVerifyUnset}, "plain HTTP"},
		{"verify zero still verifies", with("DOCKER_TLS_VERIFY", "0"), want, []string{EnvTLSVerifyZero}, "non-empty"},
		{"tls without verify", with("DOCKER_TLS_VERIFY", "", "DOCKER_TLS", "1"), want, []string{EnvTLSNoVerify}, "does not check"},
		{"cert path missing", with("DOCKER_CERT_PATH", filepath.Join(full, "nope")), want, []string{EnvCertPathMissing}, "not a directory"},
		{"only ca.pem", with("DOCKER_CERT_PATH", caOnly), want, []string{EnvClientMissing}, "cert.pem and key.pem"},
		{"no ca.pem", with("DOCKER_CERT_PATH", t.TempDir()), want, []string{EnvCAMissing, EnvClientMissing}, "could not read CA certificate"},
		{"default ~/.docker", map[string]string{"DOCKER_HOST": want, "DOCKER_TLS_VERIFY": "1", "HOME": home}, want, nil, ""},
		{"DOCKER_CONFIG", map[string]string{"DOCKER_HOST": want, "DOCKER_TLS_VERIFY": "1", "DOCKER_CONFIG": caOnly, "HOME": home}, want, []string{EnvClientMissing}, "DOCKER_CONFIG"},
		{"nowhere to look", map[string]string{"DOCKER_HOST": want, "DOCKER_TLS_VERIFY": "1"}, want, []string{EnvCertPathMissing}, "HOME"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := CheckEnv(func(k string) string { return c.env[k] }, c.want)
			var codes []string
			var text strings.Builder
			for _, p := range got {
				codes = append(codes, p.Code)
				text.WriteString(p.Message + " " + p.Fix.String() + "\n")
				if p.Message == "" || p.Fix.IsZero() {
					t.Errorf("problem without message or fix: %+v", p)
				}
			}
			if strings.Join(codes, ",") != strings.Join(c.codes, ",") {
				t.Fatalf("codes %v, want %v:\n%s", codes, c.codes, text.String())
			}
			if c.mention != "" && !strings.Contains(text.String(), c.mention) {
				t.Errorf("does not mention %q:\n%s", c.mention, text.String())
			}
		})
	}
}

func FuzzCheckEnv(f *testing.F) {
	f.Add("tcp://node3:2376", "1", "tcp://node3:2376")
	f.Add("tcp://node3", "", "")
	f.Add("https://[::1]", "0", "tcp://x")
	f.Fuzz(func(t *testing.T, host, verify, want string) {
		env := map[string]string{"DOCKER_HOST": host, "DOCKER_TLS_VERIFY": verify, "DOCKER_CERT_PATH": "/nonexistent-dockertls-fuzz"}
		for _, p := range CheckEnv(func(k string) string { return env[k] }, want) {
			if p.Code == "" || p.Message == "" || p.Fix.IsZero() {
				t.Fatalf("incomplete problem %+v", p)
			}
		}
	})
}

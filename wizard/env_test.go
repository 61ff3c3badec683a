package wizard

import (
	"os/exec"
	"strings"
	"testing"
)

func TestRenderEnvPerShell(t *testing.T) {
	v := EnvVars{Host: "tcp://node3:2376", CertPath: `/home/a b/$x"y`}
	cases := map[string][]string{
		"bash":       {`export DOCKER_HOST=tcp://node3:2376`, `export DOCKER_TLS_VERIFY=1`, `export DOCKER_CERT_PATH='/home/a b/$x"y'`, `# eval "$(dockertls env -f 'my plan.yaml')"`},
		"zsh":        {`export DOCKER_HOST=tcp://node3:2376`},
		"fish":       {`set -gx DOCKER_HOST 'tcp://node3:2376';`, `set -gx DOCKER_CERT_PATH '/home/a b/$x"y';`, `# eval (dockertls env -f 'my plan.yaml' --shell fish)`},
		"powershell": {`$Env:DOCKER_HOST = 'tcp://node3:2376'`, `$Env:DOCKER_TLS_VERIFY = '1'`, `# & dockertls env -f 'my plan.yaml' --shell powershell | Invoke-Expression`},
	}
	for shell, want := range cases {
		got := mustRenderEnv(t, shell, v, false, []string{"dockertls", "env", "-f", "my plan.yaml"})
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: missing %q in\n%s", shell, w, got)
			}
		}
		lines := strings.Split(strings.TrimSpace(got), "\n")
		if last := lines[len(lines)-1]; !strings.HasPrefix(last, "#") && !strings.HasPrefix(last, "REM") {
			t.Errorf("%s: the last line is not a comment telling how to apply: %q", shell, last)
		}
	}
	cmd := mustRenderEnv(t, "cmd", EnvVars{Host: "tcp://node3:2376", CertPath: `C:\Users\a b & c`}, false, []string{"dockertls", "env", "-f", "my plan.yaml"})
	for _, w := range []string{`SET "DOCKER_HOST=tcp://node3:2376"`, `SET "DOCKER_TLS_VERIFY=1"`, `SET "DOCKER_CERT_PATH=C:\Users\a b & c"`,
		`REM @FOR /f "tokens=*" %i IN ('dockertls env -f "my plan.yaml" --shell cmd') DO @%i`} {
		if !strings.Contains(cmd, w) {
			t.Errorf("cmd: missing %q in\n%s", w, cmd)
		}
	}
	unset := mustRenderEnv(t, "bash", v, true, nil)
	if unset != "unset DOCKER_HOST\nunset DOCKER_TLS_VERIFY\nunset DOCKER_CERT_PATH\n" {
		t.Errorf("unset:\n%s", unset)
	}
	if got := mustRenderEnv(t, "fish", EnvVars{Host: "tcp://h:2376"}, false, nil); !strings.Contains(got, "set -e DOCKER_CERT_PATH;") {
		t.Errorf("files in ~/.docker must clear a stale DOCKER_CERT_PATH:\n%s", got)
	}
	if got := mustRenderEnv(t, "fish", EnvVars{Host: `tcp://h:2376`, CertPath: `/a\b'c`}, false, nil); !strings.Contains(got, `'/a\\b\'c'`) {
		t.Errorf("fish quoting:\n%s", got)
	}
	if got := mustRenderEnv(t, "powershell", EnvVars{Host: "tcp://h:2376", CertPath: "C:\\it's ‘x’"}, false, nil); !strings.Contains(got, "'C:\\it''s ‘‘x’’'") {
		t.Errorf("powershell quoting:\n%s", got)
	}
}

// A line break in a value must not start a line of its own: under the
// documented `FOR /f ... DO @%i` (cmd) and `| Invoke-Expression`
// (PowerShell) every output line runs as a command.
func TestRenderEnvLineBreakNeverBecomesACommand(t *testing.T) {
	v := EnvVars{Host: "tcp://node3:2376", CertPath: "C:\\certs\nDEL /Q C:\\important"}
	if got, err := RenderEnv("cmd", v, false, nil); err == nil || !strings.Contains(err.Error(), "DOCKER_CERT_PATH") {
		t.Fatalf("cmd: %v, output\n%s\nwant an error naming DOCKER_CERT_PATH", err, got)
	}
	evil := EnvVars{Host: "tcp://node3:2376", CertPath: "/certs\nRemove-Item -Recurse ~ #"}
	ps := mustRenderEnv(t, "powershell", evil, false, nil)
	for _, line := range strings.Split(ps, "\n") {
		if !strings.HasPrefix(line, "$Env:") && line != "" {
			t.Errorf("powershell: a line that is not an assignment:\n%s", ps)
		}
	}
	// POSIX shells read the whole output (eval "$(dockertls env)"): a real
	// one gets the value back, line break and all, and runs nothing else.
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	script := mustRenderEnv(t, "bash", evil, false, nil)
	out, err := exec.Command(sh, "-c", `eval "$1"; printf '%s' "$DOCKER_CERT_PATH"`, "sh", script).CombinedOutput()
	if err != nil || string(out) != evil.CertPath {
		t.Errorf("sh eval: %q, %v; want %q", out, err, evil.CertPath)
	}
}

func mustRenderEnv(t *testing.T, shell string, v EnvVars, unset bool, hint []string) string {
	t.Helper()
	got, err := RenderEnv(shell, v, unset, hint)
	if err != nil {
		t.Fatalf("RenderEnv(%s): %v", shell, err)
	}
	return got
}

func TestDetectShell(t *testing.T) {
	for in, want := range map[string]string{"/bin/bash": "bash", "/usr/bin/zsh": "zsh", "/usr/local/bin/fish": "fish",
		"/usr/bin/pwsh": "powershell", `C:\Windows\System32\cmd.exe`: "cmd", "": "bash", "/bin/dash": "bash"} {
		if got := DetectShell(in); got != want {
			t.Errorf("DetectShell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPersistBlockReplacedNotDuplicated(t *testing.T) {
	orig := "alias ll='ls -l'\n# keep me\n"
	one := WithPersistBlock(orig, "export DOCKER_HOST=a\n")
	two := WithPersistBlock(one, "export DOCKER_HOST=b\n")
	if strings.Count(two, persistBegin) != 1 || strings.Contains(two, "DOCKER_HOST=a") || !strings.Contains(two, "DOCKER_HOST=b") {
		t.Fatalf("block not replaced:\n%s", two)
	}
	if !strings.HasPrefix(two, orig) {
		t.Errorf("the user's lines changed:\n%s", two)
	}
	if WithPersistBlock(two, "export DOCKER_HOST=b\n") != two {
		t.Error("writing the same block again changed the file")
	}
	back, had := WithoutPersistBlock(two)
	if !had || back != orig {
		t.Errorf("removing the block: had=%v\n%q\nwant\n%q", had, back, orig)
	}
	if _, had := WithoutPersistBlock(orig); had {
		t.Error("found a block in a file without one")
	}
	// A block in the middle keeps what follows it.
	mid := WithPersistBlock("a\n", "x\n") + "after\n"
	if got := WithPersistBlock(mid, "y\n"); !strings.HasSuffix(got, persistEnd+"\nafter\n") || strings.Contains(got, "\nx\n") {
		t.Errorf("middle block:\n%s", got)
	}
	// No trailing newline in the original file.
	if got := WithPersistBlock("a", "x\n"); !strings.HasPrefix(got, "a\n"+persistBegin) {
		t.Errorf("no newline before the block:\n%q", got)
	}
}

package wizard

import (
	"strings"
	"testing"
)

func TestRenderEnvPerShell(t *testing.T) {
	v := EnvVars{Host: "tcp://node3:2376", CertPath: `/home/a b/$x"y`}
	cases := map[string][]string{
		"bash":       {`export DOCKER_HOST="tcp://node3:2376"`, `export DOCKER_TLS_VERIFY="1"`, `export DOCKER_CERT_PATH="/home/a b/\$x\"y"`, `# eval "$(dockertls env -f p.yaml)"`},
		"zsh":        {`export DOCKER_HOST="tcp://node3:2376"`},
		"fish":       {`set -gx DOCKER_HOST 'tcp://node3:2376';`, `set -gx DOCKER_CERT_PATH '/home/a b/$x"y';`, `# eval (dockertls env -f p.yaml --shell fish)`},
		"powershell": {`$Env:DOCKER_HOST = 'tcp://node3:2376'`, `$Env:DOCKER_TLS_VERIFY = '1'`, `| Invoke-Expression`},
		"cmd":        {`SET DOCKER_HOST=tcp://node3:2376`, `SET DOCKER_TLS_VERIFY=1`, `REM @FOR /f`},
	}
	for shell, want := range cases {
		got := RenderEnv(shell, v, false, "dockertls env -f p.yaml")
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
	unset := RenderEnv("bash", v, true, "")
	if unset != "unset DOCKER_HOST\nunset DOCKER_TLS_VERIFY\nunset DOCKER_CERT_PATH\n" {
		t.Errorf("unset:\n%s", unset)
	}
	if got := RenderEnv("fish", EnvVars{Host: "tcp://h:2376"}, false, ""); !strings.Contains(got, "set -e DOCKER_CERT_PATH;") {
		t.Errorf("files in ~/.docker must clear a stale DOCKER_CERT_PATH:\n%s", got)
	}
	if got := RenderEnv("fish", EnvVars{Host: `tcp://h:2376`, CertPath: `/a\b'c`}, false, ""); !strings.Contains(got, `'/a\\b\'c'`) {
		t.Errorf("fish quoting:\n%s", got)
	}
	if got := RenderEnv("powershell", EnvVars{Host: "tcp://h:2376", CertPath: "C:\\it's"}, false, ""); !strings.Contains(got, `'C:\it''s'`) {
		t.Errorf("powershell quoting:\n%s", got)
	}
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

package main

import (
	"errors"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/internal/testlab"
)

// TestMain lets the scripts run the real main as `dockertls`.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"dockertls": func() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// scriptCmds are the helper commands of the scripts.
func scriptCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		// expand FILE: replace $VARS in FILE with the script's environment
		// (txtar files are not expanded by testscript itself).
		"expand": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) != 1 {
				ts.Fatalf("usage: expand FILE")
			}
			p := ts.MkAbs(args[0])
			data, err := os.ReadFile(p)
			ts.Check(err)
			ts.Check(os.WriteFile(p, []byte(os.Expand(string(data), ts.Getenv)), 0o644))
		},
		// exits N PROG ARGS...: run PROG (like exec) and expect exit status N;
		// stdout and stderr can be matched afterwards.
		"exits": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) < 2 {
				ts.Fatalf("usage: exits N PROG [ARGS...]")
			}
			err := ts.Exec(args[1], args[2:]...)
			code := 0
			var ee *exec.ExitError
			switch {
			case errors.As(err, &ee):
				code = ee.ExitCode()
			case err != nil:
				ts.Fatalf("%v", err)
			}
			if itoa(code) != args[0] {
				ts.Fatalf("%s exited with %d, want %s", args[1], code, args[0])
			}
		},
		// mode FILE PERM: the file's permission bits are PERM (octal).
		"mode": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) != 2 {
				ts.Fatalf("usage: mode FILE PERM")
			}
			fi, err := os.Stat(ts.MkAbs(args[0]))
			ts.Check(err)
			got := strings.TrimPrefix(fi.Mode().Perm().String(), "-")
			want := args[1]
			if octal := "0" + strings.TrimLeft(formatOctal(fi.Mode().Perm()), "0"); (octal == want || formatOctal(fi.Mode().Perm()) == want) == neg {
				ts.Fatalf("%s has mode %s (%s), want %s", args[0], formatOctal(fi.Mode().Perm()), got, want)
			}
		},
		// delta N SUBSTRING OLD NEW: NEW has exactly N more lines containing
		// SUBSTRING than OLD (e.g. logins in two copies of an sshd log).
		"delta": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) != 4 {
				ts.Fatalf("usage: delta N SUBSTRING OLD NEW")
			}
			oldData, err := os.ReadFile(ts.MkAbs(args[2]))
			ts.Check(err)
			newData, err := os.ReadFile(ts.MkAbs(args[3]))
			ts.Check(err)
			n := strings.Count(string(newData), args[1]) - strings.Count(string(oldData), args[1])
			if itoa(n) != args[0] {
				ts.Fatalf("%q appeared %d more times, want %s", args[1], n, args[0])
			}
		},
		// count N PATTERN FILE: FILE has exactly N lines containing PATTERN.
		"count": func(ts *testscript.TestScript, neg bool, args []string) {
			if len(args) != 3 {
				ts.Fatalf("usage: count N SUBSTRING FILE")
			}
			data, err := os.ReadFile(ts.MkAbs(args[2]))
			ts.Check(err)
			n := strings.Count(string(data), args[1])
			if (itoa(n) == args[0]) == neg {
				ts.Fatalf("%s contains %q %d times, want %s", args[2], args[1], n, args[0])
			}
		},
		// cjkwidth N stdout|stderr: every line of the last output that holds
		// a Chinese character is at most N columns wide (two per character).
		"cjkwidth": func(ts *testscript.TestScript, neg bool, args []string) {
			if neg || len(args) != 2 {
				ts.Fatalf("usage: cjkwidth N stdout|stderr")
			}
			limit, err := strconv.Atoi(args[0])
			ts.Check(err)
			seen := false
			for _, line := range strings.Split(ts.ReadFile(args[1]), "\n") {
				if i18n.Width(line) == len([]rune(line)) {
					continue // no wide character
				}
				seen = true
				if w := i18n.Width(line); w > limit {
					ts.Fatalf("line is %d columns wide, more than %d: %q", w, limit, line)
				}
			}
			if !seen {
				ts.Fatalf("no line of %s holds a Chinese character", args[1])
			}
		},
	}
}

func formatOctal(m os.FileMode) string {
	const digits = "01234567"
	v := uint32(m)
	return string([]byte{'0', digits[(v>>6)&7], digits[(v>>3)&7], digits[v&7]})
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func setupHome(env *testscript.Env) error {
	home := filepath.Join(env.WorkDir, "home")
	env.Setenv("HOME", home)
	env.Setenv("SHELL", "/bin/bash")
	for _, v := range []string{"DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "CI"} {
		env.Setenv(v, os.Getenv(v))
	}
	return os.MkdirAll(home, 0o755)
}

func conditions(cond string) (bool, error) {
	switch cond {
	case "root":
		return os.Geteuid() == 0, nil
	}
	return false, nil
}

// TestScripts runs the CLI's behaviour as txtar scripts: usage, bad plans,
// the local PKI steps, env, and refusals.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:       "testdata/script",
		Setup:     setupHome,
		Cmds:      scriptCmds(),
		Condition: conditions,
	})
}

// TestScriptsSSH runs the distribute step against a real OpenSSH sshd on
// loopback (started here, shared by the scripts in testdata/ssh).
func TestScriptsSSH(t *testing.T) {
	sshd := testlab.StartSSHD(t, testlab.SSHDOptions{})
	me, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/ssh",
		Setup: func(env *testscript.Env) error {
			env.Setenv("SSH_TARGET", sshd.Target(me.Username))
			env.Setenv("SSH_KEY", sshd.ClientKey)
			env.Setenv("SSH_KNOWN_HOSTS_LINE", sshd.KnownHostsLine)
			env.Setenv("SSHD_LOG", sshd.LogFile)
			return setupHome(env)
		},
		Cmds:      scriptCmds(),
		Condition: conditions,
	})
}

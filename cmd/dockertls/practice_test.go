package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/internal/testlab"
	"github.com/dockertls/dockertls/wizard/practice"
)

// TestPracticeUpApplyVerifyDown is a newcomer's whole path on one machine:
// practice up, apply --yes, verify shows the Server block, practice down
// leaves no process, mount or file behind.
func TestPracticeUpApplyVerifyDown(t *testing.T) {
	testlab.RequireRoot(t)
	testlab.RequireBinary(t, "dockerd", "docker.io")
	dir := filepath.Join(t.TempDir(), "practice")
	p, err := practice.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Down() }) // when the test stops early
	t.Setenv("DOCKER_CONFIG", filepath.Join(t.TempDir(), "docker-config"))

	code, out, errOut := runCLI("practice", "up", "--dir", dir)
	if code != exitOK {
		t.Fatalf("practice up: exit %d\n%s%s", code, out, errOut)
	}
	pid := p.Pid()
	if pid == 0 || !strings.Contains(out, "dockertls apply -f "+filepath.Join(dir, "dockertls.yaml")+" --yes") {
		t.Fatalf("practice up: pid %d, output:\n%s", pid, out)
	}
	if code, again, _ := runCLI("practice", "up", "--dir", dir); code != exitOK || p.Pid() != pid {
		t.Errorf("a second practice up: exit %d, pid %d → %d (want the same daemon):\n%s", code, pid, p.Pid(), again)
	}
	plan := filepath.Join(dir, "dockertls.yaml")
	code, out, errOut = runCLI("apply", "-f", plan, "--yes")
	if code != exitOK {
		t.Fatalf("apply on the practice daemon: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runCLI("verify", "-f", plan)
	if code != exitOK || !strings.Contains(out, "Server:\n Engine:\n  Version:") || !strings.Contains(out, "127.0.0.2") {
		t.Fatalf("verify on the practice daemon: exit %d\n%s", code, out)
	}
	run := p.RunDir()
	if code, out, errOut = runCLI("practice", "down", "--dir", dir); code != exitOK {
		t.Fatalf("practice down: exit %d\n%s%s", code, out, errOut)
	}
	for _, gone := range []string{dir, run} {
		if _, err := os.Stat(gone); err == nil {
			t.Errorf("%s is still there after practice down", gone)
		}
	}
	if alive := processesMentioning(t, run); len(alive) > 0 {
		t.Errorf("processes still running after practice down: %v", alive)
	}
	mounts, _ := os.ReadFile("/proc/self/mountinfo")
	if strings.Contains(string(mounts), run) || strings.Contains(string(mounts), dir) {
		t.Errorf("mounts left after practice down")
	}
}

// TestPracticeRefusesDirectoriesNotItsOwn: up does not take a directory
// with other files, down removes nothing from a directory up did not make.
func TestPracticeRefusesDirectoriesNotItsOwn(t *testing.T) {
	testlab.RequireRoot(t)
	testlab.RequireBinary(t, "dockerd", "docker.io")
	dir := t.TempDir()
	keep := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(keep, []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI("practice", "up", "--dir", dir); code != exitFailed || !strings.Contains(errOut, "already holds other files and is not a practice directory") {
		t.Errorf("practice up in a used directory: exit %d: %s", code, errOut)
	}
	if code, _, errOut := runCLI("practice", "down", "--dir", dir); code != exitFailed || !strings.Contains(errOut, "is not a practice directory") {
		t.Errorf("practice down in a directory up did not make: exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("the user's file is gone: %v", err)
	}
	if code, _, errOut := runCLI("practice", "sideways"); code != exitUsage || !strings.Contains(errOut, "say up or down") {
		t.Errorf("practice sideways: exit %d: %s", code, errOut)
	}
}

// processesMentioning lists the pids whose command line contains s.
func processesMentioning(t *testing.T, s string) []string {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	var pids []string
	for _, e := range entries {
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err == nil && strings.Contains(string(cmdline), s) {
			pids = append(pids, e.Name())
		}
	}
	return pids
}

//go:build e2e

// Package e2e is the end-to-end suite: the real dockertls binary against
// real systemd-managed Docker nodes (internal/testlab/node). Run it with
// `make e2e` (root).
package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/dockertls/dockertls/internal/testlab/node"
)

// binaryEnv carries the path of the binary TestMain built to the tests
// (an environment variable rather than a package variable).
const binaryEnv = "DOCKERTLS_E2E_BINARY"

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	// A test that re-runs this binary as a child (to play a killed test
	// process) inherits the parent's build.
	if bin := os.Getenv(binaryEnv); bin != "" {
		if _, err := os.Stat(bin); err == nil {
			return m.Run()
		}
	}
	dir, err := os.MkdirTemp("", "dockertls-e2e-bin")
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e: creating a directory for the binary: %v\n", err)
		return 1
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "dockertls")
	build := exec.Command("go", "build", "-o", bin, "./cmd/dockertls")
	build.Dir = ".." // the module root
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: go build ./cmd/dockertls failed: %v\n%s", err, out)
		return 1
	}
	if err := os.Setenv(binaryEnv, bin); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: %v\n", err)
		return 1
	}
	// Build the node tree once up front (about a minute on a fresh
	// machine) so that no single test carries it. Without root or
	// debootstrap the tests themselves say what is missing (and fail in CI).
	if canBuildTree() {
		start := time.Now()
		tree, err := node.EnsureTree(func(format string, args ...any) {
			fmt.Fprintf(os.Stderr, "e2e: "+format+"\n", args...)
		})
		if err != nil {
			fmt.Fprintf(os.Stderr, "e2e: preparing the test node tree: %v\n", err)
			return 1
		}
		fmt.Fprintf(os.Stderr, "e2e: node tree %s ready after %s\n", tree, time.Since(start).Round(time.Millisecond))
	}
	return m.Run()
}

// canBuildTree reports whether TestMain should prepare the node tree: as
// root, when it is cached or debootstrap can build it.
func canBuildTree() bool {
	if os.Geteuid() != 0 {
		return false
	}
	if _, err := os.Stat(filepath.Join(node.TreePath(), "usr/sbin/dockerd")); err == nil {
		return true
	}
	_, err := exec.LookPath("debootstrap")
	return err == nil
}

// dockertlsBinary is the path of the dockertls binary built for this run.
func dockertlsBinary(t testing.TB) string {
	t.Helper()
	bin := os.Getenv(binaryEnv)
	if bin == "" {
		t.Fatalf("%s is not set: the e2e TestMain builds the binary; run the suite with `make e2e`", binaryEnv)
	}
	return bin
}

// bootNode boots a fresh systemd node ("node3", stock docker.service) for
// the test; it is powered off and removed when the test ends.
func bootNode(t testing.TB) *node.Node {
	t.Helper()
	start := time.Now()
	n := node.Boot(t)
	t.Logf("node %s (%s) booted in %s", n.Machine, n.IP, time.Since(start).Round(time.Millisecond))
	return n
}

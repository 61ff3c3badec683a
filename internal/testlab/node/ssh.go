package node

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// RunAs runs a shell command on the node as user (root, ubuntu or admin)
// over SSH with that user's test key, checking the node's host key. A
// non-zero exit is an error that carries the exit status and stderr.
func (n *Node) RunAs(user, shellCmd string, stdin io.Reader) (stdout, stderr string, err error) {
	keyPath := n.KeyFor(user)
	if keyPath == "" {
		return "", "", fmt.Errorf("the test node has no key for user %q (root, ubuntu, admin)", user)
	}
	pem, err := os.ReadFile(keyPath)
	if err != nil {
		return "", "", fmt.Errorf("reading %s's test key: %w", user, err)
	}
	signer, err := ssh.ParsePrivateKey(pem)
	if err != nil {
		return "", "", fmt.Errorf("parsing %s's test key: %w", user, err)
	}
	hostKeys, err := knownhosts.New(n.KnownHosts)
	if err != nil {
		return "", "", fmt.Errorf("reading the node's known_hosts: %w", err)
	}
	cfg := &ssh.ClientConfig{
		User:            user,
		Auth:            []ssh.AuthMethod{ssh.PublicKeys(signer)},
		HostKeyCallback: hostKeys,
		Timeout:         5 * time.Second,
	}
	client, err := ssh.Dial("tcp", net.JoinHostPort(n.IP, "22"), cfg)
	if err != nil {
		return "", "", fmt.Errorf("ssh %s@%s: %w", user, n.IP, err)
	}
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		return "", "", fmt.Errorf("ssh %s@%s: opening a session: %w", user, n.IP, err)
	}
	defer sess.Close()
	var out, errOut bytes.Buffer
	sess.Stdout, sess.Stderr, sess.Stdin = &out, &errOut, stdin
	err = sess.Run(shellCmd)
	var exitErr *ssh.ExitError
	if errors.As(err, &exitErr) {
		err = fmt.Errorf("%q as %s on the node exited %d: %s", shellCmd, user, exitErr.ExitStatus(), strings.TrimSpace(errOut.String()))
	} else if err != nil {
		err = fmt.Errorf("running %q as %s on the node: %w", shellCmd, user, err)
	}
	return out.String(), errOut.String(), err
}

// Run runs a shell command as root; see RunAs.
func (n *Node) Run(shellCmd string) (stdout, stderr string, err error) {
	return n.RunAs("root", shellCmd, nil)
}

// Exec runs a shell command as root and returns its stdout; any failure
// stops the test.
func (n *Node) Exec(t testing.TB, shellCmd string) string {
	t.Helper()
	return n.ExecAs(t, "root", shellCmd)
}

// ExecAs runs a shell command as user and returns its stdout; any failure
// stops the test.
func (n *Node) ExecAs(t testing.TB, user, shellCmd string) string {
	t.Helper()
	out, _, err := n.RunAs(user, shellCmd, nil)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

package remote

import (
	"context"
	"errors"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/dockertls/dockertls/internal/fsread"
	"github.com/dockertls/dockertls/internal/i18n"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// knownHostsName is how known_hosts and ssh-keygen -R name "host:port":
// "host" for port 22, "[host]:port" otherwise.
func knownHostsName(addr string) string {
	return knownhosts.Normalize(addr)
}

// expandHome turns a leading "~/" into this user's home directory.
func expandHome(p string) (string, error) {
	if p != "~" && !strings.HasPrefix(p, "~/") {
		return p, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", i18n.Errorf("remote.expand_home", "Path", p, "Err", err)
	}
	return filepath.Join(home, strings.TrimPrefix(p, "~")), nil
}

// knownHostsFile returns the known_hosts path to use, creating the file
// (and its directory, 0700 like ~/.ssh) when missing so a first contact can
// be remembered.
func knownHostsFile(configured string) (string, error) {
	p := configured
	if p == "" {
		p = "~/.ssh/known_hosts"
	}
	p, err := expandHome(p)
	if err != nil {
		return "", err
	}
	dir := filepath.Dir(p)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", i18n.Errorf("remote.knownhosts.mkdir", "Dir", dir, "Err", err)
		}
	}
	// A FIFO would block the open below, /dev/zero the parser.
	if err := fsread.Check(p, fsread.MaxKnownHosts); err != nil {
		return "", i18n.Errorf("remote.knownhosts.check", "Err", err)
	}
	f, err := os.OpenFile(p, os.O_CREATE|os.O_RDONLY, 0o600)
	if err != nil {
		return "", i18n.Errorf("remote.knownhosts.open", "File", p, "Err", err)
	}
	return p, f.Close()
}

// knownKeys lists what known_hosts holds for addr: every line that names
// the host, whatever its key type, and the @cert-authority lines that
// name it. A corrupt or unreadable file is an error, never "unknown".
func knownKeys(file, addr string, remote net.Addr) ([]knownhosts.KnownKey, []certAuthority, error) {
	if err := fsread.Check(file, fsread.MaxKnownHosts); err != nil {
		return nil, nil, err
	}
	cb, err := knownhosts.New(file)
	if err != nil {
		return nil, nil, err
	}
	cas := hostAuthorities(file, cb, addr, remote)
	// A key no line can hold: the callback then lists every line for the
	// host in KeyError.Want.
	var keyErr *knownhosts.KeyError
	switch err := cb(addr, remote, placeholderKey()); {
	case err == nil:
		return nil, nil, i18n.Errorf("remote.knownhosts.placeholder", "File", file, "Host", addr)
	case errors.As(err, &keyErr):
		return plainKeys(keyErr.Want, cas), cas, nil
	default:
		return nil, nil, err
	}
}

// appendKnownHost adds the host's key to known_hosts the way OpenSSH does:
// starting on a fresh line even if the file lacks a final newline, and
// with hashed host names (one line per name) when the file already holds
// hashed entries or ssh's own configuration says HashKnownHosts yes (as
// Debian's and Ubuntu's /etc/ssh/ssh_config do), so the file does not
// list in clear text the hosts the user's ssh keeps hidden.
func appendKnownHost(file, addr string, remote net.Addr, key ssh.PublicKey, secretEnv []string) error {
	names := []string{knownhosts.Normalize(addr)}
	if remote != nil {
		if r := knownhosts.Normalize(remote.String()); r != names[0] {
			names = append(names, r)
		}
	}
	var line string
	if hashKnownHosts(file, addr, secretEnv) {
		for _, n := range names {
			line += knownhosts.Line([]string{knownhosts.HashHostname(n)}, key) + "\n"
		}
	} else {
		line = knownhosts.Line(names, key) + "\n"
	}
	f, err := os.OpenFile(file, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return i18n.Errorf("remote.knownhosts.remember_open", "Host", addr, "Err", err)
	}
	if fi, err := f.Stat(); err == nil && fi.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, fi.Size()-1); err == nil && last[0] != '\n' {
			line = "\n" + line
		}
	}
	if _, err := f.WriteString(line); err != nil {
		_ = f.Close()
		return i18n.Errorf("remote.knownhosts.remember", "Host", addr, "File", file, "Err", err)
	}
	if err := f.Close(); err != nil {
		return i18n.Errorf("remote.knownhosts.remember", "Host", addr, "File", file, "Err", err)
	}
	return nil
}

// hashKnownHosts reports whether new known_hosts lines should be hashed:
// when the file already has a hashed entry, or when `ssh -G` (OpenSSH's
// effective configuration for the host, read from the user's and the
// system's ssh_config; nothing is connected) says hashknownhosts yes.
// Without an ssh client the names are written in clear, OpenSSH's default.
// ssh inherits no secret (childEnv; secretEnv names more).
func hashKnownHosts(file, addr string, secretEnv []string) bool {
	if data, err := fsread.ReadFile(file, fsread.MaxKnownHosts); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "|1|") {
				return true
			}
		}
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil || strings.HasPrefix(host, "-") {
		return false
	}
	sshBin, err := exec.LookPath("ssh")
	if err != nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, sshBin, "-G", "-p", port, host)
	cmd.Env = childEnv(os.Environ(), secretEnv)
	out, err := cmd.Output()
	if err != nil {
		return false
	}
	for _, l := range strings.Split(string(out), "\n") {
		if strings.EqualFold(strings.TrimSpace(l), "hashknownhosts yes") {
			return true
		}
	}
	return false
}

// mismatchLine picks the known_hosts line to blame: one of the same key
// type if there is one.
func mismatchLine(known []knownhosts.KnownKey, offered ssh.PublicKey) knownhosts.KnownKey {
	for _, k := range known {
		if k.Key.Type() == offered.Type() {
			return k
		}
	}
	return known[0]
}

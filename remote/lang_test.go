package remote_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/internal/testlab"
	"github.com/dockertls/dockertls/remote"
)

// saysIn checks err rendered in lang: every word of want is there (the
// translation, and the target, file and command as they are), and no
// English sentence of english is left.
func saysIn(t *testing.T, lang i18n.Lang, err error, want, english []string) {
	t.Helper()
	got := i18n.New(lang).Error(err)
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s: %q is missing in %q", lang, w, got)
		}
	}
	for _, e := range english {
		if strings.Contains(got, e) {
			t.Errorf("%s: English %q is left in %q", lang, e, got)
		}
	}
}

// A pasted ssh command is refused in the reader's language with the target
// to type instead, exactly as in English; the English message is as before.
func TestPastedSSHCommandRefusedInEveryLanguage(t *testing.T) {
	_, err := remote.ParseTarget("ssh -p 2222 ubuntu@127.0.0.1")
	if err == nil {
		t.Fatal("ParseTarget accepted a whole ssh command")
	}
	if got, want := err.Error(), `SSH target "ssh -p 2222 ubuntu@127.0.0.1" is a whole ssh command: write ubuntu@127.0.0.1:2222`; got != want {
		t.Errorf("English = %q, want %q", got, want)
	}
	same := []string{`"ssh -p 2222 ubuntu@127.0.0.1"`, "ubuntu@127.0.0.1:2222"}
	english := []string{"is a whole ssh command", "write "}
	saysIn(t, i18n.Chinese, err, append(same, "SSH 目标", "是一整条 ssh 命令：请写"), english)
	saysIn(t, i18n.German, err, append(same, "SSH-Ziel", "ist ein ganzer ssh-Befehl: schreiben Sie"), english)

	// With -i the key file is named as it was typed.
	_, err = remote.ParseTarget("ssh -i ~/.ssh/lab -p 2200 root@[::1]")
	same = []string{"root@[::1]:2200", "~/.ssh/lab"}
	english = append(english, "as the SSH key")
	saysIn(t, i18n.Chinese, err, append(same, "SSH 密钥（身份文件）"), english)
	saysIn(t, i18n.German, err, append(same, "als SSH-Schlüssel (Identität)"), english)
}

// A real host key mismatch (the loopback sshd against a known_hosts line
// that holds another key) says in Chinese and German what happened and
// what to do, with the file, line, fingerprint and ssh-keygen commands as
// they are; wrapped by a caller it stays a *HostKeyError for errors.As.
func TestHostKeyMismatchInEveryLanguage(t *testing.T) {
	isolate(t)
	s := testlab.StartSSHD(t, testlab.SSHDOptions{})
	kh, _ := knownHostsWithOtherKey(t, s)
	port := s.Addr[strings.LastIndex(s.Addr, ":")+1:]
	_, err := remote.Open(ctxT(t), remote.Config{Target: s.Target(currentUser(t)), Identity: s.ClientKey, KnownHosts: kh, Prompter: &countingPrompter{trust: true}})
	err = fmt.Errorf("cannot reach it: %w", err) // as wizard wraps it
	var hk *remote.HostKeyError
	if !errors.As(err, &hk) || hk.Problem != remote.HostKeyMismatch {
		t.Fatalf("Open with a changed host key: %v, want a mismatch", err)
	}
	same := []string{kh, "[127.0.0.1]:" + port, fingerprint(t, s.HostPubKey), "ssh-keygen -R '[127.0.0.1]:" + port + "' -f " + kh,
		"ssh-keygen -lf /etc/ssh/ssh_host_", "cannot reach it: "}
	english := []string{"host key mismatch", "holds a different key", "Someone may be intercepting", "if the change is expected"}
	saysIn(t, i18n.Chinese, err, append(same, "主机密钥不匹配", "第 3 行", "中间人攻击", "删除旧条目"), english)
	saysIn(t, i18n.German, err, append(same, "stimmt nicht überein", "Zeile 3", "Man-in-the-Middle", "entfernen Sie den alten Eintrag"), english)
}

// This machine is named in the reader's language, a file's path as it is,
// and the system's own words (the cause) stay as the system said them.
func TestLocalHostSaysItselfInEveryLanguage(t *testing.T) {
	local := remote.NewLocal(nil)
	for lang, want := range map[i18n.Lang]string{i18n.English: "this machine", i18n.Chinese: "本机", i18n.German: "diesem Rechner"} {
		if got := i18n.New(lang).T("remote.failed_on", "Op", "x", "Host", remote.Label(local), "Err", "y"); !strings.Contains(got, want) {
			t.Errorf("%s: Label(local) = %q, want %q", lang, got, want)
		}
	}
	missing := filepath.Join(t.TempDir(), "daemon.json")
	_, err := local.ReadFile(ctxT(t), missing, false)
	if !errors.Is(err, os.ErrNotExist) || !strings.HasPrefix(err.Error(), "reading "+missing+" on this machine: ") {
		t.Fatalf("reading a missing file: %v", err)
	}
	english := []string{"reading ", "this machine"}
	saysIn(t, i18n.Chinese, err, []string{"读取 " + missing + "（本机）失败：", "no such file or directory"}, english)
	saysIn(t, i18n.German, err, []string{"Lesen von " + missing + " auf diesem Rechner: ", "no such file or directory"}, english)
}

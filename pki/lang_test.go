package pki

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/internal/testlab"
)

// translated checks one text of pki in zh and de: English as Error() says
// it, each language with its words, the literals (paths, file names)
// unchanged, and none of the English sentence's parts left over.
func translated(t *testing.T, english string, render func(*i18n.Localizer) string, literals []string, words map[i18n.Lang][]string) {
	t.Helper()
	if got := render(i18n.New(i18n.English)); got != english {
		t.Errorf("in English:\n%s\nwant\n%s", got, english)
	}
	for _, lang := range []i18n.Lang{i18n.Chinese, i18n.German} {
		got := render(i18n.New(lang))
		for _, w := range append(append([]string{}, literals...), words[lang]...) {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q is missing in\n%s", lang, w, got)
			}
		}
		for _, part := range strings.Split(english, ": ") {
			for _, lit := range literals {
				part = strings.ReplaceAll(part, lit, "")
			}
			if part = strings.TrimSpace(part); len(strings.Fields(part)) >= 2 && strings.Contains(got, part) {
				t.Errorf("%s: English %q left in\n%s", lang, part, got)
			}
		}
	}
}

// A ca.pem that holds a private key (saved under the wrong name, as an
// editor or a mistyped openssl -out would) is refused with the file named
// in every language.
func TestCANotACertificateInEveryLanguage(t *testing.T) {
	dir := t.TempDir()
	o := newOpenSSL(t, dir)
	o.must("genpkey", "-algorithm", "ed25519", "-out", FileCA)
	o.must("genpkey", "-algorithm", "ed25519", "-out", FileCAKey)
	d, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.LoadCA(nil)
	if err == nil {
		t.Fatal("LoadCA read a key as the CA certificate")
	}
	want := "read " + d.Path(FileCA) + ": no certificate in this PEM file (no BEGIN CERTIFICATE block): is it a key?"
	translated(t, want, func(l *i18n.Localizer) string { return l.Error(err) },
		[]string{d.Path(FileCA), "BEGIN CERTIFICATE"},
		map[i18n.Lang][]string{
			i18n.Chinese: {"读取", "没有证书", "私钥"},
			i18n.German:  {"lesen", "kein Zertifikat", "Schlüssel"},
		})
}

// A PKI directory locked by another process (flock(1), which says nothing
// about itself) is refused after the wait, naming the directory and "another
// process" in the user's language; errors.As still finds the LockedError.
func TestLockedByAnotherProcessInEveryLanguage(t *testing.T) {
	flock := testlab.RequireBinary(t, "flock", "util-linux")
	dir := t.TempDir()
	d, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	// flock holds the lock while cat waits for its stdin; "locked" says it
	// has it, and closing stdin lets both end.
	holder := exec.Command(flock, "-x", dir, "-c", "echo locked; exec cat")
	stdin, err := holder.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := holder.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stdin.Close(); _ = holder.Wait() })
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "locked\n" {
		t.Fatalf("flock said %q, %v", line, err)
	}

	_, err = d.Lock(context.Background(), 0)
	var locked *LockedError
	if !errors.As(err, &locked) {
		t.Fatalf("Lock under another holder: %v, want a LockedError", err)
	}
	want := "the PKI directory " + d.Root() + " is in use by another process: wait until it has finished and run again (the lock goes away with that process)"
	translated(t, want, func(l *i18n.Localizer) string { return l.Error(err) },
		[]string{d.Root()},
		map[i18n.Lang][]string{
			i18n.Chinese: {"PKI 目录", "另一个进程", "锁"},
			i18n.German:  {"PKI-Verzeichnis", "einem anderen Prozess", "Sperre"},
		})
}

// A finding of the PKI directory (mode 0755, set by hand) carries its words
// and its fix for a Localizer; Message and Fix stay English.
func TestDirFindingInEveryLanguage(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	d, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	ps := d.DirProblems()
	if len(ps) != 1 || ps[0].Code != CodeDirPermissions {
		t.Fatalf("DirProblems = %v, want one %s", ps, CodeDirPermissions)
	}
	p := ps[0]
	translated(t, "the PKI directory "+d.Root()+" has mode 0755: other users of this machine can list it",
		func(l *i18n.Localizer) string { return l.Msg(p.Text) },
		[]string{d.Root(), "0755"},
		map[i18n.Lang][]string{
			i18n.Chinese: {"权限", "其他用户"},
			i18n.German:  {"Modus", "andere Benutzer"},
		})
	if p.Message != p.Text.String() || p.Fix != "chmod 0700 "+d.Root() || i18n.New(i18n.Chinese).Msg(p.FixText) != p.Fix {
		t.Errorf("Message %q, Fix %q, zh fix %q: want the English words and the command unchanged", p.Message, p.Fix, i18n.New(i18n.Chinese).Msg(p.FixText))
	}
}

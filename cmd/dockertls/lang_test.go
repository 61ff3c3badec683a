package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard"
	"github.com/dockertls/dockertls/wizard/fix"
)

// TestWizardRefusesAFleetInTheLanguage: the wizard's refusal of a plan
// with daemons: (a real plan file) reads in Chinese and German with the
// file name and the commands to type unchanged, and no English sentence.
func TestWizardRefusesAFleetInTheLanguage(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "class room.yaml")
	data := "dir: pki\ndaemons:\n  - name: node1\n    ssh: root@node1\n  - name: node2\n    ssh: root@node2\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := loadForWizard(path, "")
	if err == nil {
		t.Fatal("the wizard opened a plan with two daemons without --daemon")
	}
	quoted := "'" + path + "'"
	for _, tc := range []struct {
		lang  i18n.Lang
		words []string
	}{
		{i18n.Chinese, []string{"列出了 2 个守护进程（node1, node2）", "向导一次只处理一个守护进程"}},
		{i18n.German, []string{"nennt 2 Daemons (node1, node2)", "Der Assistent bearbeitet immer einen Daemon"}},
	} {
		got := i18n.New(tc.lang).Error(err)
		for _, want := range append(tc.words, path,
			"`dockertls wizard -f "+quoted+" --daemon node1`", "`dockertls apply -f "+quoted+"`") {
			if !strings.Contains(got, want) {
				t.Errorf("%s: %q lacks %q", tc.lang, got, want)
			}
		}
		for _, english := range []string{"lists", "The wizard works", "for all of them"} {
			if strings.Contains(got, english) {
				t.Errorf("%s: %q still says %q", tc.lang, got, english)
			}
		}
	}
	if en := err.Error(); !strings.Contains(en, "lists 2 daemons (node1, node2). The wizard works on one daemon at a time") {
		t.Errorf("English: %q", en)
	}
}

// TestDoctorTableInTheLanguage: doctor's table has its headers in the
// language, keeps step names and statuses, and a fix that starts with the
// command (the daemon's "run: dockertls apply …", as its catalog words it
// in each language) is shown once as "fix: dockertls apply …", not "fix:
// run: …".
func TestDoctorTableInTheLanguage(t *testing.T) {
	for _, tc := range []struct {
		lang       i18n.Lang
		head, fix  string
		doubleWord string
	}{
		{i18n.English, "STEP           STATUS  WHAT", "fix: dockertls apply -f class.yaml --step daemon-config --yes", "run:"},
		{i18n.Chinese, "步骤           状态    说明", "修复：dockertls apply -f class.yaml --step daemon-config --yes", "运行："},
		{i18n.German, "SCHRITT        STATUS  BEFUND", "Abhilfe: dockertls apply -f class.yaml --step daemon-config --yes", "ausführen:"},
	} {
		loc := i18n.New(tc.lang)
		findings := []wizard.Finding{
			{Step: wizard.StepCA, Status: wizard.StatusOK, Message: "CA ok"},
			{Step: wizard.StepDaemonConfig, Status: wizard.StatusFail, Code: "tlsverify-off", Message: "tlsverify is off",
				Fix: fix.Parse(loc.T("daemon.check.reconfigure"))},
		}
		var b strings.Builder
		printFindings(&b, loc, findings, fix.For("class.yaml", "bash"))
		out := b.String()
		for _, want := range []string{tc.head + "\n", "\nca             ok      CA ok\n", "\ndaemon-config  fail    tlsverify is off\n", "\n                       " + tc.fix + "\n"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: the table lacks %q:\n%s", tc.lang, want, out)
			}
		}
		if strings.Contains(out, tc.doubleWord) {
			t.Errorf("%s: the fix still says %q:\n%s", tc.lang, tc.doubleWord, out)
		}
	}
}

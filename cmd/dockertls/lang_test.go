package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/internal/i18n"
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

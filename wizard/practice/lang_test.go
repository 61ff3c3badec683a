package practice

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/internal/i18n"
)

// down refuses a directory it did not make, and one that is not there, in
// the user's language with the path and the command unchanged; the
// directory's files stay.
func TestDownRefusesInTheUsersLanguage(t *testing.T) {
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notes, []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	err = p.Down()
	if err == nil || !strings.Contains(err.Error(), "is not a practice directory (no .dockertls-practice): nothing was stopped or removed") {
		t.Fatalf("down in a directory up did not make: %v", err)
	}
	if _, statErr := os.Stat(notes); statErr != nil {
		t.Fatalf("down removed a file it did not make: %v", statErr)
	}
	for lang, want := range map[i18n.Lang]string{
		i18n.Chinese: dir + " 不是练习目录（没有 .dockertls-practice）：什么都没有停止或删除",
		i18n.German:  dir + " ist kein Übungsverzeichnis (kein .dockertls-practice): nichts wurde angehalten oder entfernt",
	} {
		if got := i18n.New(lang).Error(err); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
	p, err = New(filepath.Join(dir, "gone"))
	if err != nil {
		t.Fatal(err)
	}
	err = p.Down()
	zh := i18n.New(i18n.Chinese).Error(err)
	if !strings.Contains(zh, "没有练习守护进程") || !strings.Contains(zh, "`practice up`") || !strings.Contains(zh, "--dir") || strings.Contains(zh, "nothing to remove") {
		t.Errorf("zh, a directory that is not there: %q", zh)
	}
}

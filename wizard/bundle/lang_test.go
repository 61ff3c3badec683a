package bundle

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/internal/i18n"
)

// A bundle directory that is a file is refused in the user's language,
// naming the path.
func TestWriteRefusalInTheUsersLanguage(t *testing.T) {
	file := filepath.Join(t.TempDir(), "bundles")
	if err := os.WriteFile(file, []byte("not a directory\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Write(file, Bundle{Name: "alice", Host: "tcp://node3:2376"})
	if err == nil || !strings.HasPrefix(err.Error(), "the bundle directory: ") {
		t.Fatalf("Write into a file: %v", err)
	}
	zh := i18n.New(i18n.Chinese).Error(err)
	if !strings.HasPrefix(zh, "文件包目录：") || !strings.Contains(zh, file) {
		t.Errorf("zh: %q", zh)
	}
	de := i18n.New(i18n.German).Error(err)
	if !strings.HasPrefix(de, "das Paketverzeichnis: ") || !strings.Contains(de, file) {
		t.Errorf("de: %q", de)
	}
	t.Logf("zh: %s\nde: %s", zh, de)
}

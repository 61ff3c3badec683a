package node

import (
	"os"
	"path/filepath"
	"testing"
)

func TestMirrorFromDeb822(t *testing.T) {
	f := filepath.Join(t.TempDir(), "debian.sources")
	src := `Types: deb
# http://snapshot.example/archive/debian/20250520T000000Z
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main

Types: deb
URIs: http://security.example/debian-security
Suites: bookworm-security
Components: main
`
	if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := mirrorFromDeb822(f, "bookworm"); got != "http://mirror.example/debian" {
		t.Errorf("bookworm: got %q", got)
	}
	if got := mirrorFromDeb822(f, "bookworm-security"); got != "http://security.example/debian-security" {
		t.Errorf("bookworm-security: got %q", got)
	}
	if got := mirrorFromDeb822(f, "trixie"); got != "" {
		t.Errorf("trixie: got %q, want none", got)
	}
}

func TestMirrorFromDeb822SkipsDisabledAndSourceStanzas(t *testing.T) {
	f := filepath.Join(t.TempDir(), "x.sources")
	src := "Types: deb-src\nURIs: http://src.example/debian\nSuites: bookworm\n\n" +
		"Enabled: no\nTypes: deb\nURIs: http://off.example/debian\nSuites: bookworm\n\n" +
		"Types: deb deb-src\nURIs: http://on.example/debian http://other.example/debian\nSuites: bookworm\n"
	if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := mirrorFromDeb822(f, "bookworm"); got != "http://on.example/debian" {
		t.Errorf("got %q, want the first URI of the enabled deb stanza", got)
	}
}

func TestMirrorFromList(t *testing.T) {
	f := filepath.Join(t.TempDir(), "sources.list")
	src := "# comment\ndeb-src http://src.example/debian bookworm main\n" +
		"deb [arch=amd64 signed-by=/k.gpg] http://opt.example/debian bookworm main\n" +
		"deb http://sec.example/debian-security bookworm-security main\n"
	if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := mirrorFromList(f, "bookworm"); got != "http://opt.example/debian" {
		t.Errorf("got %q", got)
	}
}

func TestMirrorEnvOverrides(t *testing.T) {
	t.Setenv(MirrorEnv, "http://override.example/debian")
	if got, err := debianMirror("bookworm"); err != nil || got != "http://override.example/debian" {
		t.Errorf("got %q, %v", got, err)
	}
}

func TestRecipeIDChangesWithTheRecipe(t *testing.T) {
	id := recipeID()
	if id == "" || filepath.Base(TreePath()) != id {
		t.Fatalf("recipeID %q, TreePath %q", id, TreePath())
	}
}

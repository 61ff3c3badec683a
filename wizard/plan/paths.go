package plan

import (
	"os"
	"path/filepath"
	"strings"
)

// LocalPath resolves a path on this machine: "~" is this user's home, and a
// relative path is relative to the plan file's directory (or the working
// directory for a plan that was never saved).
func (p *Plan) LocalPath(path string) string {
	if path == "" {
		return ""
	}
	if path == "~" || strings.HasPrefix(path, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, strings.TrimPrefix(path, "~"))
		}
	}
	if filepath.IsAbs(path) {
		return filepath.Clean(path)
	}
	base := "."
	if p.Path != "" {
		base = filepath.Dir(p.Path)
	}
	if abs, err := filepath.Abs(filepath.Join(base, path)); err == nil {
		return abs
	}
	return filepath.Join(base, path)
}

// HostPath resolves a path on a host whose home directory is home: "~" and
// "~/x" expand there; other paths are returned as they are.
func HostPath(path, home string) string {
	if path == "~" || strings.HasPrefix(path, "~/") {
		return strings.TrimSuffix(home, "/") + strings.TrimPrefix(path, "~")
	}
	return path
}

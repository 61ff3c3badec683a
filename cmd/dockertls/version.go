package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/dockertls/dockertls/internal/i18n"
)

// versionCommand prints the module version and the commit it was built from.
func versionCommand(args []string, loc *i18n.Localizer, stdout, stderr io.Writer) int {
	fs := newFlags("version", "version", loc, stderr)
	if ok, code := parseFlags(fs, args, stderr); !ok {
		return code
	}
	version, commit, dirty := "(devel)", "", false
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	if len(commit) > 12 {
		commit = commit[:12]
	}
	if dirty {
		commit += "-dirty"
	}
	if commit != "" {
		commit = " " + commit
	}
	fmt.Fprintf(stdout, "dockertls %s%s %s %s/%s\n", version, commit, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return exitOK
}

// Package assets holds the texts and templates dockertls ships: the step
// explanations shown to newcomers and the files written to hosts (systemd
// drop-in, socket unit, shell snippets).
package assets

import "embed"

// FS holds steps/*.md (one explanation per step) and templates/*.
//
//go:embed steps templates i18n
var FS embed.FS

// Command dockertls secures a Docker daemon's TCP API with mutual TLS.
package main

import (
	"fmt"
	"os"
)

const usage = `dockertls secures a Docker daemon's TCP API with mutual TLS.

Usage:
  dockertls                      the TUI wizard (also: dockertls wizard [-f PLAN])
  dockertls apply  -f PLAN [--yes] [--step NAME ...] [--dry-run] [--accept-new-host-keys]
  dockertls doctor -f PLAN [--json] [--fix] [--yes]
  dockertls verify -f PLAN
  dockertls env    -f PLAN [--shell bash|zsh|fish|powershell|cmd] [--unset] [--persist]
  dockertls version
`

func main() {
	fmt.Fprint(os.Stdout, usage)
}

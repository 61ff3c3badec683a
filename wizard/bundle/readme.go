package bundle

import (
	"fmt"
	"time"
)

// readme is README.txt: what the files are, how to use them, when they
// expire, in plain words for a workshop participant.
func (b Bundle) readme() string {
	return fmt.Sprintf(`Docker TLS client files for %[1]s
==================================

These files let the docker command on your computer talk to the Docker
daemon at %[2]s over mutual TLS: the daemon checks that you hold a
certificate from its CA, and you check that you talk to the real daemon.

What the files are
  ca.pem        the certificate of the CA that signed the daemon's certificate
                and yours; the docker command trusts only this CA
  cert.pem      your client certificate (CN %[1]s)
  key.pem       your private key: keep it to yourself, never send it anywhere
  env.sh        sets DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH
                (bash, zsh)
  env.fish      the same for fish
  env.ps1       the same for PowerShell
  env.cmd       the same for the Windows command prompt

How to use them (pick one)
  1. A docker context (nothing to set in your shell):
       docker context import %[1]s %[1]s.dockercontext
       docker --context %[1]s version
     or make it the default: docker context use %[1]s
  2. Environment variables in this shell, from inside this folder:
       bash/zsh:    . ./env.sh
       fish:        source ./env.fish
       PowerShell:  . .\env.ps1
       cmd:         env.cmd
     then:          docker version
     The scripts point DOCKER_CERT_PATH at this folder wherever it is, so
     keep the three .pem files together.

If docker version shows a "Server:" block, you are in.

When they expire
  Your certificate is valid until %[3]s (UTC).
  After that the daemon refuses it: ask for a new bundle.
`, b.Name, b.Host, b.NotAfter.UTC().Format(time.DateTime))
}

package wizard

import (
	"fmt"
	"strings"

	"github.com/dockertls/dockertls/internal/shellquote"
	"github.com/dockertls/dockertls/pki"
	"github.com/dockertls/dockertls/remote"
	"github.com/dockertls/dockertls/wizard/plan"
)

// The tutorials' manual commands, rendered for a plan so a newcomer can run
// them by hand (or compare). Values are shell-quoted where needed.

// opensslGenKey is the command that makes a private key of a plan key type.
// An encrypted key (-aes256) takes its passphrase from the variable passEnv
// names (never from the command line) or, without one, openssl asks for it.
func opensslGenKey(keyType, out string, encrypt bool, passEnv string) string {
	aes, pass := "", ""
	if encrypt {
		aes = " -aes256"
		if passEnv != "" {
			pass = " -pass env:" + passEnv
		}
	}
	switch {
	case strings.HasPrefix(keyType, "rsa-"):
		if pass != "" {
			pass = " -passout env:" + passEnv // genrsa names it -passout
		}
		return fmt.Sprintf("openssl genrsa%s%s -out %s %s", aes, pass, shellquote.POSIX(out), strings.TrimPrefix(keyType, "rsa-"))
	case keyType == "ecdsa-p256":
		return fmt.Sprintf("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256%s%s -out %s", aes, pass, shellquote.POSIX(out))
	case keyType == "ecdsa-p384":
		return fmt.Sprintf("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384%s%s -out %s", aes, pass, shellquote.POSIX(out))
	default:
		return fmt.Sprintf("openssl genpkey -algorithm ED25519%s%s -out %s", aes, pass, shellquote.POSIX(out))
	}
}

// passinFlag is "-passin env:VAR " for commands that read the CA key when
// the plan names its passphrase's variable; without one openssl asks for
// the passphrase of an encrypted key itself.
func passinFlag(ca plan.CA) string {
	if ca.PassphraseEnv == "" {
		return ""
	}
	return "-passin env:" + ca.PassphraseEnv + " "
}

// digestFlag is "-sha256 " except for Ed25519, which signs without a digest.
func digestFlag(keyType string) string {
	if keyType == "ed25519" {
		return ""
	}
	return "-sha256 "
}

// opensslSANs is the subjectAltName line of extfile.cnf.
func opensslSANs(sans []string) string {
	parts := make([]string, 0, len(sans))
	for _, n := range sans {
		if strings.Contains(n, ":") || strings.Trim(n, "0123456789.") == "" {
			parts = append(parts, "IP:"+strings.Trim(n, "[]"))
		} else {
			parts = append(parts, "DNS:"+n)
		}
	}
	return strings.Join(parts, ",")
}

// caCommands are the tutorial's commands for the CA; encrypt makes its key
// encrypted (ca.passphrase_env, or a passphrase chosen in the wizard).
func caCommands(dir string, ca plan.CA, encrypt bool) []string {
	passin := ""
	if encrypt {
		passin = passinFlag(ca)
	}
	cmds := []string{
		"mkdir -p " + shellquote.POSIX(dir) + " && cd " + shellquote.POSIX(dir),
		opensslGenKey(ca.Key, "ca-key.pem", encrypt, ca.PassphraseEnv),
		fmt.Sprintf("openssl req -new -x509 -days %d -key ca-key.pem %s%s-subj %s -out ca.pem", ca.Days, passin, digestFlag(ca.Key), shellquote.POSIX("/CN="+ca.CommonName)),
		"chmod 0400 ca-key.pem && chmod 0444 ca.pem",
	}
	return cmds
}

// caInspectCommands show the CA that is already there (the step keeps it).
func caInspectCommands(dir string) []string {
	return []string{
		"cd " + shellquote.POSIX(dir),
		"openssl x509 -in ca.pem -noout -subject -enddate -fingerprint -sha256",
	}
}

// caRenewCommands renew the CA's certificate with its own key, the same name
// and the same extensions (as pki.RenewCA does; the subject key identifier
// must stay, since the certificates the CA issued name it), so what it
// issued chains to the new one; the old certificate is kept as ca.pem.old.
// keyType is the existing key's (it may differ from the plan's).
func caRenewCommands(dir string, ca plan.CA, keyType pki.KeyType) []string {
	passin := passinFlag(ca)
	return []string{
		"cd " + shellquote.POSIX(dir),
		"openssl x509 -in ca.pem -noout -subject -enddate",
		`echo "subjectKeyIdentifier = $(openssl x509 -in ca.pem -noout -ext subjectKeyIdentifier | sed -n 2p | tr -d ' ')" > ca-renew.cnf`,
		fmt.Sprintf("openssl x509 -x509toreq -copy_extensions copyall -in ca.pem -signkey ca-key.pem %s| openssl x509 -req -days %d %s-signkey ca-key.pem %s-copy_extensions copyall -extfile ca-renew.cnf -out ca.pem.new",
			passin, ca.Days, digestFlag(string(keyType)), passin),
		"rm ca-renew.cnf && mv ca.pem ca.pem.old && mv ca.pem.new ca.pem && chmod 0444 ca.pem",
	}
}

// leafCommands are the tutorial's commands for a daemon or client
// certificate: key, CSR, extfile.cnf, signing with the CA, modes.
func leafCommands(dir string, spec leafSpec, ca plan.CA) []string {
	base := strings.TrimSuffix(spec.certFile, "-cert.pem")
	csr, ext := base+".csr", "extfile.cnf"
	var extLines []string
	if spec.usage == pki.UsageServer {
		extLines = append(extLines, fmt.Sprintf("echo %s > %s", shellquote.POSIX("subjectAltName = "+opensslSANs(spec.sans)), ext),
			fmt.Sprintf("echo %s >> %s", shellquote.POSIX("extendedKeyUsage = serverAuth"), ext))
	} else {
		ext = "extfile-client.cnf"
		extLines = append(extLines, fmt.Sprintf("echo %s > %s", shellquote.POSIX("extendedKeyUsage = clientAuth"), ext))
	}
	cmds := []string{
		"cd " + shellquote.POSIX(dir),
		opensslGenKey(spec.key, spec.keyFile, false, ""),
		fmt.Sprintf("openssl req -new %s-subj %s -key %s -out %s", digestFlag(spec.key), shellquote.POSIX("/CN="+spec.cn), spec.keyFile, csr),
	}
	cmds = append(cmds, extLines...)
	cmds = append(cmds,
		fmt.Sprintf("openssl x509 -req -days %d %s-in %s -CA ca.pem -CAkey ca-key.pem %s-CAcreateserial -out %s -extfile %s",
			spec.days, digestFlag(ca.Key), csr, passinFlag(ca), spec.certFile, ext),
		fmt.Sprintf("rm %s %s && chmod 0400 %s && chmod 0444 %s", csr, ext, spec.keyFile, spec.certFile))
	return cmds
}

// shellPath is a path as one word for a POSIX shell: quoted, with a
// leading "~/" written as "$HOME"/, which the shell expands also after
// "--flag=" (where it leaves "~" alone) and on the host that runs it.
func shellPath(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		return `"$HOME"/` + shellquote.POSIX(rest)
	}
	return shellquote.POSIX(p)
}

// sshDest is how ssh and scp name a plan's target: the port flag ("-p 2222
// " for ssh; scp spells it -P) and the quoted user@host. The destination
// follows "--", so even a name that starts with "-" is never an option.
func sshDest(target string) (port int, dest string) {
	t, err := remote.ParseTarget(target)
	if err != nil || t.Local {
		return 0, shellquote.POSIX(target)
	}
	host := t.Host
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if t.User != "" {
		host = t.User + "@" + host
	}
	if t.Port != 0 && t.Port != 22 {
		port = t.Port
	}
	return port, shellquote.POSIX(host)
}

// sshArgs is how the ssh command names a plan's target: "-p 2222 --
// ubuntu@node3".
func sshArgs(target string) string {
	port, dest := sshDest(target)
	if port != 0 {
		return fmt.Sprintf("-p %d -- %s", port, dest)
	}
	return "-- " + dest
}

// Package pki makes and reads everything the Docker TLS tutorials make with
// openssl: keys, a self-signed CA, the daemon (serverAuth) and client
// (clientAuth) certificates, and the PKI directory that holds them under the
// tutorials' file names.
//
// The PKI directory (Dir):
//
//	ca.pem           CA certificate                       0444
//	ca-key.pem       CA key, PKCS#8, encrypted or not      0400
//	ca.srl           last issued serial, hex (openssl -CAserial)
//	daemon-cert.pem  daemon certificate (serverAuth, SANs) 0444
//	daemon-key.pem   daemon key, unencrypted PKCS#8        0400
//	client-cert.pem  client certificate (clientAuth)       0444
//	client-key.pem   client key, unencrypted PKCS#8        0400
//	client-NAME-cert.pem, client-NAME-key.pem for more clients (ClientFiles)
//
// Decisions, and why:
//   - A new directory is made 0700. An existing one is never chmod-ed behind
//     the user's back; Dir.PermissionProblems reports it (and keys others can
//     read) so the wizard can show the finding and offer the fix.
//   - Writers hold Dir.Lock (an flock on .dockertls-lock), so two runs never
//     make the same files at once; a waiting run names the holder.
//   - A group of files (a certificate, its key and ca.srl; a CA and the
//     backup of the one it replaces) is committed in one step through a
//     journal (commit.go): temp files first, the journal's rename is the
//     commit point, Recover finishes or discards what a killed run left.
//   - An existing CA is never overwritten unless replacing is asked for, and
//     then the old files are kept as *.replaced-TIMESTAMP.
//   - Files are read with a size cap and only when they are regular files
//     (internal/fsread): a FIFO or /dev/zero never hangs or fills memory.
//   - Keys are written as PKCS#8, which dockerd, both docker CLIs and
//     OpenSSL read for every key type (Ed25519 has no other form). A CA key
//     with a passphrase is PBES2: PBKDF2-HMAC-SHA256 with 600,000 iterations
//     and AES-256-CBC. Leaf keys are never encrypted: Docker cannot read
//     encrypted keys.
//   - Reading accepts what openssl writes: PKCS#1, PKCS#8, SEC1 (with or
//     without EC PARAMETERS), encrypted PKCS#8 (OpenSSL 3 genrsa -aes256) and
//     the legacy Proc-Type form (OpenSSL 1.1, -traditional).
//   - Serials are random (128 bits); NotBefore is set back 5 minutes for
//     clock skew; the SubjectKeyId is a truncated SHA-256 of the public key,
//     so a CA renewed with its own key keeps verifying what it issued.
//
// Verify checks a certificate against its CA, key, use and host and returns
// typed findings (Problem, with stable codes) that doctor reports. Inspect
// summarizes a certificate for people and as JSON.
//
// The package has no package-level mutable state; the only package-level
// variables are sentinel errors.
package pki

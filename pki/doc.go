// Package pki makes and reads everything the Docker TLS tutorials make with
// openssl: keys, a self-signed CA, the daemon (serverAuth) and client
// (clientAuth) certificates, and the PKI directory that holds them under the
// tutorials' file names (ca.pem, ca-key.pem, ca.srl, daemon-cert.pem, ...).
//
// It also reads what openssl wrote (so a CA made by hand can be imported and
// kept), inspects certificates, and verifies a certificate against its CA,
// key, intended use and host, returning typed findings that doctor reports.
//
// The package has no package-level mutable state; the only package-level
// variables are sentinel errors.
package pki

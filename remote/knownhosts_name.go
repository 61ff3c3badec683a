package remote

import "golang.org/x/crypto/ssh/knownhosts"

// knownHostsName is how known_hosts and ssh-keygen -R name "host:port":
// "host" for port 22, "[host]:port" otherwise.
func knownHostsName(addr string) string {
	return knownhosts.Normalize(addr)
}

// Package daemon configures a Docker daemon for mutual TLS on a real host:
// it inspects how the daemon is started (init system, systemd unit and
// drop-ins, DOCKER_OPTS, the running dockerd), plans the smallest change
// (merged daemon.json, a systemd drop-in without the conflicting -H flags, or
// a docker-tcp.socket unit), applies it with backups and atomic writes,
// restarts, waits until the daemon answers, and rolls everything back when
// it does not.
//
// The flow is Inspect → Plan → Apply; Check reports the health of an already
// configured daemon for `dockertls doctor`. Everything reaches the node
// through a remote.Host, so the same code serves this machine and SSH.
package daemon

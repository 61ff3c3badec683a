// Package plan is the plan file: its type, loading with file/line/field
// errors, defaults, validation and saving that keeps the user's comments.
// Every front end (the TUI, the headless commands) reads and checks plan
// fields here and nowhere else.
package plan

import "gopkg.in/yaml.v3"

// Plan is everything the wizard needs to know, as in the plan file (README,
// "The plan file"). The TUI fills it from answers; headless commands load it from
// YAML. Zero values mean "use the default" (see Plan.WithDefaults).
type Plan struct {
	Dir    string `yaml:"dir,omitempty"`
	CA     CA     `yaml:"ca,omitempty"`
	Daemon Daemon `yaml:"daemon,omitempty"`
	// Daemons, instead of Daemon, lists several daemons (a fleet), each
	// with a Name; they share the CA and the client (see ForDaemon).
	Daemons []Daemon `yaml:"daemons,omitempty"`
	Client  Client   `yaml:"client,omitempty"`
	// RenewBeforeDays: certificates that expire within this many days are
	// issued again by apply and doctor --fix (doctor warns from then on).
	RenewBeforeDays int `yaml:"renew_before_days,omitempty"`

	// Path is the plan file's own path ("" when not saved yet); relative
	// paths in the plan are relative to its directory.
	Path string `yaml:"-"`

	// doc is the YAML document the plan was loaded from, kept so that Save
	// can write answers back without losing the user's comments.
	doc *yaml.Node
	// lines maps a field path ("daemon.sans") to its line in the file, so
	// that Validate can point at the line of a bad value.
	lines map[string]int
	// fleetName is the name of the daemons: entry this plan was made for
	// by ForDaemon ("" for a plan with one daemon: section).
	fleetName string
}

// CA describes the certificate authority.
type CA struct {
	CommonName    string `yaml:"common_name,omitempty"`
	Key           string `yaml:"key,omitempty"`  // rsa-2048 | rsa-3072 | rsa-4096 | ecdsa-p256 | ecdsa-p384 | ed25519
	Days          int    `yaml:"days,omitempty"` // 1..3650
	PassphraseEnv string `yaml:"passphrase_env,omitempty"`
}

// Daemon describes the daemon node and its certificate.
type Daemon struct {
	Name       string   `yaml:"name,omitempty"` // only in a daemons: list
	SSH        string   `yaml:"ssh,omitempty"`  // user@host[:port], ssh://user@host[:port], or "local"
	Identity   string   `yaml:"identity,omitempty"`
	KnownHosts string   `yaml:"known_hosts,omitempty"`
	CommonName string   `yaml:"common_name,omitempty"`
	SANs       []string `yaml:"sans,omitempty"`
	Listen     string   `yaml:"listen,omitempty"`  // tcp://0.0.0.0:2376
	Address    string   `yaml:"address,omitempty"` // tcp://node3:2376, what clients dial
	CertDir    string   `yaml:"cert_dir,omitempty"`
	Config     string   `yaml:"config,omitempty"`
	Restart    string   `yaml:"restart,omitempty"` // auto | systemd | service | none | a command run with sudo
	Mode       string   `yaml:"mode,omitempty"`    // hosts (default) | socket (a docker-tcp.socket unit)
	Key        string   `yaml:"key,omitempty"`
	Days       int      `yaml:"days,omitempty"`
}

// Client describes the client and its certificate.
type Client struct {
	Target     string `yaml:"target,omitempty"` // local, or ssh://user@host:port
	Identity   string `yaml:"identity,omitempty"`
	KnownHosts string `yaml:"known_hosts,omitempty"`
	CertDir    string `yaml:"cert_dir,omitempty"`
	CommonName string `yaml:"common_name,omitempty"`
	Context    string `yaml:"context,omitempty"`
	Key        string `yaml:"key,omitempty"`
	Days       int    `yaml:"days,omitempty"`
}

package wizard

// Plan is everything the wizard needs to know, as in the plan file of
// DESIGN.md. The TUI fills it from answers; headless commands load it from
// YAML. Zero values mean "use the default" (see Plan.WithDefaults).
type Plan struct {
	Dir    string     `yaml:"dir"`
	CA     CAPlan     `yaml:"ca"`
	Daemon DaemonPlan `yaml:"daemon"`
	Client ClientPlan `yaml:"client"`

	// Path is the plan file's own path ("" when not saved yet); relative
	// paths in the plan are relative to its directory.
	Path string `yaml:"-"`
}

// CAPlan describes the certificate authority.
type CAPlan struct {
	CommonName    string `yaml:"common_name"`
	Key           string `yaml:"key"`  // rsa-2048 | rsa-3072 | rsa-4096 | ecdsa-p256 | ecdsa-p384 | ed25519
	Days          int    `yaml:"days"` // 1..3650
	PassphraseEnv string `yaml:"passphrase_env"`
}

// DaemonPlan describes the daemon node and its certificate.
type DaemonPlan struct {
	SSH        string   `yaml:"ssh"` // user@host[:port], ssh://user@host[:port], or "local"
	Identity   string   `yaml:"identity"`
	KnownHosts string   `yaml:"known_hosts"`
	CommonName string   `yaml:"common_name"`
	SANs       []string `yaml:"sans"`
	Listen     string   `yaml:"listen"`  // tcp://0.0.0.0:2376
	Address    string   `yaml:"address"` // tcp://node3:2376, what clients dial
	CertDir    string   `yaml:"cert_dir"`
	Config     string   `yaml:"config"`
	Restart    string   `yaml:"restart"` // auto | systemd | service | none | a command run with sudo
	Mode       string   `yaml:"mode"`    // hosts (default) | socket (a docker-tcp.socket unit)
	Key        string   `yaml:"key"`
	Days       int      `yaml:"days"`
}

// ClientPlan describes the client and its certificate.
type ClientPlan struct {
	Target     string `yaml:"target"` // local, or ssh://user@host:port
	Identity   string `yaml:"identity"`
	KnownHosts string `yaml:"known_hosts"`
	CertDir    string `yaml:"cert_dir"`
	CommonName string `yaml:"common_name"`
	Context    string `yaml:"context"`
	Key        string `yaml:"key"`
	Days       int    `yaml:"days"`
}

package jobtrends

import _ "embed"

// DefaultConfig is the shipped config.yaml, used when no --config is given.
//
//go:embed config.yaml
var DefaultConfig []byte

// Version is the jobtrends version, also sent in the User-Agent.
const Version = "0.1.0"

package probe

import (
	"encoding/json"
	"fmt"
	"time"
)

// ServerVersion is the Engine part of `docker version`'s Server block, as
// the daemon reports it on GET /version.
type ServerVersion struct {
	Version       string `json:"Version"`
	APIVersion    string `json:"ApiVersion"`
	MinAPIVersion string `json:"MinAPIVersion"`
	GoVersion     string `json:"GoVersion"`
	GitCommit     string `json:"GitCommit"`
	BuildTime     string `json:"BuildTime"` // as sent: RFC 3339
	Os            string `json:"Os"`
	Arch          string `json:"Arch"`
	KernelVersion string `json:"KernelVersion"`
	Experimental  bool   `json:"Experimental"`
}

// Built is BuildTime the way the docker CLI prints it (time.ANSIC, in the
// offset the daemon sent); unparsable values are shown as sent.
func (v ServerVersion) Built() string {
	t, err := time.Parse(time.RFC3339Nano, v.BuildTime)
	if err != nil {
		return v.BuildTime
	}
	return t.Format(time.ANSIC)
}

// parseVersion decodes a GET /version body.
func parseVersion(body []byte) (ServerVersion, error) {
	var v ServerVersion
	if err := json.Unmarshal(body, &v); err != nil {
		return ServerVersion{}, fmt.Errorf("the daemon's /version answer is not the JSON the Docker API sends: %v", err)
	}
	if v.Version == "" && v.APIVersion == "" {
		return ServerVersion{}, fmt.Errorf("the /version answer has no Version or ApiVersion: this port does not look like a Docker daemon")
	}
	return v, nil
}

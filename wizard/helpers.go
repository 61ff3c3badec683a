package wizard

import (
	"errors"
	"io/fs"

	"github.com/dockertls/dockertls/remote"
)

// cmdOf is a remote.Command from its arguments.
func cmdOf(args ...string) remote.Command { return remote.Command{Args: args} }

// writeOpts are WriteOptions for a file owned by the connecting user.
func writeOpts(mode fs.FileMode) remote.WriteOptions { return remote.WriteOptions{Mode: mode} }

// isNotExist reports a missing file, on any host.
func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

package wizard

import "github.com/dockertls/dockertls/remote"

// cmdOf is a remote.Command from its arguments.
func cmdOf(args ...string) remote.Command { return remote.Command{Args: args} }

// sudoCmd is a remote.Command run as root.
func sudoCmd(args ...string) remote.Command { return remote.Command{Args: args, Sudo: true} }

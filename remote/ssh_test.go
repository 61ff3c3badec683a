package remote_test

import "testing"

// sshImplementations is filled in with the SSH Host.
func sshImplementations(t *testing.T) []hostUnderTest { return nil }

package wizard

import "os"

// lookupEnv is os.Getenv, named so that the one place the engine reads the
// process environment is easy to find.
func lookupEnv(name string) string { return os.Getenv(name) }

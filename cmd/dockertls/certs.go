package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard"
)

// certsCommand is `dockertls certs`: every certificate the plan's CA
// issued, from the inventory in the PKI directory, with its status.
func certsCommand(args []string, loc *i18n.Localizer, stdout, stderr io.Writer) int {
	fs := newFlags("certs", "certs -f PLAN [--json]", stderr)
	plan := planFlag(fs)
	asJSON := fs.Bool("json", false, "print the inventory as JSON (every field, full fingerprints)")
	if ok, code := parseFlags(fs, args, stderr); !ok {
		return code
	}
	s, ok := headlessSession(*plan, wizard.Options{Localizer: loc}, stderr)
	if !ok {
		return exitUsage
	}
	defer s.Close()
	certs, err := s.Certificates()
	if err != nil {
		fmt.Fprintf(stderr, "dockertls certs: %s\n", loc.Error(err))
		return exitFailed
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if certs == nil {
			certs = []wizard.CertEntry{}
		}
		if err := enc.Encode(certs); err != nil {
			fmt.Fprintf(stderr, "dockertls certs: %s\n", loc.Error(err))
			return exitFailed
		}
		return exitOK
	}
	if len(certs) == 0 {
		fmt.Fprintln(stdout, "no certificates yet: the PKI directory holds none")
		return exitOK
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tNAME\tSTATUS\tNOT AFTER\tSERIAL\tSHA-256\tISSUED BY\tDISTRIBUTED")
	for _, c := range certs {
		status := string(c.Status)
		if c.Status == "expiring" || c.Status == "valid" {
			status += fmt.Sprintf(" (%dd)", c.DaysLeft)
		}
		if c.Found {
			status += ", found"
		}
		issuer := c.IssuedBy
		if c.Kind != "ca" {
			issuer += " " + short(c.CASHA256)
		}
		where := strings.Join(c.Distributed, "; ")
		if where == "" {
			where = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Kind, c.Name, status, c.NotAfter.Format(time.DateOnly),
			short(c.Serial), short(c.SHA256), issuer, where)
	}
	if err := tw.Flush(); err != nil {
		return exitFailed
	}
	fmt.Fprintln(stdout, "\nFingerprints and serials are shortened; --json prints them whole. \"found\": in the PKI directory but issued outside dockertls (or before it kept an inventory).")
	return exitOK
}

// short cuts a fingerprint or serial to its first bytes.
func short(s string) string {
	switch {
	case s == "":
		return "?"
	case strings.Contains(s, ":") && len(s) > 11:
		return s[:11] + "…"
	case !strings.Contains(s, ":") && len(s) > 8:
		return s[:8] + "…"
	}
	return s
}

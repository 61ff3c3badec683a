package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard"
)

// certsCommand is `dockertls certs`: every certificate the plan's CA
// issued, from the inventory in the PKI directory, with its status.
func certsCommand(args []string, loc *i18n.Localizer, stdout, stderr io.Writer) int {
	fs := newFlags("certs", "certs -f PLAN [--json]", loc, stderr)
	plan := planFlag(fs)
	asJSON := fs.Bool("json", false, loc.T("cli.certs.flag.json"))
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
		fmt.Fprintln(stdout, loc.T("cli.certs.none"))
		return exitOK
	}
	rows := [][]string{{loc.T("cli.certs.head.kind"), loc.T("cli.certs.head.name"), loc.T("cli.certs.head.status"),
		loc.T("cli.certs.head.not_after"), loc.T("cli.certs.head.serial"), "SHA-256", loc.T("cli.certs.head.issued_by"),
		loc.T("cli.certs.head.distributed")}}
	for _, c := range certs {
		status := string(c.Status)
		if c.Status == "expiring" || c.Status == "valid" {
			status += fmt.Sprintf(" (%dd)", c.DaysLeft)
		}
		if c.Found {
			status += loc.T("cli.certs.found")
		}
		issuer := c.IssuedByIn(loc)
		if c.Kind != "ca" {
			issuer += " " + short(c.CASHA256)
		}
		where := strings.Join(c.Distributed, "; ")
		if where == "" {
			where = "-"
		}
		rows = append(rows, []string{string(c.Kind), c.Name, status, c.NotAfter.Format(time.DateOnly),
			short(c.Serial), short(c.SHA256), issuer, where})
	}
	fmt.Fprint(stdout, table(rows))
	fmt.Fprintln(stdout, "\n"+loc.T("cli.certs.note"))
	return exitOK
}

// table lays rows out in columns two spaces apart, measured in terminal
// columns (text/tabwriter counts runes, which misaligns Chinese headers);
// the last column is not padded.
func table(rows [][]string) string {
	var widths []int
	for _, r := range rows {
		for i, cell := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], i18n.Width(cell))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		for i, cell := range r {
			if i == len(r)-1 {
				b.WriteString(cell)
				break
			}
			b.WriteString(i18n.PadRight(cell, widths[i]+2))
		}
		b.WriteString("\n")
	}
	return b.String()
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

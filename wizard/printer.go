package wizard

import (
	"fmt"
	"io"
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
)

// NewPrinter renders Events as plain lines for headless runs: one line per
// finished step (✓ done, = already done, ✗ failed with the reason), followed
// by indented lines for what the step reported on the way (files written per
// host, warnings). Progress and start events are not printed: a log should
// read like a result.
func NewPrinter(w io.Writer, loc *i18n.Localizer) func(Event) {
	var pending []string // the running step's details, printed under its line
	return func(e Event) {
		name := fmt.Sprintf("%-13s", e.Step)
		line := ""
		switch e.Kind {
		case EventStart:
			pending = nil
			return
		case EventInfo:
			if e.Report != nil {
				return // structured results (a verify report) are for front ends that show them whole
			}
			pending = append(pending, "    "+indentRest(e.Message, "    "))
			return
		case EventWarn:
			pending = append(pending, "  ! "+indentRest(e.Message, "    "))
			return
		case EventDone:
			line = "✓ " + name + " " + e.Message
		case EventSkipped:
			line = "= " + name + " " + e.Message
		case EventFailed:
			msg := e.Message
			if e.Err != nil {
				if msg != "" {
					msg += ": "
				}
				msg += loc.Error(e.Err)
			}
			line = "✗ " + name + " " + indentRest(msg, "                ")
		default:
			return
		}
		fmt.Fprintln(w, line)
		for _, p := range pending {
			fmt.Fprintln(w, p)
		}
		pending = nil
	}
}

// indentRest indents every line but the first.
func indentRest(s, prefix string) string {
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+prefix)
}

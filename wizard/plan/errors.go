package plan

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/dockertls/dockertls/internal/echo"
	"github.com/dockertls/dockertls/internal/i18n"
)

// Error is one thing wrong with a plan: where (file, line, field), what,
// and what would be accepted instead. Its words are catalog messages, said
// in the language of whoever prints it (Localize); Error() is English.
type Error struct {
	File    string       // plan file path; "" for a plan that was never saved
	Line    int          // 1-based; 0 when unknown (a plan built in memory)
	Field   string       // dotted path: "daemon.sans"
	Message i18n.Message // what is wrong
	Allowed i18n.Message // what is accepted, or what to do instead; may be zero

	// entry is "daemons[2]" for a problem of one daemon of daemons:, whose
	// checks speak of daemon.X: its texts then name daemons[2].X.
	entry string
}

func (e *Error) Error() string { return e.Localize(nil) }

// Localize is the error in l's language: "FILE:LINE: field: message
// (allowed)". The place and the field name are never translated.
func (e *Error) Localize(l *i18n.Localizer) string {
	var b strings.Builder
	switch {
	case e.File != "" && e.Line > 0:
		fmt.Fprintf(&b, "%s:%d: ", e.File, e.Line)
	case e.File != "":
		fmt.Fprintf(&b, "%s: ", e.File)
	case e.Line > 0:
		b.WriteString(l.T("plan.at_line", "Line", e.Line) + ": ")
	}
	if e.Field != "" {
		b.WriteString(echo.Text(e.Field) + ": ")
	}
	b.WriteString(e.text(l))
	return b.String()
}

// Text is the problem without its place: the message and what is accepted.
func (e *Error) Text() string { return e.text(nil) }

// Problem is the problem without its place as an error a front end shows
// next to the field it names (in its language, with its Localizer).
func (e *Error) Problem() error { return fieldErrors{e} }

// text is Text in l's language. Messages quote values through echo
// already; echo.Text also catches one a check built into its own text (a
// suggestion that repeats the value).
func (e *Error) text(l *i18n.Localizer) string {
	msg := echo.Text(e.inEntry(l.Msg(e.Message)))
	if e.Allowed.IsZero() {
		return msg
	}
	return l.T("plan.with_allowed", "Message", msg, "Allowed", echo.Text(e.inEntry(l.Msg(e.Allowed))))
}

// daemonFieldRE finds the plan fields of a daemon (daemon.sans) in a text.
var daemonFieldRE = regexp.MustCompile(`\bdaemon\.([a-z_]+)`)

// inEntry names the fields of the daemons: entry the problem is about
// where the text says daemon.X (field names read the same in every
// language).
func (e *Error) inEntry(s string) string {
	if e.entry == "" {
		return s
	}
	return daemonFieldRE.ReplaceAllString(s, e.entry+".$1")
}

// Errors is every problem found in one plan, in file order. A plan is
// reported whole so the user can fix all of it in one edit.
type Errors []*Error

func (es Errors) Error() string { return es.Localize(nil) }

// Localize is every problem in l's language, one a line.
func (es Errors) Localize(l *i18n.Localizer) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Localize(l)
	}
	return strings.Join(parts, "\n")
}

// Summary is the headline of a list of problems: "the plan has 1 problem".
func (es Errors) Summary() string { return es.LocalizeSummary(nil) }

// LocalizeSummary is Summary in l's language.
func (es Errors) LocalizeSummary(l *i18n.Localizer) string {
	return l.N("plan.summary", len(es))
}

// fieldErrors is the problems of one field without their place, as the
// answer to that field is refused ("message (allowed); message").
type fieldErrors []*Error

func (fe fieldErrors) Error() string { return fe.Localize(nil) }

// Localize is the problems in l's language.
func (fe fieldErrors) Localize(l *i18n.Localizer) string {
	parts := make([]string, len(fe))
	for i, e := range fe {
		parts[i] = e.text(l)
	}
	return strings.Join(parts, l.T("plan.field_join"))
}

// planErrs collects Errors while a plan is read or checked.
type planErrs struct {
	file  string
	lines map[string]int
	list  Errors
}

// add records a problem with field, at the line the field was read from.
// Values from the plan in msg and allowed go through echo (Value, Bare)
// first: it caps and escapes them.
func (c *planErrs) add(field string, allowed, msg i18n.Message) {
	c.addAt(c.lines[field], field, allowed, msg)
}

// addAt records a problem at a known line.
func (c *planErrs) addAt(line int, field string, allowed, msg i18n.Message) {
	c.list = append(c.list, &Error{File: c.file, Line: line, Field: field, Message: msg, Allowed: allowed})
}

// err is the problems in file order (those without a line last), or nil.
func (c *planErrs) err() error {
	if len(c.list) == 0 {
		return nil
	}
	sort.SliceStable(c.list, func(i, j int) bool {
		a, b := c.list[i].Line, c.list[j].Line
		if a == 0 || b == 0 {
			return a != 0 && b == 0
		}
		return a < b
	})
	return c.list
}

// reported is the set of fields that already have a problem.
func (c *planErrs) reported() map[string]bool {
	seen := map[string]bool{}
	for _, e := range c.list {
		seen[e.Field] = true
	}
	return seen
}

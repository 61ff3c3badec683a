package plan

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dockertls/dockertls/internal/echo"
)

// Error is one thing wrong with a plan: where (file, line, field), what,
// and what would be accepted instead.
type Error struct {
	File    string // plan file path; "" for a plan that was never saved
	Line    int    // 1-based; 0 when unknown (a plan built in memory)
	Field   string // dotted path: "daemon.sans"
	Message string // what is wrong
	Allowed string // what is accepted, or what to do instead
}

func (e *Error) Error() string {
	var b strings.Builder
	switch {
	case e.File != "" && e.Line > 0:
		fmt.Fprintf(&b, "%s:%d: ", e.File, e.Line)
	case e.File != "":
		fmt.Fprintf(&b, "%s: ", e.File)
	case e.Line > 0:
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Field != "" {
		b.WriteString(echo.Text(e.Field) + ": ")
	}
	// Messages quote values through echo already; Text also catches one a
	// check built into its own text (a suggestion that repeats the value).
	b.WriteString(echo.Text(e.Message))
	if e.Allowed != "" {
		b.WriteString(" (" + echo.Text(e.Allowed) + ")")
	}
	return b.String()
}

// Errors is every problem found in one plan, in file order. A plan is
// reported whole so the user can fix all of it in one edit.
type Errors []*Error

func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// planErrs collects Errors while a plan is read or checked.
type planErrs struct {
	file  string
	lines map[string]int
	list  Errors
}

// add records a problem with field, at the line the field was read from.
// String arguments are values from the plan: echo caps and escapes them.
func (c *planErrs) add(field, allowed, format string, args ...any) {
	c.list = append(c.list, &Error{File: c.file, Line: c.lines[field], Field: field,
		Message: fmt.Sprintf(format, echo.Args(args)...), Allowed: allowed})
}

// addAt records a problem at a known line.
func (c *planErrs) addAt(line int, field, allowed, format string, args ...any) {
	c.list = append(c.list, &Error{File: c.file, Line: line, Field: field,
		Message: fmt.Sprintf(format, echo.Args(args)...), Allowed: allowed})
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

// Summary is the headline of a list of problems: "the plan has 1 problem".
func (es Errors) Summary() string {
	if len(es) == 1 {
		return "the plan has 1 problem"
	}
	return fmt.Sprintf("the plan has %d problems", len(es))
}

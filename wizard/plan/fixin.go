package plan

import "errors"

// FieldFix is an error that an answer of the plan can fix: a refused
// restart (daemon.restart), a host that cannot be reached (daemon.ssh). A
// front end offers to change that field; the message says what to type.
type FieldFix struct {
	Field string // the plan key, as in the plan file: "daemon.restart"
	Err   error
}

func (e *FieldFix) Error() string { return e.Err.Error() }
func (e *FieldFix) Unwrap() error { return e.Err }

// FixIn marks err as fixed by changing field (nil stays nil).
func FixIn(field string, err error) error {
	if err == nil {
		return nil
	}
	return &FieldFix{Field: field, Err: err}
}

// FieldOf is the plan field that fixes err, or "" when no field does.
func FieldOf(err error) string {
	var f *FieldFix
	if errors.As(err, &f) {
		return f.Field
	}
	return ""
}

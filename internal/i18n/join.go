package i18n

import "strings"

// Join is errors.Join for errors with words of ours: one error per line,
// each in the language it is rendered in (Localizer.Error), and errors.Is
// and errors.As see every one. nil errors are dropped; Join of none is nil
// and of one is that error.
func Join(errs ...error) error { return join("\n", errs) }

// JoinInline is Join for refusals said on one line, "; " between them.
func JoinInline(errs ...error) error { return join("; ", errs) }

func join(sep string, errs []error) error {
	list := joined{sep: sep}
	for _, err := range errs {
		if err != nil {
			list.errs = append(list.errs, err)
		}
	}
	switch len(list.errs) {
	case 0:
		return nil
	case 1:
		return list.errs[0]
	}
	return list
}

type joined struct {
	errs []error
	sep  string
}

func (j joined) Error() string { return j.Localize(nil) }

// Localize renders every error in l's language, joined by the separator.
func (j joined) Localize(l *Localizer) string {
	parts := make([]string, len(j.errs))
	for i, err := range j.errs {
		parts[i] = l.Error(err)
	}
	return strings.Join(parts, j.sep)
}

func (j joined) Unwrap() []error { return j.errs }

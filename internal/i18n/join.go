package i18n

import "strings"

// Join is errors.Join for errors with words of ours: one error per line,
// each in the language it is rendered in (Localizer.Error), and errors.Is
// and errors.As see every one. nil errors are dropped; Join of none is nil
// and of one is that error.
func Join(errs ...error) error {
	var list joined
	for _, err := range errs {
		if err != nil {
			list = append(list, err)
		}
	}
	switch len(list) {
	case 0:
		return nil
	case 1:
		return list[0]
	}
	return list
}

type joined []error

func (j joined) Error() string { return j.Localize(nil) }

// Localize renders every error in l's language, one per line.
func (j joined) Localize(l *Localizer) string {
	lines := make([]string, len(j))
	for i, err := range j {
		lines[i] = l.Error(err)
	}
	return strings.Join(lines, "\n")
}

func (j joined) Unwrap() []error { return j }

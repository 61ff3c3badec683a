package i18n

import (
	"errors"
	"strings"
)

// Message is a text that is not in any language yet: a catalog id and its
// named values. Packages that hold no Localizer (pki, remote, the plan)
// return Messages and Errors; whoever prints them puts them in the user's
// language with Localizer.Msg and Localizer.Error.
type Message struct {
	ID   string
	Args []any // name, value, name, value …
}

// M is the message id with the named values kv ("Host", host, …).
func M(id string, kv ...any) Message { return Message{ID: id, Args: kv} }

// String is the message in English, for logs and for code that prints
// without a Localizer.
func (m Message) String() string { return New(English).Msg(m) }

// IsZero reports whether m is no message at all.
func (m Message) IsZero() bool { return m.ID == "" }

// Msg renders m in l's language.
func (l *Localizer) Msg(m Message) string {
	if m.ID == "" {
		return ""
	}
	return l.T(m.ID, m.Args...)
}

// Error is an error whose words are a Message. An error among its values
// (the cause, usually "Err") is rendered in the same language, and Unwrap
// returns it, so errors.Is and errors.As see through an Error.
type Error struct {
	Message
}

// Errorf is the error that message id with the values kv says.
func Errorf(id string, kv ...any) error { return &Error{M(id, kv...)} }

func (e *Error) Error() string { return e.String() }

// Unwrap is every error among the message's values.
func (e *Error) Unwrap() []error {
	var errs []error
	for i := 1; i < len(e.Args); i += 2 {
		if err, ok := e.Args[i].(error); ok && err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// Localized is an error type that knows how to say itself in a language
// (a plan error with its file and line, a list of errors).
type Localized interface {
	error
	Localize(l *Localizer) string
}

// Error renders err in l's language: an Error or a Localized error in
// full, a cause wrapped with fmt.Errorf("context: %w") with its cause in
// l's language (the context as written), and any other error as it says
// itself (the system's words: "permission denied").
func (l *Localizer) Error(err error) string {
	if err == nil {
		return ""
	}
	switch e := err.(type) {
	case *Error:
		return l.Msg(e.Message)
	case Localized:
		return e.Localize(l)
	case interface{ Unwrap() error }:
		inner := e.Unwrap()
		if inner == nil || !canLocalize(inner) {
			return err.Error()
		}
		whole, said := err.Error(), inner.Error()
		if prefix, ok := strings.CutSuffix(whole, said); ok {
			return prefix + l.Error(inner)
		}
	}
	return err.Error()
}

// canLocalize reports whether some error in err's chain has words of ours.
func canLocalize(err error) bool {
	var e *Error
	var loc Localized
	return errors.As(err, &e) || errors.As(err, &loc)
}

// value is v ready for a template in l's language: errors and Messages
// in that language, anything else as it is.
func (l *Localizer) value(v any) any {
	switch v := v.(type) {
	case error:
		return l.Error(v)
	case Message:
		return l.Msg(v)
	}
	return v
}

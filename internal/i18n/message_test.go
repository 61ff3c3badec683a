package i18n

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
)

// An Error says itself in English, in the user's language through a
// Localizer, with a cause of ours in the same language, and errors.Is/As
// still see its cause.
func TestErrorIsLocalizedWithItsCause(t *testing.T) {
	inner := Errorf("apply.stopped", "Steps", "ca")
	err := Errorf("apply.cannot_describe", "Err", inner)
	if got, want := err.Error(), "cannot describe: stopped; not run: ca"; got != want {
		t.Errorf("English = %q, want %q", got, want)
	}
	zh := New(Chinese)
	want := zh.T("apply.cannot_describe", "Err", zh.T("apply.stopped", "Steps", "ca"))
	if got := zh.Error(err); got != want || got == err.Error() {
		t.Errorf("zh = %q, want %q (not English %q)", got, want, err.Error())
	}
	// T with an error value renders that error in its own language too.
	if got := zh.T("apply.cannot_describe", "Err", inner); got != want {
		t.Errorf("zh T with an error = %q, want %q", got, want)
	}
	if !errors.Is(Errorf("apply.cannot_describe", "Err", fs.ErrNotExist), fs.ErrNotExist) {
		t.Error("errors.Is does not see the cause of an Error")
	}
	var e *Error
	if !errors.As(fmt.Errorf("context: %w", err), &e) || e.ID != "apply.cannot_describe" {
		t.Error("errors.As does not find an Error under fmt.Errorf")
	}
}

// An Error wrapped by fmt.Errorf keeps its context as written and says the
// rest in the user's language; a system error stays as the system says it.
func TestWrappedErrorKeepsContext(t *testing.T) {
	de := New(German)
	err := fmt.Errorf("node3: %w", Errorf("apply.stopped", "Steps", "ca"))
	if got, want := de.Error(err), "node3: "+de.T("apply.stopped", "Steps", "ca"); got != want {
		t.Errorf("de = %q, want %q", got, want)
	}
	plain := fmt.Errorf("open ca.pem: %w", fs.ErrPermission)
	if got := de.Error(plain); got != plain.Error() {
		t.Errorf("a system error = %q, want it unchanged", got)
	}
	if de.Error(nil) != "" {
		t.Error("nil error renders as text")
	}
	var nilLoc *Localizer
	if got := nilLoc.Error(err); !strings.HasPrefix(got, "node3: stopped") {
		t.Errorf("nil Localizer = %q, want English", got)
	}
}

// A Message renders in each language; its zero value is no text.
func TestMessage(t *testing.T) {
	m := M("apply.stopped", "Steps", "ca")
	if m.String() != "stopped; not run: ca" || New(German).Msg(m) == m.String() {
		t.Errorf("message = %q / %q", m.String(), New(German).Msg(m))
	}
	if !(Message{}).IsZero() || New(Chinese).Msg(Message{}) != "" {
		t.Error("the zero Message has text")
	}
}

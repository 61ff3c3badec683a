package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/dockertls/dockertls/wizard/plan"
)

// field is a fieldSpec being edited.
type field struct {
	spec   fieldSpec
	input  textinput.Model
	choice int
	err    error
	edited bool // typed into since the form was shown: checked when left
}

func (f *field) value() string {
	if f.spec.options != nil {
		return f.spec.options[f.choice]
	}
	return strings.TrimSpace(f.input.Value())
}

func (f *field) validate() {
	f.err = nil
	if f.spec.check != nil {
		f.err = f.spec.check(f.value())
	}
}

// form is the list of inputs of one step. Validation errors are shown under
// their field and block submitting.
type form struct {
	fields   []field
	focus    int
	touched  bool   // something was typed that is not in the plan yet
	hint     string // e.g. "names suggested by node3"
	crossErr error  // an error involving two fields (address vs SANs)
}

func newForm(specs []fieldSpec, p *plan.Plan, st Styles) form {
	f := form{}
	for _, s := range specs {
		in := textinput.New()
		in.Prompt = "› "
		in.Placeholder = s.def
		in.CharLimit = 512
		in.SetValue(s.get(p))
		fl := field{spec: s, input: in}
		if s.options != nil {
			cur := orDefault(s.get(p), s.def)
			for i, o := range s.options {
				if o == cur {
					fl.choice = i
				}
			}
		}
		f.fields = append(f.fields, fl)
	}
	f.applyStyles(st)
	f.setFocus(0)
	return f
}

func (f *form) applyStyles(st Styles) {
	for i := range f.fields {
		f.fields[i].input.SetStyles(st.Input())
	}
}

func (f *form) setWidth(w int) {
	for i := range f.fields {
		f.fields[i].input.SetWidth(max(10, w-4))
	}
}

func (f *form) setFocus(i int) {
	if len(f.fields) == 0 {
		return
	}
	f.focus = i
	for j := range f.fields {
		if j == i {
			f.fields[j].input.Focus()
		} else {
			f.fields[j].input.Blur()
		}
	}
}

// focusKey puts the cursor in the field of a plan key (if the form has it).
func (f *form) focusKey(key string) {
	if i := f.index(key); i >= 0 {
		f.setFocus(i)
	}
}

func (f *form) focused() *field {
	if len(f.fields) == 0 {
		return nil
	}
	return &f.fields[f.focus]
}

// field returns the field for a plan key (nil when the form has none).
func (f *form) field(key string) *field {
	if i := f.index(key); i >= 0 {
		return &f.fields[i]
	}
	return nil
}

// index is the position of the field for a plan key (-1 when the form has
// none).
func (f *form) index(key string) int {
	for i := range f.fields {
		if f.fields[i].spec.key == key {
			return i
		}
	}
	return -1
}

// validateAll checks every field and the cross-field rule; it focuses the
// first field in error and says whether the form may be submitted.
func (f *form) validateAll() bool {
	first := -1
	for i := range f.fields {
		f.fields[i].validate()
		if f.fields[i].err != nil && first < 0 {
			first = i
		}
	}
	f.crossErr = nil
	if addr, sans := f.field("daemon.address"), f.field("daemon.sans"); first < 0 && addr != nil && sans != nil {
		if err := checkCovered(addr.value(), sans.value()); err != nil {
			f.crossErr = err
			first = f.index("daemon.address")
		}
	}
	if first >= 0 {
		f.setFocus(first)
		return false
	}
	return true
}

// showPlanErrors puts each error of the plan's own check on the field it
// names and focuses the first; false when none names a field of this form.
func (f *form) showPlanErrors(errs plan.Errors) bool {
	first := -1
	for i := range f.fields {
		fd := &f.fields[i]
		for _, e := range errs {
			if e.Field != fd.spec.key {
				continue
			}
			fd.err = e.Problem()
			if first < 0 {
				first = i
			}
		}
	}
	if first < 0 {
		return false
	}
	f.setFocus(first)
	return true
}

// commit writes every answer into the plan.
func (f *form) commit(p *plan.Plan) {
	for i := range f.fields {
		f.fields[i].spec.set(p, f.fields[i].value())
	}
	f.touched = false
}

// formResult tells the root what a key did to the form.
type formResult int

const (
	formNothing   formResult = iota
	formLeftField            // focus moved; the field left is in f.left
	formSubmit               // enter on the last field, and every field is valid
)

// update handles a key. It returns what happened and the index of the
// field that was left (for formLeftField).
func (f *form) update(msg tea.KeyPressMsg, keys KeyMap) (formResult, int, tea.Cmd) {
	cur := f.focused()
	if cur == nil {
		if key.Matches(msg, keys.Next) {
			return formSubmit, 0, nil
		}
		return formNothing, 0, nil
	}
	move := func(to int) (formResult, int, tea.Cmd) {
		left := f.focus
		if cur.edited { // an untouched field shows no ✗ before submitting
			cur.validate()
		}
		f.setFocus((to + len(f.fields)) % len(f.fields))
		return formLeftField, left, nil
	}
	switch {
	case key.Matches(msg, keys.Tab), msg.String() == "down":
		return move(f.focus + 1)
	case key.Matches(msg, keys.ShiftTab), msg.String() == "up":
		return move(f.focus - 1)
	case key.Matches(msg, keys.Next):
		if f.focus < len(f.fields)-1 {
			cur.validate()
			if cur.err != nil {
				return formNothing, 0, nil
			}
			return move(f.focus + 1)
		}
		if f.validateAll() {
			return formSubmit, 0, nil
		}
		return formNothing, 0, nil
	}
	if cur.spec.options != nil {
		n := len(cur.spec.options)
		switch {
		case key.Matches(msg, keys.Left):
			cur.choice = (cur.choice + n - 1) % n
			f.touched = true
		case key.Matches(msg, keys.Right), msg.String() == "space":
			cur.choice = (cur.choice + 1) % n
			f.touched = true
		}
		return formNothing, 0, nil
	}
	before := cur.input.Value()
	var cmd tea.Cmd
	cur.input, cmd = cur.input.Update(msg)
	if cur.input.Value() != before {
		f.touched = true
		cur.edited = true
		if cur.err != nil { // re-check as the user fixes it
			cur.validate()
		}
		f.crossErr = nil
	}
	return formNothing, 0, cmd
}

// paste sends pasted text to the focused input.
func (f *form) paste(msg tea.PasteMsg) tea.Cmd {
	cur := f.focused()
	if cur == nil || cur.spec.options != nil {
		return nil
	}
	var cmd tea.Cmd
	cur.input, cmd = cur.input.Update(msg)
	f.touched = true
	cur.edited = true
	return cmd
}

func (f *form) view(c *shared, st Styles, width int) string {
	var b strings.Builder
	for i := range f.fields {
		fl := &f.fields[i]
		focused := i == f.focus
		label := st.Text.Render(fl.spec.label)
		if focused {
			label = st.Accent.Render(fl.spec.label)
		}
		b.WriteString(label + st.Subtle.Render("  "+fl.spec.key) + "\n")
		if fl.spec.options != nil {
			var parts []string
			for j, o := range fl.spec.options {
				if j == fl.choice {
					if focused {
						parts = append(parts, st.Accent.Render("‹"+o+"›"))
					} else {
						parts = append(parts, st.Text.Render("["+o+"]"))
					}
				} else {
					parts = append(parts, st.Subtle.Render(" "+o+" "))
				}
			}
			b.WriteString("  " + strings.Join(parts, "") + "\n")
		} else {
			b.WriteString(inputView(fl.input) + "\n")
		}
		switch {
		case fl.err != nil:
			b.WriteString(st.Fail.Render(wrap("✗ "+c.Error(fl.err), width)) + "\n")
		case fl.spec.key == "daemon.address" && f.crossErr != nil:
			b.WriteString(st.Fail.Render(wrap("✗ "+c.Error(f.crossErr), width)) + "\n")
		case fl.spec.suggests && f.hint != "":
			b.WriteString(st.Subtle.Render(wrap(f.hint, width)) + "\n")
		case focused && fl.spec.hint != "":
			b.WriteString(st.Subtle.Render(wrap(fl.spec.hint, width)) + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

package plan

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dockertls/dockertls/internal/i18n"
)

// CheckField says what is wrong with value as the answer to key (a plan
// key as written in the file: "daemon.sans"), by the very rules Validate
// applies, in the context of the rest of p (daemon.listen's port, the
// SANs daemon.address must be covered by). An empty value means "the
// default". It returns nil when the answer is fine; the error's text is
// the message and what is accepted instead, in the language of whoever
// prints it (i18n.Localized). Every front end checks a field
// here rather than with rules of its own.
func (p *Plan) CheckField(key, value string) error {
	trial := *p
	trial.Daemon.SANs = append([]string(nil), p.Daemon.SANs...)
	trial.lines = nil
	if err := trial.setField(key, value); err != nil {
		return err
	}
	var mine fieldErrors
	if errs, ok := trial.validate("", nil).(Errors); ok {
		for _, e := range errs {
			if e.Field == key {
				mine = append(mine, e)
			}
		}
	}
	if len(mine) == 0 {
		return nil
	}
	return mine
}

// CheckField is Plan.CheckField for a plan with nothing else answered. A
// relative identity path is not judged: it is relative to a plan file this
// check does not know.
func CheckField(key, value string) error {
	if strings.HasSuffix(key, ".identity") && !filepath.IsAbs(value) && value != "~" && !strings.HasPrefix(value, "~/") {
		return nil
	}
	return (&Plan{}).CheckField(key, value)
}

// SplitList reads a list typed on one line ("node3, 10.0.0.12 fd00::2"):
// entries are separated by commas or spaces.
func SplitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
}

// setField stores a typed answer in the field key, as the loader would
// store the same value read from the file.
func (p *Plan) setField(key, value string) error {
	value = strings.TrimSpace(value)
	section, name, nested := strings.Cut(key, ".")
	schema := planSchema(p)
	f, ok := schema[section]
	if nested {
		if f.kind != kindSection {
			return fmt.Errorf("%s is not a field of the plan", key)
		}
		f, ok = f.section[name]
	}
	if !ok {
		return fmt.Errorf("%s is not a field of the plan", key)
	}
	switch f.kind {
	case kindString:
		*f.str = value
	case kindInt:
		if value == "" {
			*f.num = 0
			return nil
		}
		n, bad := readDays(value, i18n.M("plan.node.value", "Value", strconv.Quote(value)), f.example)
		if bad != nil {
			return fieldErrors{bad}
		}
		*f.num = n
	case kindStringList:
		*f.list = SplitList(value)
	default:
		return fmt.Errorf("%s is a section, not a field", key)
	}
	return nil
}

package plan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/dockertls/dockertls/internal/echo"
	"github.com/dockertls/dockertls/internal/fsread"
	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/internal/levenshtein"
	"gopkg.in/yaml.v3"
)

// Load reads a plan file. Every problem is reported with the file, the
// line, the field and what is allowed (as Errors); the values are then
// checked with Validate, so a loaded plan is ready to run.
func Load(path string) (*Plan, error) {
	data, err := fsread.ReadFile(path, fsread.MaxPlan)
	if err != nil {
		var notRegular *fsread.NotRegularError
		if errors.As(err, &notRegular) && !notRegular.IsDir() || errors.Is(err, fsread.ErrTooLarge) {
			return nil, i18n.Errorf("plan.load.not_regular", "Err", err)
		}
		if errors.Is(err, fs.ErrNotExist) {
			return nil, i18n.Errorf("plan.load.not_exist", "Path", path)
		}
		if fi, statErr := os.Stat(path); statErr == nil && fi.IsDir() {
			return nil, i18n.Errorf("plan.load.dir", "Path", path, "Example", filepath.Join(path, "dockertls.yaml"))
		}
		return nil, i18n.Errorf("plan.load.read", "Path", path, "Err", err)
	}
	p, errs := parse(data, path)
	if p == nil {
		return nil, errs.err()
	}
	// Values are checked even when some fields could not be read, so the
	// user sees every problem at once; a field already reported (wrong
	// type) is not reported again for its default.
	if err := p.validate(path, errs.reported()); err != nil {
		errs.list = append(errs.list, err.(Errors)...)
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	if abs, err := filepath.Abs(path); err == nil {
		p.Path = abs
	} else {
		p.Path = path
	}
	return p, nil
}

// Parse reads a plan from YAML. name is used in messages (the file name).
// Unknown fields, wrong types and duplicated keys are errors; values are not
// checked here (see Validate).
func Parse(data []byte, name string) (*Plan, error) {
	p, errs := parse(data, name)
	if err := errs.err(); err != nil {
		return nil, err
	}
	return p, nil
}

// parse reads what it can of a plan: the plan is nil only when the
// YAML itself cannot be read; field errors are in errs.
func parse(data []byte, name string) (*Plan, *planErrs) {
	p := &Plan{Path: name, lines: map[string]int{}}
	errs := &planErrs{file: name, lines: p.lines}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if err.Error() == "EOF" {
			errs.add("", i18n.M("plan.empty.allowed"), i18n.M("plan.empty"))
			return nil, errs
		}
		line, msg := yamlErrorLine(err, data)
		var hint i18n.Message
		switch {
		case strings.Contains(msg, "cannot start any token") || strings.Contains(msg, "expected key"):
			hint = i18n.M("plan.yaml.hint_indent")
		case strings.HasSuffix(msg, "',' or '}'"):
			hint = i18n.M("plan.yaml.hint_brace")
		case strings.HasSuffix(msg, "',' or ']'"):
			hint = i18n.M("plan.yaml.hint_bracket")
		}
		errs.addAt(line, "", hint, i18n.M("plan.yaml.invalid", "Err", msg))
		return nil, errs
	}
	// A plan is one document: a second one (after ---) would be silently
	// ignored, and whatever it says would not happen.
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		line, msg := yamlErrorLine(err, data)
		errs.addAt(line, "", i18n.Message{}, i18n.M("plan.yaml.invalid", "Err", msg))
	case !isEmptyDocument(&next):
		errs.addAt(documentLine(&next), "", i18n.M("plan.yaml.second_document.allowed"), i18n.M("plan.yaml.second_document"))
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		errs.add("", i18n.M("plan.empty.allowed"), i18n.M("plan.empty"))
		return nil, errs
	}
	readMapping(root, "", planSchema(p), errs)
	if root.Kind != yaml.MappingNode {
		return nil, errs
	}
	p.doc = &doc
	return p, errs
}

// isEmptyDocument reports a document with nothing in it (a trailing ---).
func isEmptyDocument(n *yaml.Node) bool {
	return n.Kind == yaml.DocumentNode && (len(n.Content) == 0 || n.Content[0].Kind == yaml.ScalarNode && n.Content[0].Tag == "!!null")
}

// documentLine is the line a document's content starts on (the --- is the
// line before it).
func documentLine(n *yaml.Node) int {
	if len(n.Content) > 0 && n.Content[0].Line > 1 {
		return n.Content[0].Line - 1
	}
	return n.Line
}

// yamlErrorLine splits "yaml: line 3: mapping values are not allowed" into
// the line and the message, so the error points at the file's line.
//
// yaml.v3 numbers a parser error's line from 0 (only its scanner errors
// count from 1), and names the line where the construct began: for an
// unclosed { or [ that is the bracket's line, one line early. When the
// construct began on the first line it names the line of the problem
// instead, also from 0. So for parser errors the line is moved by one and,
// for an unclosed bracket, checked against the text.
func yamlErrorLine(err error, data []byte) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, text, found := strings.Cut(rest, ": "); found {
			if n, convErr := strconv.Atoi(num); convErr == nil {
				line, msg = n, text
			}
		}
	}
	open := ""
	switch msg {
	case "did not find expected ',' or '}'":
		open = "{"
	case "did not find expected ',' or ']'":
		open = "["
	case "did not find expected key", "did not find expected node content", "did not find expected '-' indicator", "did not find expected <document start>":
	default:
		return line, msg // a scanner error, or one without a line
	}
	lines := strings.Split(string(data), "\n")
	has := func(n int) bool { return n >= 1 && n <= len(lines) && strings.Contains(lines[n-1], open) }
	switch {
	case open == "":
		return line + 1, msg
	case has(line + 1):
		return line + 1, msg
	case has(1):
		return 1, msg
	}
	return line + 1, msg
}

// fieldKind is the YAML shape a plan field takes.
type fieldKind int

const (
	kindString fieldKind = iota
	kindInt
	kindStringList
	kindSection
	kindSectionList // a list of sections, such as daemons:
)

// field is one key of a plan section: its shape and where its value goes.
type field struct {
	kind    fieldKind
	str     *string
	num     *int
	list    *[]string
	section map[string]field
	// items makes room for n entries of a kindSectionList and returns the
	// schema of each, bound to its entry.
	items   func(n int) []map[string]field
	example string // shown when the type is wrong
}

// planSchema describes every key a plan may have, bound to p's fields.
func planSchema(p *Plan) map[string]field {
	s := func(ptr *string, ex string) field { return field{kind: kindString, str: ptr, example: ex} }
	n := func(ptr *int, ex string) field { return field{kind: kindInt, num: ptr, example: ex} }
	return map[string]field{
		"dir":               s(&p.Dir, "dir: ./pki"),
		"renew_before_days": n(&p.RenewBeforeDays, "renew_before_days: 30"),
		"ca": {kind: kindSection, example: "ca:\n  key: rsa-4096", section: map[string]field{
			"common_name":    s(&p.CA.CommonName, "common_name: Docker TLS CA"),
			"key":            s(&p.CA.Key, "key: rsa-4096"),
			"days":           n(&p.CA.Days, "days: 730"),
			"passphrase_env": s(&p.CA.PassphraseEnv, "passphrase_env: DOCKERTLS_CA_PASSPHRASE"),
		}},
		"daemon": {kind: kindSection, example: "daemon:\n  ssh: ubuntu@node3", section: daemonSchema(&p.Daemon)},
		"daemons": {kind: kindSectionList, example: "daemons:\n  - name: node3\n    ssh: ubuntu@node3", items: func(count int) []map[string]field {
			p.Daemons = make([]Daemon, count)
			out := make([]map[string]field, count)
			for i := range p.Daemons {
				out[i] = daemonSchema(&p.Daemons[i])
				out[i]["name"] = s(&p.Daemons[i].Name, "name: node3")
			}
			return out
		}},
		"client": {kind: kindSection, example: "client:\n  target: local", section: map[string]field{
			"target":      s(&p.Client.Target, "target: local"),
			"identity":    s(&p.Client.Identity, "identity: ~/.ssh/id_ed25519"),
			"known_hosts": s(&p.Client.KnownHosts, "known_hosts: ~/.ssh/known_hosts"),
			"cert_dir":    s(&p.Client.CertDir, "cert_dir: ~/.docker"),
			"common_name": s(&p.Client.CommonName, "common_name: client"),
			"context":     s(&p.Client.Context, "context: node3"),
			"key":         s(&p.Client.Key, "key: rsa-4096"),
			"days":        n(&p.Client.Days, "days: 730"),
		}},
	}
}

// daemonSchema is the keys of a daemon section, bound to d.
func daemonSchema(d *Daemon) map[string]field {
	s := func(ptr *string, ex string) field { return field{kind: kindString, str: ptr, example: ex} }
	return map[string]field{
		"ssh":         s(&d.SSH, "ssh: ubuntu@node3:22"),
		"identity":    s(&d.Identity, "identity: ~/.ssh/id_ed25519"),
		"known_hosts": s(&d.KnownHosts, "known_hosts: ~/.ssh/known_hosts"),
		"common_name": s(&d.CommonName, "common_name: node3"),
		"sans":        {kind: kindStringList, list: &d.SANs, example: "sans: [node3, 10.0.0.12]"},
		"listen":      s(&d.Listen, "listen: tcp://0.0.0.0:2376"),
		"address":     s(&d.Address, "address: tcp://node3:2376"),
		"cert_dir":    s(&d.CertDir, "cert_dir: /etc/docker/tls"),
		"config":      s(&d.Config, "config: /etc/docker/daemon.json"),
		"restart":     s(&d.Restart, "restart: auto"),
		"mode":        s(&d.Mode, "mode: hosts"),
		"key":         s(&d.Key, "key: rsa-4096"),
		"days":        {kind: kindInt, num: &d.Days, example: "days: 730"},
	}
}

// readMapping walks one mapping node against its schema, storing values and
// recording every problem with its line.
func readMapping(node *yaml.Node, prefix string, schema map[string]field, errs *planErrs) {
	if node.Kind != yaml.MappingNode {
		msg := i18n.M("plan.read.not_mapping", "Node", describeNode(node))
		if prefix == "" {
			msg = i18n.M("plan.read.plan_not_mapping", "Node", describeNode(node))
		}
		errs.addAt(node.Line, prefix, i18n.Message{}, msg)
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(node.Content); i += 2 {
		k, v := node.Content[i], node.Content[i+1]
		name := k.Value
		path := joinField(prefix, name)
		if first, dup := seen[name]; dup {
			errs.addAt(k.Line, path, i18n.Message{}, i18n.M("plan.read.twice", "Line", first))
			continue
		}
		seen[name] = k.Line
		f, ok := schema[name]
		if !ok {
			allowed := i18n.M("plan.read.allowed_keys", "Keys", allowedKeys(schema))
			if best := suggestKey(name, schema); best != "" {
				allowed = i18n.M("plan.read.allowed_keys_suggest", "Keys", allowedKeys(schema), "Key", best)
			}
			msg := i18n.M("plan.read.unknown_field", "Name", echo.Value(name), "Section", prefix)
			if prefix == "" {
				msg = i18n.M("plan.read.unknown_field_top", "Name", echo.Value(name))
			}
			errs.addAt(k.Line, path, allowed, msg)
			continue
		}
		errs.lines[path] = v.Line
		if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
			continue // "key:" with no value: keep the default
		}
		switch f.kind {
		case kindSection:
			readMapping(v, path, f.section, errs)
		case kindSectionList:
			if v.Kind != yaml.SequenceNode {
				errs.addAt(v.Line, path, i18n.M("plan.eg", "Example", f.example), i18n.M("plan.read.not_section_list", "Node", describeNode(v)))
				continue
			}
			for i, schema := range f.items(len(v.Content)) {
				entry := fmt.Sprintf("%s[%d]", path, i)
				errs.lines[entry] = v.Content[i].Line
				readMapping(v.Content[i], entry, schema, errs)
			}
		case kindString:
			if v.Kind != yaml.ScalarNode {
				errs.addAt(v.Line, path, i18n.M("plan.eg", "Example", f.example), i18n.M("plan.read.not_scalar", "Node", describeNode(v)))
				continue
			}
			*f.str = v.Value
		case kindInt:
			text := v.Value
			if v.Kind != yaml.ScalarNode || v.Tag != "!!int" {
				text = "" // a string, a list…: not a number, whatever it reads as
			}
			n, bad := readDays(text, describeNode(v), f.example)
			if bad != nil {
				bad.File, bad.Line, bad.Field = errs.file, v.Line, path
				errs.list = append(errs.list, bad)
				continue
			}
			*f.num = n
		case kindStringList:
			if v.Kind != yaml.SequenceNode {
				errs.addAt(v.Line, path, i18n.M("plan.eg", "Example", f.example), i18n.M("plan.read.not_list", "Node", describeNode(v)))
				continue
			}
			list := make([]string, 0, len(v.Content))
			for _, item := range v.Content {
				if item.Kind != yaml.ScalarNode || item.Tag == "!!null" {
					errs.addAt(item.Line, path, i18n.M("plan.eg", "Example", f.example), i18n.M("plan.read.not_list_entry", "Node", describeNode(item)))
					continue
				}
				list = append(list, item.Value)
			}
			*f.list = list
		}
	}
}

// readDays reads a number of days written as text (described as what in
// messages); 0 is refused because it is no default but a certificate that
// is never valid.
func readDays(text string, what i18n.Message, example string) (int, *Error) {
	n, err := strconv.Atoi(text)
	if err != nil {
		return 0, &Error{Message: i18n.M("plan.read.not_number", "Node", what), Allowed: i18n.M("plan.eg", "Example", example)}
	}
	if n == 0 {
		return 0, &Error{Message: i18n.M("plan.days.zero"), Allowed: i18n.M("plan.days.zero.allowed", "Max", MaxDays)}
	}
	return n, nil
}

// describeNode names what the user wrote, for "must be X, not Y" messages.
func describeNode(n *yaml.Node) i18n.Message {
	switch n.Kind {
	case yaml.MappingNode:
		return i18n.M("plan.node.mapping")
	case yaml.SequenceNode:
		return i18n.M("plan.node.list")
	case yaml.AliasNode:
		return i18n.M("plan.node.alias")
	}
	if len(n.Value) > 40 {
		return i18n.M("plan.node.value", "Value", fmt.Sprintf("%q…", n.Value[:40]))
	}
	return i18n.M("plan.node.value", "Value", fmt.Sprintf("%q", n.Value))
}

func joinField(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

func allowedKeys(schema map[string]field) string {
	keys := make([]string, 0, len(schema))
	for k := range schema {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}

// suggestKey names the allowed key closest to a mistyped one ("tls-verify"
// → nothing; "common-name" → common_name), or "".
func suggestKey(name string, schema map[string]field) string {
	norm := strings.NewReplacer("-", "_", " ", "_").Replace(strings.ToLower(name))
	if _, ok := schema[norm]; ok {
		return norm
	}
	best, bestD := "", 3
	for k := range schema {
		if d := levenshtein.Distance(norm, k); d < bestD || (d == bestD && k < best) {
			best, bestD = k, d
		}
	}
	return best
}

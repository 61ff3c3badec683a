package daemon

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/tailscale/hujson"

	"github.com/dockertls/dockertls/internal/i18n"
)

// utf8BOM is accepted (and dropped) at the start of daemon.json, as dockerd does.
const utf8BOM = "\xef\xbb\xbf"

// member is one top-level "key": value of daemon.json with its place in the
// text, so that edits touch only the bytes of the keys dockertls manages.
type member struct {
	Key        string
	Raw        json.RawMessage // the value's exact bytes
	Start      int             // offset of the key's opening quote
	ValueStart int
	ValueEnd   int
}

// configDoc is a parsed daemon.json that remembers its text.
type configDoc struct {
	Text    []byte   // the file without a BOM
	Members []member // in file order
	Open    int      // offset of '{'
	Close   int      // offset of the final '}'
}

// JSONError says where daemon.json stops being valid JSON.
type JSONError struct {
	Path   string
	Line   int    // 1-based; 0 when the position is unknown
	Column int    // 1-based
	Reason string // in English (why: in words of ours, when they are)
	// Normalizable: the file is JSON with comments or trailing commas,
	// which dockertls can turn into plain JSON (see normalizeConfig).
	Normalizable bool
	// why is Reason as a message of ours; zero when Reason is the JSON
	// decoder's own words.
	why i18n.Message
}

func (e *JSONError) Error() string { return e.Localize(nil) }

// Localize is the error in l's language (the decoder's reasons as they are).
func (e *JSONError) Localize(l *i18n.Localizer) string {
	where := e.Path
	if where == "" {
		where = "daemon.json"
	}
	reason := e.Reason
	if !e.why.IsZero() {
		reason = l.Msg(e.why)
	}
	switch {
	case e.Normalizable:
		return l.T("daemon.json.invalid_normalizable", "Path", where, "Line", e.Line, "Column", e.Column, "Reason", reason)
	case e.Line > 0:
		return l.T("daemon.json.invalid_at", "Path", where, "Line", e.Line, "Column", e.Column, "Reason", reason)
	}
	return l.T("daemon.json.invalid", "Path", where, "Reason", reason)
}

// jsonError is a JSONError whose reason is a message of ours.
func jsonError(line, col int, why i18n.Message) *JSONError {
	return &JSONError{Line: line, Column: col, Reason: why.String(), why: why}
}

// lineColumn turns a byte offset into a 1-based line and column.
func lineColumn(text []byte, offset int) (int, int) {
	if offset > len(text) {
		offset = len(text)
	}
	if offset < 0 {
		offset = 0
	}
	before := text[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := offset - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// parseConfig reads daemon.json the way dockerd does: empty (or only white
// space) means no settings, a leading BOM is ignored, the top level must be
// an object. Duplicate keys are refused because it would be unclear which
// one dockertls should change.
func parseConfig(data []byte) (*configDoc, error) {
	text := bytes.TrimPrefix(data, []byte(utf8BOM))
	doc := &configDoc{Text: text, Open: -1, Close: -1}
	if len(bytes.TrimSpace(text)) == 0 {
		return doc, nil
	}
	syntaxAt := func(err error) error {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			off := int(se.Offset)
			if !strings.HasPrefix(se.Error(), "unexpected end") && off > 0 {
				off-- // Offset counts the offending byte as read
			}
			l, c := lineColumn(text, off)
			return &JSONError{Line: l, Column: c, Reason: se.Error()}
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			l, c := lineColumn(text, len(text))
			return jsonError(l, c, i18n.M("daemon.json.reason.eof"))
		}
		return &JSONError{Reason: err.Error()}
	}
	if !json.Valid(text) {
		var v any
		return nil, syntaxAt(json.Unmarshal(text, &v))
	}
	dec := json.NewDecoder(bytes.NewReader(text))
	tok, err := dec.Token()
	if err != nil {
		return nil, syntaxAt(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, jsonError(1, 1, i18n.M("daemon.json.reason.not_object"))
	}
	doc.Open = int(dec.InputOffset()) - 1
	seen := map[string]bool{}
	for dec.More() {
		prev := int(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return nil, syntaxAt(err)
		}
		key, _ := tok.(string)
		start := prev
		for start < len(text) && text[start] != '"' {
			start++
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, syntaxAt(err)
		}
		end := int(dec.InputOffset())
		if seen[key] {
			l, c := lineColumn(text, start)
			return nil, jsonError(l, c, i18n.M("daemon.json.reason.duplicate", "Key", strconv.Quote(key)))
		}
		seen[key] = true
		doc.Members = append(doc.Members, member{Key: key, Raw: raw, Start: start, ValueStart: end - len(raw), ValueEnd: end})
	}
	if _, err := dec.Token(); err != nil {
		return nil, syntaxAt(err)
	}
	doc.Close = int(dec.InputOffset()) - 1
	return doc, nil
}

// get returns the member named key.
func (d *configDoc) get(key string) (member, bool) {
	for _, m := range d.Members {
		if m.Key == key {
			return m, true
		}
	}
	return member{}, false
}

// Edit is one change to a top-level key of daemon.json.
type Edit struct {
	Key    string
	Value  any  // the new value (string, bool, []string); ignored with Delete
	Delete bool // remove the key
}

// MergeDaemonJSON applies edits to the text of daemon.json and returns the
// new text. Everything it does not edit stays byte-for-byte as it was (key
// order, formatting, the exact bytes of every other value); an edited key
// whose current value already equals the wanted one is left alone, so
// merging twice gives the same bytes and an already-right file comes back
// unchanged. Invalid JSON is an error (*JSONError) and nothing is produced.
func MergeDaemonJSON(current []byte, edits []Edit) ([]byte, error) {
	doc, err := parseConfig(current)
	if err != nil {
		return nil, err
	}
	if doc.Open < 0 { // empty or missing file: write a fresh object
		return renderFresh(edits)
	}
	replaced := map[string]string{}
	deleted := map[string]bool{}
	var appended []string
	for _, e := range edits {
		m, found := doc.get(e.Key)
		switch {
		case e.Delete:
			if found {
				deleted[e.Key] = true
			}
		case found && sameJSON(m.Raw, e.Value):
		default:
			v, err := renderValue(e.Value)
			if err != nil {
				return nil, err
			}
			if found {
				replaced[e.Key] = v
				continue
			}
			k, err := marshalNoEscape(e.Key)
			if err != nil {
				return nil, err
			}
			appended = append(appended, k+": "+v)
		}
	}
	if len(replaced) == 0 && len(deleted) == 0 && len(appended) == 0 {
		return current, nil
	}

	text := doc.Text
	indent := detectIndent(doc)
	var b bytes.Buffer
	b.Write(text[:doc.Open+1])
	trailer := text[doc.Close:]
	if n := len(doc.Members); n > 0 {
		b.Write(text[doc.Open+1 : doc.Members[0].Start]) // white space before the first key
		trailer = text[doc.Members[n-1].ValueEnd:]
	}
	written := 0
	for i, m := range doc.Members {
		if deleted[m.Key] {
			continue
		}
		if written > 0 { // the separator that preceded this member: ",\n  "
			b.Write(text[doc.Members[i-1].ValueEnd:m.Start])
		}
		b.Write(text[m.Start:m.ValueStart])
		if v, ok := replaced[m.Key]; ok {
			b.WriteString(v)
		} else {
			b.Write(text[m.ValueStart:m.ValueEnd])
		}
		written++
	}
	for _, a := range appended {
		if written > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n" + indent + a)
		written++
	}
	if len(doc.Members) == 0 || written == len(appended) {
		// The original white space belonged to members that are gone, or
		// there were none: close on a line of its own.
		trimmed := bytes.TrimLeft(trailer, " \t\r\n")
		if written > 0 {
			b.WriteString("\n")
		}
		b.Write(trimmed)
	} else {
		b.Write(trailer)
	}
	result := b.Bytes()
	if !json.Valid(result) {
		return nil, fmt.Errorf("merging daemon.json produced invalid JSON (a bug in dockertls; nothing was written): %q", result)
	}
	return result, nil
}

// detectIndent returns the white space before the first key, or two spaces.
func detectIndent(doc *configDoc) string {
	if len(doc.Members) == 0 {
		return "  "
	}
	start := doc.Members[0].Start
	ls := bytes.LastIndexByte(doc.Text[:start], '\n')
	if ls < 0 {
		return "  "
	}
	ind := string(doc.Text[ls+1 : start])
	if strings.Trim(ind, " \t") != "" || ind == "" {
		return "  "
	}
	return ind
}

// renderFresh writes a new daemon.json holding only the edits.
func renderFresh(edits []Edit) ([]byte, error) {
	var lines []string
	for _, e := range edits {
		if e.Delete {
			continue
		}
		v, err := renderValue(e.Value)
		if err != nil {
			return nil, err
		}
		k, _ := json.Marshal(e.Key)
		lines = append(lines, "  "+string(k)+": "+v)
	}
	if len(lines) == 0 {
		return []byte("{}\n"), nil
	}
	return []byte("{\n" + strings.Join(lines, ",\n") + "\n}\n"), nil
}

// renderValue writes a value on one line; a list of strings as ["a", "b"].
func renderValue(v any) (string, error) {
	if list, ok := v.([]string); ok {
		parts := make([]string, len(list))
		for i, s := range list {
			q, err := marshalNoEscape(s)
			if err != nil {
				return "", err
			}
			parts[i] = q
		}
		return "[" + strings.Join(parts, ", ") + "]", nil
	}
	return marshalNoEscape(v)
}

func marshalNoEscape(v any) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", fmt.Errorf("encoding a daemon.json value: %w", err)
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

// sameJSON reports whether raw already holds value (compared as JSON data).
func sameJSON(raw json.RawMessage, value any) bool {
	var have, want any
	if err := json.Unmarshal(raw, &have); err != nil {
		return false
	}
	enc, err := json.Marshal(value)
	if err != nil {
		return false
	}
	if err := json.Unmarshal(enc, &want); err != nil {
		return false
	}
	return reflect.DeepEqual(have, want)
}

// normalizeConfig turns a daemon.json that dockerd cannot parse only because
// of comments or trailing commas (what editors let through) into plain
// JSON, keeping its layout: comments and the commas go, lines that held
// nothing else are dropped. ok is false when the file is broken beyond that.
func normalizeConfig(data []byte) ([]byte, bool) {
	// hujson works in place: parse a copy, never the inspected bytes.
	v, err := hujson.Parse(bytes.Clone(bytes.TrimPrefix(data, []byte(utf8BOM))))
	if err != nil {
		return nil, false
	}
	v.Standardize()
	var out []string
	for _, line := range strings.Split(string(v.Pack()), "\n") {
		line = strings.TrimRight(line, " \t\r")
		if strings.TrimSpace(line) != "" {
			out = append(out, line)
		}
	}
	norm := []byte(strings.Join(out, "\n") + "\n")
	if _, err := parseConfig(norm); err != nil {
		return nil, false
	}
	return norm, true
}

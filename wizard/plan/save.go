package plan

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"

	"gopkg.in/yaml.v3"

	"github.com/dockertls/dockertls/internal/i18n"
)

// Save writes the plan to path (atomically: a temp file renamed over it).
// When the plan was loaded from a file, its comments and key order are kept:
// the new values are merged into the document that was read, keys that are
// now empty are dropped and new ones are appended. Path is set to path.
func (p *Plan) Save(path string) error {
	if p.fleetName != "" {
		return i18n.Errorf("plan.save.fleet", "Name", strconv.Quote(p.fleetName), "Path", p.Path)
	}
	var fresh yaml.Node
	if err := fresh.Encode(p); err != nil {
		return i18n.Errorf("plan.save.encode", "Err", err)
	}
	doc := p.doc
	if doc == nil || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		doc = &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{&fresh}}
	} else {
		mergeMapping(doc.Content[0], &fresh)
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return i18n.Errorf("plan.save.encode", "Err", err)
	}
	if err := enc.Close(); err != nil {
		return i18n.Errorf("plan.save.encode", "Err", err)
	}
	if err := writeFileAtomic(path, buf.Bytes(), 0o644); err != nil {
		return i18n.Errorf("plan.save.write", "Err", err)
	}
	p.doc = doc
	if abs, err := filepath.Abs(path); err == nil {
		p.Path = abs
	} else {
		p.Path = path
	}
	return nil
}

// mergeMapping makes dst hold src's keys and values while keeping dst's
// comments and order: values are updated in place, missing keys dropped,
// new keys appended.
func mergeMapping(dst, src *yaml.Node) {
	want := map[string]*yaml.Node{}
	var order []string
	for i := 0; i+1 < len(src.Content); i += 2 {
		want[src.Content[i].Value] = src.Content[i+1]
		order = append(order, src.Content[i].Value)
	}
	kept := dst.Content[:0:0]
	have := map[string]bool{}
	for i := 0; i+1 < len(dst.Content); i += 2 {
		k, v := dst.Content[i], dst.Content[i+1]
		nv, ok := want[k.Value]
		if !ok || have[k.Value] {
			continue
		}
		have[k.Value] = true
		if v.Kind == yaml.MappingNode && nv.Kind == yaml.MappingNode {
			mergeMapping(v, nv)
		} else {
			replaceValue(v, nv)
		}
		kept = append(kept, k, v)
	}
	for _, name := range order {
		if !have[name] {
			kept = append(kept, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: name}, want[name])
		}
	}
	dst.Content = kept
}

// replaceValue gives dst src's value, keeping dst's comments (and its flow
// style for lists such as `sans: [a, b]`).
func replaceValue(dst, src *yaml.Node) {
	head, line, foot := dst.HeadComment, dst.LineComment, dst.FootComment
	flow := dst.Style & yaml.FlowStyle
	if dst.Kind == src.Kind && dst.Kind == yaml.ScalarNode && dst.Value == src.Value {
		return // unchanged: keep the user's quoting too
	}
	*dst = *src
	dst.HeadComment, dst.LineComment, dst.FootComment = head, line, foot
	if dst.Kind == yaml.SequenceNode {
		dst.Style |= flow
	}
}

// writeFileAtomic writes data to a temp file next to path and renames it over
// path, so a reader sees the old file or the new one, never a part.
func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

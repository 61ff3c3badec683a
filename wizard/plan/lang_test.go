package plan

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/internal/i18n"
)

// A plan file with several mistakes, written as a user would, is reported
// in Chinese and German: each problem keeps its file:line and field name,
// the words are the language's, and no English sentence is left.
func TestPlanErrorsInTheUsersLanguage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dockertls.yaml")
	doc := `# my docker host
daemon:
  ssh: ubuntu@node3
  sans: ["node3, 10.0.0.12"]
  address: https://node3:2376
  comon_name: node3
client:
  cert_dir: docker-certs
  target: ssh://me@laptop:22
`
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 4 {
		t.Fatalf("Load: %v, want 4 plan errors", err)
	}
	english := []string{"unknown field", "did you mean", "holds several names", "which the docker CLI rejects",
		"is relative", "allowed here", "the plan has", "e.g. ", "DNS names like", "an absolute path"}
	for _, tc := range []struct {
		lang  i18n.Lang
		words []string
		head  string
	}{
		{i18n.Chinese, []string{"中有未知字段 \"comon_name\"", "你是不是想写 common_name？", "包含多个名称", "docker CLI 会拒绝", "是相对路径", "（"}, "计划有 4 处问题"},
		{i18n.German, []string{"unbekanntes Feld \"comon_name\" in daemon", "meinten Sie common_name?", "enthält mehrere Namen", "das die docker CLI ablehnt", "ist relativ"}, "der Plan hat 4 Probleme"},
	} {
		l := i18n.New(tc.lang)
		got := l.Error(err)
		lines := strings.Split(got, "\n")
		for i, want := range []string{path + ":4: daemon.sans: ", path + ":5: daemon.address: ", path + ":6: daemon.comon_name: ", path + ":8: client.cert_dir: "} {
			if i >= len(lines) || !strings.HasPrefix(lines[i], want) {
				t.Errorf("%s: line %d of\n%s\ndoes not start with %q", tc.lang, i+1, got, want)
			}
		}
		for _, w := range append(tc.words, "tcp://node3:2376", "\"https://node3:2376\"", "https://", "sans", "common_name") {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q is missing from\n%s", tc.lang, w, got)
			}
		}
		for _, w := range english {
			if strings.Contains(got, w) {
				t.Errorf("%s: English %q left in\n%s", tc.lang, w, got)
			}
		}
		if s := errs.LocalizeSummary(l); s != tc.head {
			t.Errorf("%s: summary %q, want %q", tc.lang, s, tc.head)
		}
		t.Logf("%s:\n%s", tc.lang, got)
	}
	if s := errs.Summary(); s != "the plan has 4 problems" {
		t.Errorf("English summary %q", s)
	}
}

// The TUI's check of one field (CheckField) says its refusal in the
// user's language, without a place.
func TestCheckFieldInTheUsersLanguage(t *testing.T) {
	err := CheckField("daemon.address", "tcp://fd00::2:2376")
	if err == nil {
		t.Fatal("an IPv6 address without brackets is accepted")
	}
	zh := i18n.New(i18n.Chinese).Error(err)
	if !strings.Contains(zh, "IPv6 地址要写在方括号中：tcp://[fd00::2:2376]:2376") || strings.Contains(zh, "write an IPv6") || strings.Contains(zh, "e.g.") {
		t.Errorf("zh: %s", zh)
	}
	if en := err.Error(); !strings.Contains(en, "write an IPv6 address in brackets") {
		t.Errorf("en: %s", en)
	}
	// Two problems of one field are joined as the language punctuates.
	err = CheckField("daemon.sans", "https://node3/ 0.0.0.0")
	if err == nil || strings.Count(err.Error(), "; ") == 0 {
		t.Fatalf("two bad SANs: %v", err)
	}
	if zh := i18n.New(i18n.Chinese).Error(err); !strings.Contains(zh, "）；") {
		t.Errorf("zh, two bad SANs: %s", zh)
	}
}

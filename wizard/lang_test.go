package wizard

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/internal/i18n"
)

// inLanguage checks a text rendered in a language: its own words are
// there, the literals (commands, file names, values) are unchanged, and
// none of the English sentence is left.
func inLanguage(t *testing.T, what, got string, words, literals, english []string) {
	t.Helper()
	for _, w := range append(words, literals...) {
		if !strings.Contains(got, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, got)
		}
	}
	for _, e := range english {
		if strings.Contains(got, e) {
			t.Errorf("%s still says %q in English:\n%s", what, e, got)
		}
	}
}

// TestIssueRefusalsInEveryLanguage: `dockertls issue client` of a name
// given twice, and without a CA, says so in Chinese and German with the
// name and the command unchanged.
func TestIssueRefusalsInEveryLanguage(t *testing.T) {
	dir := t.TempDir()
	p := loadPlanText(t, dir, "ca: {key: ecdsa-p256}\ndaemon: {ssh: local, sans: [127.0.0.1]}\n")
	s := NewSession(p, headlessYes{}, Options{})
	ctx := context.Background()
	_, twice := s.IssueClients(ctx, IssueOptions{Names: []string{"bob", "bob"}})
	_, noCA := s.IssueClients(ctx, IssueOptions{Names: []string{"alice"}})
	if twice == nil || noCA == nil {
		t.Fatalf("refusals: %v, %v", twice, noCA)
	}
	command := s.say(applySteps(StepCA))
	for _, c := range []struct {
		lang        i18n.Lang
		twice, noCA string
	}{
		{i18n.Chinese, "给出了两次", "没有可用来签名的 CA"},
		{i18n.German, "doppelt angegeben", "keine CA zum Signieren"},
	} {
		loc := i18n.New(c.lang)
		inLanguage(t, string(c.lang)+" name twice", loc.Error(twice), []string{c.twice}, []string{`"bob"`}, []string{"is given twice", "give each name once"})
		inLanguage(t, string(c.lang)+" no CA", loc.Error(noCA), []string{c.noCA}, []string{command, dir}, []string{"to sign with", "create it first"})
	}
	if !strings.Contains(command, "--step ca") {
		t.Errorf("the command that creates the CA is %q", command)
	}
}

// TestRotateCARefusalsInEveryLanguage: rotate-ca without a CA refuses, and
// --finish without a rotation says there is nothing to finish, in the
// user's language with rotate-ca's command unchanged.
func TestRotateCARefusalsInEveryLanguage(t *testing.T) {
	for _, c := range []struct {
		lang          i18n.Lang
		noCA, nothing string
	}{
		{i18n.Chinese, "没有可轮换的 CA", "没有正在进行的 CA 轮换"},
		{i18n.German, "keine CA zum Rotieren", "es läuft keine CA-Rotation"},
	} {
		t.Run(string(c.lang), func(t *testing.T) {
			dir := t.TempDir()
			loc := i18n.New(c.lang)
			p := loadPlanText(t, dir, "ca: {key: ecdsa-p256}\ndaemon: {ssh: local, sans: [127.0.0.1]}\n")
			r := NewRunner(p, headlessYes{}, Options{Yes: true, Localizer: loc})
			t.Cleanup(func() { _ = r.Close() })
			err := r.RotateCA(context.Background(), RotateOptions{}, nil)
			if err == nil {
				t.Fatal("rotate-ca without a CA did not refuse")
			}
			inLanguage(t, "no CA", loc.Error(err), []string{c.noCA}, []string{r.session.applyStep(StepCA), "--step ca"}, []string{"to rotate", "create one first"})

			if err := r.Apply(context.Background(), StepCA, func(Event) {}); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := r.RotateCA(context.Background(), RotateOptions{Finish: true}, NewPrinter(&out, loc)); err != nil {
				t.Fatal(err)
			}
			inLanguage(t, "--finish without a rotation", out.String(), []string{c.nothing}, []string{r.session.Command("rotate-ca")}, []string{"nothing to finish", "start one with"})
		})
	}
}

// TestHeadlessRefusalInEveryLanguage: a headless run without --yes refuses
// to change another host in the user's language, names the flags as they
// are typed, and is still ErrNotConfirmed.
func TestHeadlessRefusalInEveryLanguage(t *testing.T) {
	for _, c := range []struct {
		lang i18n.Lang
		word string
	}{
		{i18n.Chinese, "只在明确要求时才修改其他主机"},
		{i18n.German, "nur auf ausdrückliche Anweisung"},
	} {
		loc := i18n.New(c.lang)
		h := &headlessPrompter{opts: Options{Localizer: loc}, out: io.Discard}
		ok, err := h.Confirm(context.Background(), ConfirmRequest{Step: StepDaemonConfig, Changes: []Change{{Host: "node3", Summary: "merge daemon.json"}}})
		if ok || !errors.Is(err, ErrNotConfirmed) {
			t.Fatalf("%s: ok %v err %v", c.lang, ok, err)
		}
		inLanguage(t, string(c.lang)+" refusal", loc.Error(err), []string{c.word}, []string{"daemon-config", "node3", "--dry-run", "--yes"}, []string{"would change", "when told to", "re-run"})
	}
}

// TestCertsIssuerInEveryLanguage: `dockertls certs` names the CA that
// issued each certificate in the user's words, while IssuedBy (the JSON
// value) stays English.
func TestCertsIssuerInEveryLanguage(t *testing.T) {
	s := issuePlan(t, t.TempDir(), "2376")
	certs, err := s.Certificates()
	if err != nil || len(certs) != 2 {
		t.Fatalf("certs: %v %+v", err, certs)
	}
	want := map[i18n.Lang][2]string{
		i18n.English: {"itself, current CA", "current CA"},
		i18n.Chinese: {"自身，当前 CA", "当前 CA"},
		i18n.German:  {"sich selbst, aktuelle CA", "aktuelle CA"},
	}
	for lang, w := range want {
		for i, c := range certs {
			if got := c.IssuedByIn(i18n.New(lang)); got != w[i] {
				t.Errorf("%s: %s %s issued by %q, want %q", lang, c.Kind, c.Name, got, w[i])
			}
		}
	}
	if certs[0].IssuedBy != "itself, current CA" {
		t.Errorf("IssuedBy (data) = %q, want it in English", certs[0].IssuedBy)
	}
}

// TestEnvCommentsInEveryLanguage: `dockertls env`'s last comment and a
// bundle's env script headers speak the user's language; the commands in
// them are unchanged.
func TestEnvCommentsInEveryLanguage(t *testing.T) {
	v := EnvVars{Host: "tcp://node3:2376"}
	for lang, words := range map[i18n.Lang][2]string{
		i18n.Chinese: {"运行下面的命令来配置你的 shell", "在 bash 或 zsh 中使用"},
		i18n.German:  {"Führen Sie diesen Befehl aus", "In bash oder zsh nutzen"},
	} {
		loc := i18n.New(lang)
		out, err := RenderEnvIn(loc, "bash", v, false, []string{"dockertls", "env", "-f", "my plan.yaml"})
		if err != nil {
			t.Fatal(err)
		}
		inLanguage(t, string(lang)+" env", out, []string{words[0]}, []string{"export DOCKER_HOST=tcp://node3:2376", `# eval "$(dockertls env -f 'my plan.yaml')"`}, []string{"Run this command"})
		scripts, err := EnvScripts(loc, "tcp://node3:2376")
		if err != nil {
			t.Fatal(err)
		}
		inLanguage(t, string(lang)+" env.sh", scripts["env.sh"], []string{words[1]}, []string{"tcp://node3:2376", ". ./env.sh"}, []string{"Use it in"})
	}
}

package ui

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"unicode"

	tea "charm.land/bubbletea/v2"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/wizard/plan"
)

// TestGoldenLanguages records the start screen, a step's answers (its
// introduction from assets/steps/LANG/) and the quit confirmation (a
// bordered box) in Chinese and German at 80x24 and 60x20, and checks each
// for lines wider than the terminal and for broken borders.
func TestGoldenLanguages(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.Chinese, i18n.German} {
		for _, size := range [][2]int{{80, 24}, {60, 20}} {
			t.Run(fmt.Sprintf("%s-%dx%d", lang, size[0], size[1]), func(t *testing.T) {
				cfg := testConfig(newFakeEngine())
				cfg.StepText = nil // the real introduction, in the language
				cfg.Localizer = i18n.New(lang)
				h := newHarness(t, cfg)
				h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				name := fmt.Sprintf("lang-%s-%dx%d-", lang, size[0], size[1])
				fits(t, h.screen(), size)
				golden(t, h, name+"1-start")
				h.key("enter")
				fits(t, h.screen(), size)
				golden(t, h, name+"2-ca-form")
				h.typ("x") // an unsaved answer: quitting asks first
				h.key("ctrl+c")
				fits(t, h.screen(), size)
				golden(t, h, name+"3-quit")
			})
		}
	}
}

// TestScreensSpeakTheLanguage: the words come from the language's messages
// and step texts, the names and commands do not change.
func TestScreensSpeakTheLanguage(t *testing.T) {
	cfg := testConfig(newFakeEngine())
	cfg.StepText = nil
	cfg.Localizer = i18n.New(i18n.Chinese)
	h := newHarness(t, cfg)
	h.want("为 Docker API 配置双向 TLS", "1 创建证书颁发机构（CA）", "新建配置", "dockertls.yaml", "↑/↓ 选择", "enter 确定")
	h.key("enter")
	h.want("第 1 步，共 7 步 · 创建证书颁发机构（CA）", "证书颁发机构（CA）由一对密钥", "本机上的 PKI 目录", "CA 名称（通用名）")
	h.dontWant("Create the certificate authority", "PKI directory on this machine")
}

// fits fails when a line of screen is wider than the terminal, when the
// screen is not exactly as tall, or when a box's right border is not
// straight above or below its corners (a CJK character measured as one
// column would push it).
func fits(t *testing.T, screen string, size [2]int) {
	t.Helper()
	for _, p := range fitProblems(screen, size) {
		t.Error(p)
	}
}

func fitProblems(screen string, size [2]int) []string {
	var out []string
	lines := strings.Split(screen, "\n")
	if len(lines) != size[1] {
		out = append(out, fmt.Sprintf("%d lines, want %d", len(lines), size[1]))
	}
	right := -1 // the column of the open box's right border
	for i, l := range lines {
		if w := i18n.Width(l); w > size[0] {
			out = append(out, fmt.Sprintf("line %d is %d columns wide, more than %d: %q", i+1, w, size[0], l))
		}
		if strings.ContainsFunc(l, unicode.IsControl) {
			out = append(out, fmt.Sprintf("line %d holds a control character (it takes no column, so the width check misses it): %q", i+1, l))
		}
		trimmed := strings.TrimRight(l, " ")
		switch {
		case strings.Contains(trimmed, "╭") || strings.Contains(trimmed, "┌"):
			right = i18n.Width(trimmed) - 1
		case right >= 0 && (strings.HasSuffix(trimmed, "│") || strings.HasSuffix(trimmed, "┃")):
			if w := i18n.Width(trimmed) - 1; w != right {
				out = append(out, fmt.Sprintf("line %d: border at column %d, the box's corner is at %d: %q", i+1, w, right, l))
			}
		case strings.Contains(trimmed, "╰") || strings.Contains(trimmed, "└"):
			if w := i18n.Width(trimmed) - 1; w != right {
				out = append(out, fmt.Sprintf("line %d: bottom corner at column %d, top at %d: %q", i+1, w, right, l))
			}
			right = -1
		}
	}
	return out
}

// TestFitProblemsSeesBrokenScreens: the check itself catches a wide line
// and a border pushed out by a character counted as one column.
func TestFitProblemsSeesBrokenScreens(t *testing.T) {
	good := "╭────╮\n│ ab │\n│ 证 │\n╰────╯"
	if p := fitProblems(good, [2]int{6, 4}); len(p) != 0 {
		t.Errorf("a straight box: %v", p)
	}
	broken := "╭────╮\n│ 证书 │\n╰────╯"
	if p := fitProblems(broken, [2]int{8, 3}); len(p) != 1 {
		t.Errorf("a pushed border: %v", p)
	}
	if p := fitProblems("守护进程守护进程", [2]int{10, 1}); len(p) != 1 {
		t.Errorf("a 16-column line at 10: %v", p)
	}
	if p := fitProblems("› 例如\x00\x00 ", [2]int{10, 1}); len(p) != 1 {
		t.Errorf("a NUL in a line: %v", p)
	}
}

// TestGoldenDiscoverLanguages records the Discover page (repair without a
// plan) in Chinese and German at 80x24 and 60x20, as its English goldens
// do: a pasted ssh command refused by the plan's rule, an existing plan
// that is never overwritten, and the plan written with what was found.
// Each screen is checked for wide lines and broken borders.
func TestGoldenDiscoverLanguages(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.Chinese, i18n.German} {
		for _, size := range [][2]int{{80, 24}, {60, 20}} {
			t.Run(fmt.Sprintf("%s-%dx%d", lang, size[0], size[1]), func(t *testing.T) {
				name := fmt.Sprintf("lang-%s-%dx%d-discover-", lang, size[0], size[1])
				shot := func(h *harness, state string) {
					t.Helper()
					h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
					fits(t, h.screen(), size)
					golden(t, h, name+state)
				}
				harness := func(planPath string, exists func(string) bool) *harness {
					cfg := testConfig(newFakeEngine())
					cfg.Localizer = i18n.New(lang)
					cfg.PlanPath = planPath
					cfg.Discover = (&fakeDiscover{}).discover
					cfg.FileExists = exists
					if exists == nil {
						cfg.FileExists = func(p string) bool { _, err := os.Stat(p); return err == nil }
						cfg.LoadPlan = plan.Load
					}
					return newHarness(t, cfg)
				}
				exists := map[string]bool{}
				h := harness("dockertls.yaml", func(p string) bool { return exists[p] })
				h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				h.key("down", "enter")
				h.typ("ssh -p 2222 ubuntu@127.0.0.1")
				h.key("enter")
				h.want("ubuntu@127.0.0.1:2222")
				shot(h, "1-bad-target")

				h.key("ctrl+u")
				h.typ("admin@node3")
				exists["dockertls.yaml"] = true
				h.key("enter", "enter", "enter")
				h.want("dockertls-2.yaml")
				shot(h, "2-plan-exists")

				// The plan is written as the user typed its path, so the
				// screen is the same in every run: in a directory of its own,
				// and back for the golden files.
				wd, err := os.Getwd()
				if err != nil {
					t.Fatal(err)
				}
				if err := os.Chdir(t.TempDir()); err != nil {
					t.Fatal(err)
				}
				h2 := harness("dockertls.yaml", nil)
				h2.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				h2.key("down", "enter")
				h2.typ("admin@node3:2222")
				h2.key("enter", "enter", "enter")
				if err := os.Chdir(wd); err != nil {
					t.Fatal(err)
				}
				h2.want("admin@node3:2222", "dockerd listens on tcp://0.0.0.0:2376")
				shot(h2, "3-written")
			})
		}
	}
}

// TestGoldenTopologyLanguages records the topology picture (ctrl+t on a
// step) in Chinese and German at 80x24: its boxes' borders straight with
// Chinese titles, the host names and file names as they are.
func TestGoldenTopologyLanguages(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.Chinese, i18n.German} {
		t.Run(string(lang), func(t *testing.T) {
			cfg := testConfig(newFakeEngine())
			cfg.Localizer = i18n.New(lang)
			h := newHarness(t, cfg)
			h.key("enter", "ctrl+t")
			h.want("ca.pem ca-key.pem", "DOCKER_HOST DOCKER_TLS_VERIFY")
			fits(t, h.screen(), [2]int{80, 24})
			golden(t, h, fmt.Sprintf("lang-%s-80x24-4-topology", lang))
		})
	}
}

// TestGoldenPassphraseLanguages records the CA passphrase question (a
// bordered box with two input lines, asked while the ca step runs) in
// Chinese and German at 80x24 and 60x20, checked like the other language
// goldens.
func TestGoldenPassphraseLanguages(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.Chinese, i18n.German} {
		for _, size := range [][2]int{{80, 24}, {60, 20}} {
			t.Run(fmt.Sprintf("%s-%dx%d", lang, size[0], size[1]), func(t *testing.T) {
				cfg := testConfig(newFakeEngine())
				cfg.Localizer = i18n.New(lang)
				h := newHarness(t, cfg)
				h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				h.key("enter")                                     // the ca step
				h.key("enter", "enter", "enter", "enter", "enter") // its answers, then run it
				h.want("ca-key.pem")
				fits(t, h.screen(), size)
				golden(t, h, fmt.Sprintf("lang-%s-%dx%d-5-ca-passphrase", lang, size[0], size[1]))
			})
		}
	}
}

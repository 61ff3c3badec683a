package daemon

import (
	"context"
	"errors"
	"net"
	"os"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/internal/i18n"
	"github.com/dockertls/dockertls/remote"
)

// tutorialNode is the classic broken state of the tutorials: daemon.json
// written by hand with "hosts" (and the TLS keys) while the stock
// docker.service still starts dockerd with -H fd://, so dockerd refuses to
// start and docker.service is failed.
func tutorialNode() *Node {
	n := stockNode()
	n.ActiveState, n.Answers, n.Containers = "failed", false, -1
	n.Config = FileState{Path: DefaultConfigPath, Exists: true, Data: []byte(`{
  "hosts": ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2376"],
  "tlsverify": true,
  "tlscacert": "/etc/docker/tls/ca.pem",
  "tlscert": "/etc/docker/tls/server-cert.pem",
  "tlskey": "/etc/docker/tls/server-key.pem"
}
`)}
	return n
}

// words are what a translation must say (its own words) and keep (file
// names, flags, commands), and English it must not say.
type words struct {
	say, keep, notEnglish []string
}

func (w words) check(t *testing.T, what, got string) {
	t.Helper()
	for _, s := range append(append([]string{}, w.say...), w.keep...) {
		if !strings.Contains(got, s) {
			t.Errorf("%s lacks %q:\n%s", what, s, got)
		}
	}
	for _, s := range w.notEnglish {
		if strings.Contains(got, s) {
			t.Errorf("%s still says %q in English:\n%s", what, s, got)
		}
	}
}

// TestTutorialHostsConflictInChineseAndGerman: the tutorials' daemon.json
// with "hosts" next to docker.service's -H fd:// goes through the real
// Check and Plan with a Chinese and a German Localizer. The finding, its
// fix, the note about the drop-in, the file summary and a refusal (a
// tutorial's override.conf sorting after dockertls's drop-in) come out in
// that language, with file names, dockerd flags and the dockertls command
// as they are.
func TestTutorialHostsConflictInChineseAndGerman(t *testing.T) {
	for _, tc := range []struct {
		lang                           i18n.Lang
		conflict, fixWords, down, info words
		summary, refusal               words
	}{
		{lang: i18n.Chinese,
			conflict: words{say: []string{"既由 dockerd 命令行参数", "拒绝启动"}, keep: []string{"hosts", "docker.service", "DOCKER_OPTS", "/etc/docker/daemon.json"},
				notEnglish: []string{"set both by", "refuses to start"}},
			fixWords: words{say: []string{"运行：", "不带 -H 的 systemd drop-in"}, keep: []string{"dockertls apply -f PLAN --step daemon-config --yes", "daemon.json"},
				notEnglish: []string{"run:", "it writes"}},
			down: words{say: []string{"没有运行", "状态是 failed"}, keep: []string{"node3", "docker.service"}, notEnglish: []string{"is not running"}},
			info: words{say: []string{"传入了", "不再带它"}, keep: []string{"docker.service", "-H fd://", "daemon.json"}, notEnglish: []string{"passes", "without it"}},
			summary: words{say: []string{"不带 -H 参数"}, keep: []string{"systemd drop-in", "docker.service", "daemon.json"},
				notEnglish: []string{"without -H flags"}},
			refusal: words{say: []string{"设置了 ExecStart=", "再次运行这一步"}, keep: []string{"/etc/systemd/system/docker.service.d/zzz.conf", "-H", "daemon.json"},
				notEnglish: []string{"sets ExecStart=", "run this step again"}},
		},
		{lang: i18n.German,
			conflict: words{say: []string{"sowohl per dockerd-Flag", "startet dockerd nicht"}, keep: []string{"hosts", "docker.service", "DOCKER_OPTS", "/etc/docker/daemon.json"},
				notEnglish: []string{"set both by", "refuses to start"}},
			fixWords: words{say: []string{"ausführen:", "systemd-Drop-in ohne -H"}, keep: []string{"dockertls apply -f PLAN --step daemon-config --yes", "daemon.json"},
				notEnglish: []string{"run:", "it writes"}},
			down: words{say: []string{"läuft nicht", "docker.service ist failed"}, keep: []string{"node3"}, notEnglish: []string{"is not running"}},
			info: words{say: []string{"übergibt", "ohne dieses Flag"}, keep: []string{"docker.service", "-H fd://", "daemon.json"}, notEnglish: []string{"passes", "without it"}},
			summary: words{say: []string{"ohne -H-Flags"}, keep: []string{"systemd-Drop-in", "docker.service", "daemon.json"},
				notEnglish: []string{"without -H flags"}},
			refusal: words{say: []string{"setzt ExecStart=", "erneut aus"}, keep: []string{"/etc/systemd/system/docker.service.d/zzz.conf", "-H", "daemon.json"},
				notEnglish: []string{"sorts after", "run this step again"}},
		},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			l := i18n.New(tc.lang)
			s := Settings{Localizer: l}
			var conflict, down *Issue
			for _, is := range CheckNode(context.Background(), nil, tutorialNode(), s) {
				switch is.Code {
				case "daemon-flag-file-conflict":
					conflict = &is
				case "daemon-down":
					down = &is
				}
			}
			if conflict == nil || down == nil {
				t.Fatalf("the hosts conflict or the failed unit is not found: %+v", CheckNode(context.Background(), nil, tutorialNode(), s))
			}
			tc.conflict.check(t, "the finding", conflict.Message)
			tc.fixWords.check(t, "its fix", conflict.Fix.String())
			if cmds := conflict.Fix.Commands(); len(cmds) != 1 || cmds[0].Sub != "apply" || len(cmds[0].Steps) != 1 || cmds[0].Steps[0] != "daemon-config" {
				t.Errorf("the translated fix's command is not data: %+v", cmds)
			}
			tc.down.check(t, "the daemon-down finding", down.Message)

			c, err := Plan(tutorialNode(), s)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Info) != 1 {
				t.Fatalf("info %q", c.Info)
			}
			tc.info.check(t, "the drop-in note", c.Info[0])
			if f := fileChange(c, DropInPath); f == nil {
				t.Fatal("no drop-in planned")
			} else {
				tc.summary.check(t, "the drop-in's summary", f.Summary)
			}

			// A tutorial's second drop-in that sorts after ours keeps -H: refused.
			n := tutorialNode()
			late := "/etc/systemd/system/docker.service.d/zzz.conf"
			n.DropIns = []string{late}
			n.DropInTexts = map[string]string{late: "[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd -H fd://\n"}
			_, err = Plan(n, Settings{}) // no Localizer: the error is said by whoever prints it
			if err == nil {
				t.Fatal("a drop-in after ours is not refused")
			}
			if !strings.Contains(err.Error(), "sorts after dockertls's own drop-in") {
				t.Errorf("English: %v", err)
			}
			tc.refusal.check(t, "the refusal", l.Error(err))
		})
	}
}

// TestApplyErrorInChinese: a real dockerd cannot take the TLS port (a
// program holds it); Apply, planned with a Chinese Localizer, rolls back,
// and its progress and the error the user reads are in Chinese with the
// file names and dockerd's own log lines unchanged.
func TestApplyErrorInChinese(t *testing.T) {
	d, orig := startUserDaemon(t)
	p := newTestPKI(t)
	ctx := context.Background()
	h := remote.NewLocal(nil)
	s := settingsFor(d, p)
	s.Localizer = i18n.New(i18n.Chinese)
	c := inspectAndPlan(t, ctx, h, s)
	squatter, err := net.Listen("tcp", d.TCPAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer squatter.Close()
	var progress []string
	_, err = Apply(ctx, h, c, func(m string) { progress = append(progress, m) })
	var ae *ApplyError
	if !errors.As(err, &ae) || !ae.RolledBack || !ae.Answers {
		t.Fatalf("want a rolled-back *ApplyError, got %v", err)
	}
	got := i18n.New(i18n.Chinese).Error(err)
	t.Logf("as the user reads it:\n%s", got)
	words{
		say:        []string{"配置 Docker 失败", "原因：另一个程序已经在监听", "每个文件都已逐字节还原", "守护进程日志的最后几行"},
		keep:       []string{d.TCPAddr, "address already in use"},
		notEnglish: []string{"configuring Docker on", "Cause:", "restored byte for byte", "Last lines"},
	}.check(t, "the error", got)
	all := strings.Join(progress, "\n")
	words{
		say:        []string{"已把 " + d.ConfigPath + " 备份到", "正在重启守护进程", "正在回滚", "已还原 1 个文件"},
		keep:       []string{d.ConfigPath},
		notEnglish: []string{"backed up", "restarting the daemon", "rolling back"},
	}.check(t, "the progress", all)
	if now, _ := os.ReadFile(d.ConfigPath); string(now) != string(orig) {
		t.Errorf("daemon.json is not byte-identical after the rollback:\n%s", now)
	}
}

package wizard

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockertls/dockertls/internal/i18n"
)

// TestDistributeInChineseAndGerman: the daemon's key made readable by
// everyone (chmod 644, as a careless admin does) is found by the real
// distribute check and repaired by its Apply through the shell; the
// finding, its fix and the progress lines are in the session's language,
// with the file names, the modes and the dockertls command unchanged.
func TestDistributeInChineseAndGerman(t *testing.T) {
	for _, tc := range []struct {
		lang                   i18n.Lang
		finding, fix, progress []string
		english                []string
	}{
		{i18n.Chinese,
			[]string{"上的守护进程文件："},
			[]string{"dockertls apply", "--step distribute --yes", "（被替换的文件会先备份）"},
			[]string{"正在把 1 个文件写入", "设置权限，因为", "已把 server-key.pem 写入", "属主 root；私钥 0400，证书 0444", "是最新的"},
			[]string{"the daemon files", "replaced files are backed up", "writing 1 file", "setting the mode because", "owned by root", "up to date"}},
		{i18n.German,
			[]string{"die Daemon-Dateien auf"},
			[]string{"dockertls apply", "--step distribute --yes", "(ersetzte Dateien werden zuerst gesichert)"},
			[]string{"schreibe 1 Datei(en) nach", "Rechte werden gesetzt, weil", "server-key.pem nach", "Besitzer root; Schlüssel 0400, Zertifikate 0444", "ist aktuell"},
			[]string{"the daemon files", "replaced files are backed up", "writing 1 file", "setting the mode because", "owned by root", "up to date"}},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			dir := t.TempDir()
			text := fmt.Sprintf("ca: {key: ecdsa-p256}\ndaemon: {ssh: local, key: ecdsa-p256, cert_dir: %[1]s/daemon-tls}\nclient: {key: ecdsa-p256, cert_dir: %[1]s/client}\n", dir)
			r := NewRunner(loadPlanText(t, dir, text), headlessYes{}, Options{Yes: true, Localizer: i18n.New(tc.lang)})
			defer r.Close()
			ctx := context.Background()
			if err := r.Run(ctx, []StepName{StepCA, StepDaemonCert, StepClientCert, StepDistribute}, nil); err != nil {
				t.Fatal(err)
			}
			key := filepath.Join(dir, "daemon-tls", DaemonKeyFile)
			if err := os.Chmod(key, 0o644); err != nil {
				t.Fatal(err)
			}
			var found *Finding
			for _, f := range r.Check(ctx, StepDistribute) {
				if f.Code == "daemon-file-permissions" {
					found = &f
				}
			}
			if found == nil {
				t.Fatalf("the readable key is not found: %+v", r.Check(ctx, StepDistribute))
			}
			fx := found.Fix.String()
			var lines []string
			if err := r.Apply(ctx, StepDistribute, func(e Event) { lines = append(lines, e.Message) }); err != nil {
				t.Fatal(err)
			}
			progress := strings.Join(lines, "\n")
			for what, got := range map[string]string{"finding": found.Message, "fix": fx, "progress": progress} {
				want := map[string][]string{"finding": tc.finding, "fix": tc.fix, "progress": tc.progress}[what]
				for _, w := range want {
					if !strings.Contains(got, w) {
						t.Errorf("the %s lacks %q:\n%s", what, w, got)
					}
				}
				for _, e := range tc.english {
					if strings.Contains(got, e) {
						t.Errorf("the %s still says %q:\n%s", what, e, got)
					}
				}
			}
			if !strings.Contains(found.Message, DaemonKeyFile) && !strings.Contains(found.Message, key) {
				t.Errorf("the finding does not name %s: %s", DaemonKeyFile, found.Message)
			}
			if st, err := os.Stat(key); err != nil || st.Mode().Perm() != 0o400 {
				t.Errorf("the key's mode is not repaired: %v %v", st.Mode(), err)
			}
		})
	}
}

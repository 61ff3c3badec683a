package wizard

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dockertls/dockertls/internal/testlab"
	"github.com/dockertls/dockertls/wizard/plan"
)

// benchFleet is a dockerd of the fleet benchmark and its config before
// dockertls touched it.
type benchFleet struct {
	d       *testlab.Dockerd
	port    string
	initial string
}

// fleetPlanText is a plan with a daemons: entry per dockerd, on this
// machine, each restarted by its own command.
func fleetPlanText(dir string, fleet []benchFleet) string {
	var b strings.Builder
	fmt.Fprintf(&b, "dir: %s/pki\nca: {key: ecdsa-p256, days: 365}\nclient:\n  cert_dir: %s/client\ndaemons:\n", dir, dir)
	for i, f := range fleet {
		fmt.Fprintf(&b, "  - name: d%d\n    ssh: local\n    sans: [127.0.0.1]\n    listen: tcp://127.0.0.1:%[2]s\n    address: tcp://127.0.0.1:%[2]s\n    cert_dir: %[3]s/tls-%[1]d\n    config: %[4]s\n    restart: %[5]q\n",
			i, f.port, dir, f.d.ConfigPath, f.d.RestartCommand())
	}
	return b.String()
}

// BenchmarkFleetApply applies all seven steps to fleets of 1, 4 and 8 real
// dockerds (ecdsa-p256), each from scratch: a new PKI directory, and every
// daemon back on its first config and restarted (not timed). It reports
// each size's time and t8/t1, which should stay at or below 2.5: the
// daemons are worked on at once, so a fleet costs about one daemon's time
// plus a little per daemon.
func BenchmarkFleetApply(b *testing.B) {
	const most = 8
	var fleet []benchFleet
	for range most {
		d := testlab.NewDockerd(b, testlab.DockerdOptions{NoHostFlags: true})
		cfg := `{"hosts": ["unix://` + d.Socket + `"]}` + "\n"
		if err := os.WriteFile(d.ConfigPath, []byte(cfg), 0o644); err != nil {
			b.Fatal(err)
		}
		if err := d.Start(); err != nil {
			b.Fatal(err)
		}
		_, port, _ := strings.Cut(d.TCPAddr, ":")
		fleet = append(fleet, benchFleet{d, port, cfg})
	}
	b.Setenv("DOCKER_CONFIG", filepath.Join(b.TempDir(), "docker-config"))
	applyFleet := func(n int) time.Duration {
		b.StopTimer()
		for _, f := range fleet[:n] {
			if err := os.WriteFile(f.d.ConfigPath, []byte(f.initial), 0o644); err != nil {
				b.Fatal(err)
			}
			if err := f.d.Restart(); err != nil {
				b.Fatal(err)
			}
		}
		dir := b.TempDir()
		p, err := plan.Parse([]byte(fleetPlanText(dir, fleet[:n])), filepath.Join(dir, "fleet.yaml"))
		if err != nil {
			b.Fatal(err)
		}
		p.Path = filepath.Join(dir, "fleet.yaml")
		f, err := NewFleet(p, headlessYes{}, Options{Yes: true, HealthTimeout: 60 * time.Second}, "")
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		start := time.Now()
		b.StartTimer()
		sink := func(string) func(Event) { return func(Event) {} }
		if os.Getenv("FLEET_TRACE") != "" {
			sink = func(name string) func(Event) {
				return func(e Event) {
					if e.Kind == EventStart || e.Kind == EventDone || e.Kind == EventSkipped {
						fmt.Fprintf(os.Stderr, "%6.2fs %s %s %v\n", time.Since(start).Seconds(), name, e.Step, e.Kind)
					}
				}
			}
		}
		errs := f.Run(context.Background(), nil, DefaultParallel, sink, func(string, error) {})
		took := time.Since(start)
		if len(errs) > 0 {
			b.Fatalf("fleet of %d: %v", n, errs)
		}
		return took
	}
	var t1, t4, t8 time.Duration
	for b.Loop() {
		t1 += applyFleet(1)
		t4 += applyFleet(4)
		t8 += applyFleet(most)
	}
	b.ReportMetric(t1.Seconds()/float64(b.N), "s/fleet-of-1")
	b.ReportMetric(t4.Seconds()/float64(b.N), "s/fleet-of-4")
	b.ReportMetric(t8.Seconds()/float64(b.N), "s/fleet-of-8")
	b.ReportMetric(float64(t8)/float64(t1), "t8/t1")
}

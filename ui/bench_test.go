package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// BenchmarkViewFinal renders the largest screen (the final one: report,
// probes, env, next steps; with the full help open).
func BenchmarkViewFinal(b *testing.B) {
	fe := newFakeEngine()
	m := New(testConfig(fe))
	defer m.Close()
	m.manualInbox = true
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m.engine = fe
	fe.plan.Daemon.Address = "tcp://node3:2376"
	fe.plan.Client.Context = "node3"
	m.page = newFinalPage(m.shared, m.page, fakeReport(), nil)
	m.showHelp = true
	if s := ansi.Strip(m.View().Content); len(s) == 0 {
		b.Fatal("empty view")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkViewConfirm renders the confirmation of remote changes with a
// coloured diff in a box.
func BenchmarkViewConfirm(b *testing.B) {
	m := New(testConfig(newFakeEngine()))
	defer m.Close()
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m.ask = newAskView(askMsg{kind: askConfirm}, m.styles, nil)
	m.ask.q.confirm.Step = "daemon-config"
	m.ask.q.confirm.Changes = append(m.ask.q.confirm.Changes, fakeChange())
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkFirstFrame is the time from nothing to the first drawn start
// screen: building the model (styles, keys), Init and the first View.
func BenchmarkFirstFrame(b *testing.B) {
	cfg := testConfig(newFakeEngine())
	b.ReportAllocs()
	for b.Loop() {
		m := New(cfg)
		_ = m.Init()
		_ = m.View()
		_ = m.Close()
	}
}

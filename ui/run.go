package ui

import (
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/dockertls/dockertls/internal/i18n"
)

// Run shows the wizard on the terminal until the user quits, then closes
// every connection the engine opened. Quitting early is not an error: the
// answers are in the plan and the next run resumes there.
func Run(cfg Config, opts ...tea.ProgramOption) error {
	m := New(cfg)
	// Bubble Tea wakes its renderer FPS times a second even when nothing
	// changed, and shows the first frame on the first wake-up: 30 keeps the
	// first frame well under 100 ms and halves the idle cost of the default
	// 60. Callers' options come after and win.
	opts = append([]tea.ProgramOption{tea.WithFPS(30)}, opts...)
	_, err := tea.NewProgram(m, opts...).Run()
	cerr := m.Close()
	if cfg.Out != nil && err == nil {
		fmt.Fprint(cfg.Out, m.Farewell())
	}
	if err != nil && strings.Contains(err.Error(), "TTY") {
		return i18n.Errorf("tui.run.no_terminal")
	}
	if err != nil && !errors.Is(err, tea.ErrInterrupted) {
		return i18n.Errorf("tui.run.stopped", "Err", err)
	}
	if cerr != nil {
		return i18n.Errorf("tui.run.closing", "Err", cerr)
	}
	return nil
}

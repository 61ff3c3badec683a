package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/dockertls/dockertls/wizard"
)

// Messages that move the wizard from one state to the next. Work on the
// engine runs in tea.Cmds; its results and the Events and questions of a
// running step come back as these messages.

// inboxMsg wraps a message that arrived through the inbox channel (Events,
// questions, the end of a step); after handling it the model listens again.
type inboxMsg struct{ msg tea.Msg }

// eventMsg is one Event of a running step.
type eventMsg struct{ ev wizard.Event }

// applyDoneMsg ends a step run. It travels through the inbox, behind the
// step's Events, so that the last Event is never rendered after the result.
type applyDoneMsg struct {
	step wizard.StepName
	err  error
}

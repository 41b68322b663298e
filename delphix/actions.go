package delphix

import (
	"context"
	"fmt"
	"net/url"
)

// Action is the engine's record of a user-visible operation. Calls that
// start no job (hook updates, owner changes) are followed through their action.
type Action struct {
	Type               string `json:"type"`
	Reference          string `json:"reference"`
	ActionType         string `json:"actionType"`
	Title              string `json:"title"`
	Details            string `json:"details"`
	State              string `json:"state"` // EXECUTING, WAITING, COMPLETED, FAILED, CANCELED
	FailureDescription string `json:"failureDescription"`
	FailureAction      string `json:"failureAction"`
	FailureMessageCode string `json:"failureMessageCode"`
}

// ActionError is an action that ended FAILED or CANCELED.
type ActionError struct{ Action *Action }

func (e *ActionError) Error() string {
	a := e.Action
	msg := fmt.Sprintf("action %s (%s) %s", a.Reference, a.ActionType, a.State)
	if d := oneLine(a.FailureDescription); d != "" {
		msg += ": " + d
	}
	if f := oneLine(a.FailureAction); f != "" {
		msg += " (" + f + ")"
	}
	return msg
}

// ActionsService reads actions.
type ActionsService service

// Get returns GET /action/{ref}.
func (s *ActionsService) Get(ctx context.Context, ref string) (*Action, error) {
	var a Action
	if _, err := s.client.call(ctx, "GET", "/action/"+url.PathEscape(ref), nil, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// Wait polls the action until it ends; FAILED or CANCELED return an *ActionError.
func (s *ActionsService) Wait(ctx context.Context, ref string) (*Action, error) {
	interval := s.client.wait.min
	for {
		a, err := s.Get(ctx, ref)
		if err != nil {
			return nil, err
		}
		switch a.State {
		case "COMPLETED":
			return a, nil
		case "FAILED", "CANCELED":
			return a, &ActionError{Action: a}
		}
		if err := sleep(ctx, interval); err != nil {
			return nil, err
		}
		interval = min(interval*2, s.client.wait.max)
	}
}

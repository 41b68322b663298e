package delphix

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFailedActionIsOneLineWithTheEnginesAdvice(t *testing.T) {
	err := &ActionError{Action: &Action{Reference: "ACTION-12", ActionType: "SOURCE_UPDATE", State: "FAILED",
		FailureDescription: "The hook\n  \"greet\" is invalid.", FailureAction: "Fix the hook and try again."}}
	assert.Equal(t, `action ACTION-12 (SOURCE_UPDATE) FAILED: The hook "greet" is invalid. (Fix the hook and try again.)`, err.Error())
}

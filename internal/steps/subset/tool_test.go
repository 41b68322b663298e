package subset

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The output names the subsetter's program, never the VAR=value words before it.
func TestToolNameIsTheProgramWithoutTheAssignmentsBeforeIt(t *testing.T) {
	for command, want := range map[string]string{
		"./jailer-subset.sh --fast":                     "jailer-subset.sh",
		"PGPASSWORD=s3cret JAILER_HOME=/opt/j jailer x": "jailer",
		`"/opt/green mask/greenmask" restore`:           `greenmask`,
		"/usr/bin/env python3 subset.py":                "env",
		"  ":                                            "",
	} {
		assert.Equal(t, want, toolName(command), command)
	}
}

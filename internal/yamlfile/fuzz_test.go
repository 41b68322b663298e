package yamlfile

import (
	"errors"
	"strings"
	"testing"
)

// FuzzDecode: any content decodes, or is one *Error line that names the
// file and no Go type; it never panics.
func FuzzDecode(f *testing.F) {
	f.Add([]byte("name: a\nretries: 2\nwait: 5m\ntags: [x]\nsteps:\n  - {run: ls, safe: true}\n"))
	f.Add([]byte("steps:\n  - {rnu: ls}\nwait: 5\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var j job
		err := Decode("job.yml", raw, &j, nil)
		if err == nil {
			return
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("not an *Error: %v", err)
		}
		msg := err.Error()
		if strings.Contains(msg, "\n") {
			t.Fatalf("more than one line: %q", msg)
		}
		if !strings.HasPrefix(msg, "job.yml") {
			t.Fatalf("does not name the file: %q", msg)
		}
		for _, goWord := range []string{"yamlfile.", "time.Duration", "[]string", "interface {}", "map[string]"} {
			if strings.Contains(msg, goWord) {
				t.Fatalf("names a Go type: %q", msg)
			}
		}
	})
}

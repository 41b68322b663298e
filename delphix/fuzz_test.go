package delphix

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dxsteps/dxsteps/internal/httpapi"
)

// The fuzz targets' seeds are in testdata/fuzz/<target>: answers as real
// engines and proxies give them. `go test` runs the seeds; `make fuzz`
// explores from them.

// FuzzDecodeResponse: any answer, any status, decodes to a result or an
// error whose message is one line; never a panic, never success on an error
// status or an ErrorResult.
func FuzzDecodeResponse(f *testing.F) {
	f.Add(200, []byte(`{"type":"OKResult","status":"OK","result":"JOB-1","job":"JOB-1","action":"ACTION-1"}`))
	f.Fuzz(func(t *testing.T, status int, raw []byte) {
		var out json.RawMessage
		res, err := decodeResponse("GET", "/x", status, raw, &out)
		if err == nil {
			if status >= 300 {
				t.Fatalf("HTTP %d decoded as success", status)
			}
			var env envelope
			if json.Unmarshal(sanitizeJSON(raw), &env) == nil && (env.Status == "ERROR" || env.Type == "ErrorResult") {
				t.Fatal("an ErrorResult decoded as success")
			}
			_ = res
			return
		}
		if msg := err.Error(); strings.ContainsAny(msg, "\n\r") && !errors.Is(err, errSessionLost) {
			t.Fatalf("error message is not one line: %q", msg)
		}
	})
}

// FuzzSanitizeJSON: the repair never changes valid JSON, is idempotent, and
// leaves no raw control character inside a string.
func FuzzSanitizeJSON(f *testing.F) {
	f.Add([]byte("{\"details\":\"line one\tcol\"}"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		got := sanitizeJSON(raw)
		if json.Valid(raw) && !bytes.Equal(got, raw) {
			t.Fatalf("valid JSON changed: %q -> %q", raw, got)
		}
		if again := sanitizeJSON(got); !bytes.Equal(again, got) {
			t.Fatalf("not idempotent: %q -> %q -> %q", raw, got, again)
		}
		inString, escaped := false, false
		for _, b := range got {
			switch {
			case escaped:
				escaped = false
			case inString && b == '\\':
				escaped = true
			case b == '"':
				inString = !inString
			case inString && b < 0x20:
				t.Fatalf("raw control character %#x left in a string: %q", b, got)
			}
		}
	})
}

// FuzzJob: a job as any engine sends it decodes, and its failure message
// is one line.
func FuzzJob(f *testing.F) {
	f.Add([]byte(`{"type":"Job","reference":"JOB-7","actionType":"DB_SYNC","jobState":"FAILED","events":[{"eventType":"ERROR","messageDetails":"boom"}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var j Job
		if json.Unmarshal(sanitizeJSON(raw), &j) != nil {
			return
		}
		msg := (&JobError{Job: &j, Event: j.lastError()}).Error()
		if strings.ContainsAny(msg, "\n\r") {
			t.Fatalf("job error is not one line: %q", msg)
		}
		_, _ = startedSince(j, time.Time{}, true), startedSince(j, time.Time{}, false)
	})
}

// FuzzDataSource: a polymorphic data source (any SourceConnectionInfo type,
// unknown fields, odd JDBC strings) decodes, and reading its connection
// details never panics; a port read from a JDBC string is a TCP port.
func FuzzDataSource(f *testing.F) {
	f.Add([]byte(`{"type":"JSDataSource","name":"patients","container":"APPDATA_CONTAINER-2","runtime":{"type":"JSDataSourceRuntime","connectionInfo":{"type":"OracleConnectionInfo","host":"h","port":1521,"jdbcString":"jdbc:oracle:thin:@h:1521:ORCL"}}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var ds DataSource
		if json.Unmarshal(sanitizeJSON(raw), &ds) != nil {
			return
		}
		rt := ds.Runtime
		_, _, _ = rt.Platform(), rt.HostName(), rt.Database()
		_ = rt.JDBC()
		if port, ok := rt.PortNumber(); ok && rt.Port == nil && (port <= 0 || port > 65535) {
			t.Fatalf("port %d out of range from %q", port, raw)
		}
	})
}

// FuzzClosestNames: suggestions are names that exist, at most three, the
// nearest first; an exact match is found.
func FuzzClosestNames(f *testing.F) {
	f.Add("Patients Mask Master", "Patients Masked Master\nPatients Prod\nprep1 DB")
	f.Fuzz(func(t *testing.T, name, list string) {
		if !utf8.ValidString(name) || !utf8.ValidString(list) {
			return
		}
		names := strings.Split(list, "\n")
		got, err := FindByName("database", name, names, func(s *string) string { return *s }, func(s *string) string { return "REF-" + *s })
		var ne *NameError
		switch {
		case err == nil:
			if *got != name {
				t.Fatalf("found %q for %q", *got, name)
			}
		case errors.As(err, &ne):
			if len(ne.Suggestions) > 3 {
				t.Fatalf("%d suggestions", len(ne.Suggestions))
			}
			prev := -1
			for _, s := range ne.Suggestions {
				if !containsString(names, s) {
					t.Fatalf("suggestion %q is not a name", s)
				}
				d := httpapi.Distance(strings.ToLower(name), strings.ToLower(s))
				if d < prev {
					t.Fatalf("suggestions not nearest first: %q", ne.Suggestions)
				}
				prev = d
			}
			if msg := err.Error(); strings.Contains(msg, "\n") && !strings.Contains(name+list, "\n") {
				t.Fatalf("message not one line: %q", msg)
			}
		default:
			t.Fatalf("unexpected error %v", err)
		}
		if d := httpapi.Distance(name, name); d != 0 {
			t.Fatalf("distance to itself %d", d)
		}
		if len(names) > 0 {
			a, b := httpapi.Distance(name, names[0]), httpapi.Distance(names[0], name)
			if a != b || a > max(utf8.RuneCountInString(name), utf8.RuneCountInString(names[0])) {
				t.Fatalf("distance %q %q: %d, %d", name, names[0], a, b)
			}
		}
	})
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

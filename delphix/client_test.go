package delphix

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/require"
)

// sent records every request body the client sends to engines at the
// schema's version, so TestMain can check them against the schema.
var sent struct {
	sync.Mutex
	bodies []sentBody
	paused bool // while a test sends an invalid body on purpose
}

type sentBody struct {
	path string
	body []byte
}

type recorder struct {
	next   http.RoundTripper
	record bool
}

func (r recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if r.record && req.Body != nil {
		b, _ := io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(b))
		sent.Lock()
		if !sent.paused {
			sent.bodies = append(sent.bodies, sentBody{req.URL.Path, b})
		}
		sent.Unlock()
	}
	return r.next.RoundTrip(req)
}

// setup starts a local engine with opts (fast jobs by default) and a client
// for it that is not logged in yet.
func setup(t *testing.T, opts engine.Options, copts ...Option) (*Client, *engine.Engine) {
	t.Helper()
	e := enginetest.Start(t, opts)
	record := opts.APIVersion == "" || opts.APIVersion == "1.11.9"
	hc := &http.Client{Transport: recorder{next: http.DefaultTransport, record: record}, Timeout: 30 * time.Second}
	base := []Option{WithHTTPClient(hc), WithBackoff(time.Millisecond, 5*time.Millisecond), WithWaitIntervals(5*time.Millisecond, 50*time.Millisecond, 5*time.Second)}
	c, err := NewClient(e.URL(), append(base, copts...)...)
	require.NoError(t, err)
	return c, e
}

// loggedIn is setup plus a login as the workshop admin.
func loggedIn(t *testing.T, opts engine.Options, copts ...Option) (*Client, *engine.Engine) {
	t.Helper()
	c, e := setup(t, opts, copts...)
	require.NoError(t, c.Login(t.Context(), "delphix_admin", "landshark"))
	return c, e
}

func requestLines(e *engine.Engine) []string {
	var out []string
	for _, r := range e.Requests() {
		out = append(out, r.Method+" "+strings.TrimPrefix(r.Path, BasePath))
	}
	return out
}

// selfServiceVersions covers both path prefixes and both body styles:
// /jetstream with empty bodies (1.8), /jetstream typed (1.9), /selfservice (1.11).
var selfServiceVersions = []string{"1.8.0", "1.9.0", "1.11.9"}

func wait(t *testing.T, c *Client, op Operation, err error) {
	t.Helper()
	require.NoError(t, err)
	_, err = c.Wait(t.Context(), op, nil)
	require.NoError(t, err)
}

func pod(t *testing.T, c *Client, name string) *Container {
	t.Helper()
	p, err := c.Containers.FindByName(t.Context(), "", name)
	require.NoError(t, err)
	return p
}

func syncProd(t *testing.T, c *Client) (*Database, Operation) {
	t.Helper()
	db, err := c.Databases.FindByName(t.Context(), "Patients Prod")
	require.NoError(t, err)
	op, err := c.Databases.Sync(t.Context(), db)
	require.NoError(t, err)
	require.NotEmpty(t, op.Job)
	return db, op
}

// testAPI calls the local engine's test API, as the application would
// change its own database.
func testAPI(t *testing.T, e *engine.Engine, method, path, body string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, e.TestAPIURL()+path, strings.NewReader(body))
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Less(t, resp.StatusCode, 300, "%s %s", method, path)
}

// TestMain checks, after the tests, that every request body the client
// sent to a 1.11.9 engine names a concrete type of the 1.11.9 schema, with
// only that type's fields and all of its required ones.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if problems := checkSentBodies(); len(problems) > 0 {
			fmt.Fprintln(os.Stderr, "request bodies that do not match schema 1.11.9:")
			for _, p := range problems {
				fmt.Fprintln(os.Stderr, "  "+p)
			}
			code = 1
		}
	}
	os.Exit(code)
}

func checkSentBodies() []string {
	raw, err := os.ReadFile("../../shared/reference/engine/schema-1.11.9.json")
	if err != nil {
		if os.Getenv("CI") == "true" {
			return []string{"schema missing: " + err.Error()}
		}
		fmt.Fprintln(os.Stderr, "schema not found beside the repository; request bodies not checked")
		return nil
	}
	var s struct{ Types map[string]schemaType }
	if err := json.Unmarshal(raw, &s); err != nil {
		return []string{err.Error()}
	}
	sent.Lock()
	defer sent.Unlock()
	var problems []string
	seen := map[string]bool{}
	for _, b := range sent.bodies {
		var v any
		if json.Unmarshal(b.body, &v) != nil {
			problems = append(problems, b.path+": not JSON")
			continue
		}
		// A POST to /source/{ref} updates the source: the engine takes a
		// partial object, so the fields required on creation may be left out.
		update := regexp.MustCompile(`/source/[^/]+$`).MatchString(b.path)
		for _, p := range checkObject(s.Types, b.path, v, update) {
			if !seen[p] {
				seen[p] = true
				problems = append(problems, p)
			}
		}
	}
	return problems
}

// checkObject checks v and every typed object nested in it; partial
// leaves out the required-field check for v itself (an update).
func checkObject(types map[string]schemaType, where string, v any, partial bool) []string {
	var problems []string
	switch v := v.(type) {
	case []any:
		for _, item := range v {
			problems = append(problems, checkObject(types, where, item, false)...)
		}
	case map[string]any:
		name, typedObj := v["type"].(string)
		if typedObj {
			st, ok := types[name]
			switch {
			case !ok:
				problems = append(problems, fmt.Sprintf("%s: type %s is not in the schema", where, name))
			case st.Abstract:
				problems = append(problems, fmt.Sprintf("%s: type %s is abstract", where, name))
			default:
				for field := range v {
					if _, ok := st.Fields[field]; !ok {
						problems = append(problems, fmt.Sprintf("%s: %s has no field %q", where, name, field))
					}
				}
				for field, f := range st.Fields {
					if _, ok := v[field]; !ok && !partial && (f.Required || f.Create == "required") && field != "type" {
						problems = append(problems, fmt.Sprintf("%s: %s lacks required field %q", where, name, field))
					}
				}
			}
		}
		for k, item := range v {
			if typedObj || k != "" {
				problems = append(problems, checkObject(types, where+"."+k, item, false)...)
			}
		}
	}
	return problems
}

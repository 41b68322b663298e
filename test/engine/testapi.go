package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// The test-only admin API under /dxsteps-test/v1 (no login): read and change datasets, change
// production, inject faults, read the request log, expire sessions. Names are path-escaped.

// testError is a test API failure with its HTTP status.
type testError struct {
	status int
	msg    string
}

func (t *testError) Error() string { return t.msg }

func notFound(format string, a ...any) error {
	return &testError{http.StatusNotFound, fmt.Sprintf(format, a...)}
}

func badRequest(format string, a ...any) error {
	return &testError{http.StatusBadRequest, fmt.Sprintf(format, a...)}
}

func (e *Engine) test(pattern string, h func(r *http.Request, body []byte) (any, error)) {
	method, path, _ := splitPattern(pattern)
	e.mux.HandleFunc(method+" "+testBase+path, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 4<<20))
		e.mu.Lock()
		res, err := h(r, body)
		e.mu.Unlock()
		var te *testError
		switch {
		case errors.As(err, &te):
			writeJSON(w, te.status, obj{"error": te.msg})
		case err != nil:
			writeJSON(w, http.StatusInternalServerError, obj{"error": err.Error()})
		default:
			writeJSON(w, http.StatusOK, res)
		}
	})
}

func splitPattern(p string) (string, string, bool) {
	for i := range p {
		if p[i] == ' ' {
			return p[:i], p[i+1:], true
		}
	}
	return "", p, false
}

func (e *Engine) testRoutes() {
	e.test("GET /datasets", func(*http.Request, []byte) (any, error) { return e.datasetList(), nil })
	e.test("GET /datasets/{name}", func(r *http.Request, _ []byte) (any, error) { return e.datasetNamed(r.PathValue("name")) })
	e.test("PUT /datasets/{name}/contents", e.putContents)
	e.test("POST /datasets/{name}/rows", e.appendRows)
	e.test("DELETE /datasets/{name}/rows", func(r *http.Request, _ []byte) (any, error) {
		return e.changeDataset(r.PathValue("name"), func(c *Contents) error { c.Rows = []Row{}; return nil })
	})
	e.test("POST /datasets/{name}/accounts/{account}", e.postAccount)
	e.test("POST /prod/change", func(_ *http.Request, body []byte) (any, error) {
		var in struct{ Database string }
		if err := json.Unmarshal(body, &in); err != nil {
			return nil, badRequest("body: %v", err)
		}
		return e.changeProd(in.Database)
	})
	e.test("POST /faults", e.postFaults)
	e.test("GET /catalog", func(*http.Request, []byte) (any, error) { return e.catalog(), nil })
	e.test("GET /requests", func(*http.Request, []byte) (any, error) {
		out := []RequestRecord{}
		for _, r := range e.requests {
			out = append(out, *r)
		}
		return out, nil
	})
	e.test("DELETE /requests", func(*http.Request, []byte) (any, error) { e.requests = nil; return obj{}, nil })
	e.test("POST /sessions/expire", func(*http.Request, []byte) (any, error) { clear(e.sessions); return obj{}, nil })
}

// datasetContents finds a dataset's live contents, its kind and reference. A container's
// contents are its active branch's (its VDB's); a template's are its data source VDB's.
func (e *Engine) datasetContents(name string) (*dbContainer, string, string, bool) {
	for _, c := range e.containers {
		if c.name == name {
			return c.ds.db, "container", c.ref, true
		}
	}
	for _, t := range e.templates {
		if t.name == name {
			return t.ds.db, "template", t.ref, true
		}
	}
	if d := e.dbByName(name); d != nil {
		kind := "vdb"
		if d.parent == nil {
			kind = "dsource"
		}
		return d, kind, d.ref, true
	}
	return nil, "", "", false
}

func (e *Engine) datasetList() []obj {
	out := []obj{}
	for _, d := range e.dbs {
		_, kind, ref, _ := e.datasetContents(d.name)
		out = append(out, obj{"name": d.name, "kind": kind, "reference": ref})
	}
	for _, t := range e.templates {
		out = append(out, obj{"name": t.name, "kind": "template", "reference": t.ref})
	}
	for _, c := range e.containers {
		out = append(out, obj{"name": c.name, "kind": "container", "reference": c.ref})
	}
	return out
}

func (e *Engine) datasetNamed(name string) (Dataset, error) {
	d, kind, ref, ok := e.datasetContents(name)
	if !ok {
		return Dataset{}, notFound("no dataset named %q", name)
	}
	return Dataset{Name: name, Kind: kind, Reference: ref, Contents: *d.contents.Clone(), Connection: d.conn}, nil
}

// Dataset returns a dataset (dSource, VDB, container or template) by name, as the test API
// shows it; the contents are a copy.
func (e *Engine) Dataset(name string) (Dataset, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	ds, err := e.datasetNamed(name)
	return ds, err == nil
}

// changeDataset applies f to a dataset's live contents (templates are read-only).
func (e *Engine) changeDataset(name string, f func(*Contents) error) (any, error) {
	d, kind, _, ok := e.datasetContents(name)
	if !ok {
		return nil, notFound("no dataset named %q", name)
	}
	if kind == "template" {
		return nil, badRequest("template %q is read-only: change its data source VDB %q", name, d.name)
	}
	if err := f(d.contents); err != nil {
		return nil, err
	}
	return e.datasetNamed(name)
}

func (e *Engine) putContents(r *http.Request, body []byte) (any, error) {
	var in struct {
		Rows          *[]Row     `json:"rows"`
		Accounts      *[]Account `json:"accounts"`
		SubsetPercent *int       `json:"subsetPercent"`
		Masked        *bool      `json:"masked"`
		DataVersion   *int       `json:"dataVersion"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, badRequest("body: %v", err)
	}
	return e.changeDataset(r.PathValue("name"), func(c *Contents) error {
		if in.Rows != nil {
			c.Rows = append([]Row{}, *in.Rows...)
		}
		if in.Accounts != nil {
			c.Accounts = append([]Account{}, *in.Accounts...)
		}
		if in.SubsetPercent != nil {
			c.SubsetPercent = *in.SubsetPercent
		}
		if in.Masked != nil {
			c.Masked = *in.Masked
		}
		if in.DataVersion != nil {
			c.DataVersion = *in.DataVersion
		}
		return nil
	})
}

func (e *Engine) appendRows(r *http.Request, body []byte) (any, error) {
	var rows []Row
	if err := json.Unmarshal(body, &rows); err != nil {
		return nil, badRequest("body: want a list of rows: %v", err)
	}
	return e.changeDataset(r.PathValue("name"), func(c *Contents) error {
		c.Rows = append(c.Rows, rows...)
		return nil
	})
}

func (e *Engine) postAccount(r *http.Request, body []byte) (any, error) {
	var in struct{ Action, Password string }
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, badRequest("body: %v", err)
	}
	acct := r.PathValue("account")
	return e.changeDataset(r.PathValue("name"), func(c *Contents) error {
		if c.Account(acct) == nil {
			return notFound("dataset %q has no account %q", r.PathValue("name"), acct)
		}
		if err := c.ApplyAccount(acct, in.Action, in.Password); err != nil {
			return badRequest("%v", err)
		}
		return nil
	})
}

func (e *Engine) changeProd(name string) (any, error) {
	d := e.dbByName(name)
	if d == nil || d.parent != nil {
		return nil, notFound("no dSource named %q", name)
	}
	d.contents.ChangeProd()
	return e.datasetNamed(name)
}

// ChangeProd simulates production activity on a dSource: dataVersion+1, rows change.
func (e *Engine) ChangeProd(name string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, err := e.changeProd(name)
	return err
}

func (e *Engine) postFaults(_ *http.Request, body []byte) (any, error) {
	var in struct {
		FailNextJob    *JobFault            `json:"failNextJob"`
		HTTPError      *HTTPFault           `json:"httpError"`
		ContainerState *ContainerStateFault `json:"containerState"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, badRequest("body: %v", err)
	}
	if in.FailNextJob != nil {
		e.addJobFault(*in.FailNextJob)
	}
	if in.HTTPError != nil {
		e.addHTTPFault(*in.HTTPError)
	}
	if f := in.ContainerState; f != nil {
		for _, c := range e.containers {
			if c.name == f.Container || c.ref == f.Container {
				c.state = f.State
				return obj{}, nil
			}
		}
		return nil, notFound("no container %q", f.Container)
	}
	return obj{}, nil
}

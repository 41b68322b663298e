// Package testhttp serves the local engine's test API (below testapi.Path, no login), a
// thin HTTP layer over a Backend: read and change datasets, change production, inject
// faults (HTTP faults by path or at random, job failures, container states) and read the
// faults done, read the request log, expire sessions. Names in paths are path-escaped.
//
// The engine API (package engine) and the DCT API (package dctapi) are two more layers
// over the same state.
package testhttp

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/dxsteps/dxsteps/test/engine/internal/model"
	"github.com/dxsteps/dxsteps/test/testapi"
)

// Backend is the engine state the test API reads and changes. Each method is atomic.
type Backend interface {
	Datasets() []model.DatasetRef
	Dataset(name string) (model.Dataset, bool)
	// ChangeDataset applies f to a dataset's live contents and returns the dataset after.
	ChangeDataset(name string, f func(*model.Contents) error) (model.Dataset, error)
	ChangeProd(database string) error
	FailNextJob(model.JobFault)
	InjectHTTPError(model.HTTPFault) error
	SetRandomFaults(model.RandomFaults) error
	Faults() []model.FaultRecord
	SetContainerState(container, state string) error
	Catalog() []model.CatalogEntry
	Requests() []model.RequestRecord
	ClearRequests()
	ExpireSessions()
}

// Register adds the test API's routes over b to mux.
func Register(mux *http.ServeMux, b Backend) {
	route := func(pattern string, h func(r *http.Request, body []byte) (any, error)) {
		method, path, _ := strings.Cut(pattern, " ")
		mux.HandleFunc(method+" "+testapi.Path+path, func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(io.LimitReader(r.Body, 4<<20))
			res, err := h(r, body)
			var me *model.Error
			switch {
			case errors.As(err, &me) && me.NotFound:
				write(w, http.StatusNotFound, map[string]any{"error": me.Msg})
			case errors.As(err, &me):
				write(w, http.StatusBadRequest, map[string]any{"error": me.Msg})
			case err != nil:
				write(w, http.StatusInternalServerError, map[string]any{"error": err.Error()})
			default:
				write(w, http.StatusOK, res)
			}
		})
	}
	empty := map[string]any{}
	change := func(f func(r *http.Request, body []byte) (func(*model.Contents) error, error)) func(*http.Request, []byte) (any, error) {
		return func(r *http.Request, body []byte) (any, error) {
			apply, err := f(r, body)
			if err != nil {
				return nil, err
			}
			return b.ChangeDataset(r.PathValue("name"), apply)
		}
	}
	route("GET /datasets", func(*http.Request, []byte) (any, error) { return b.Datasets(), nil })
	route("GET /datasets/{name}", func(r *http.Request, _ []byte) (any, error) {
		d, ok := b.Dataset(r.PathValue("name"))
		if !ok {
			return nil, model.NotFound("no dataset named %q", r.PathValue("name"))
		}
		return d, nil
	})
	route("PUT /datasets/{name}/contents", change(putContents))
	route("POST /datasets/{name}/rows", change(appendRows))
	route("DELETE /datasets/{name}/rows", change(func(*http.Request, []byte) (func(*model.Contents) error, error) {
		return func(c *model.Contents) error { c.Rows = []model.Row{}; return nil }, nil
	}))
	route("POST /datasets/{name}/accounts/{account}", change(postAccount))
	route("POST /prod/change", func(_ *http.Request, body []byte) (any, error) {
		var in struct{ Database string }
		if err := json.Unmarshal(body, &in); err != nil {
			return nil, model.Invalid("body: %v", err)
		}
		if err := b.ChangeProd(in.Database); err != nil {
			return nil, err
		}
		d, _ := b.Dataset(in.Database)
		return d, nil
	})
	route("POST /faults", func(_ *http.Request, body []byte) (any, error) {
		var in struct {
			FailNextJob    *model.JobFault            `json:"failNextJob"`
			HTTPError      *model.HTTPFault           `json:"httpError"`
			Random         *model.RandomFaults        `json:"random"`
			ContainerState *model.ContainerStateFault `json:"containerState"`
		}
		if err := json.Unmarshal(body, &in); err != nil {
			return nil, model.Invalid("body: %v", err)
		}
		if in.FailNextJob != nil {
			b.FailNextJob(*in.FailNextJob)
		}
		if in.HTTPError != nil {
			if err := b.InjectHTTPError(*in.HTTPError); err != nil {
				return nil, err
			}
		}
		if in.Random != nil {
			if err := b.SetRandomFaults(*in.Random); err != nil {
				return nil, err
			}
		}
		if f := in.ContainerState; f != nil {
			if err := b.SetContainerState(f.Container, f.State); err != nil {
				return nil, err
			}
		}
		return empty, nil
	})
	route("GET /faults", func(*http.Request, []byte) (any, error) { return b.Faults(), nil })
	route("GET /catalog", func(*http.Request, []byte) (any, error) { return b.Catalog(), nil })
	route("GET /requests", func(*http.Request, []byte) (any, error) { return b.Requests(), nil })
	route("DELETE /requests", func(*http.Request, []byte) (any, error) { b.ClearRequests(); return empty, nil })
	route("POST /sessions/expire", func(*http.Request, []byte) (any, error) { b.ExpireSessions(); return empty, nil })
}

func putContents(_ *http.Request, body []byte) (func(*model.Contents) error, error) {
	var in struct {
		Rows          *[]model.Row     `json:"rows"`
		Accounts      *[]model.Account `json:"accounts"`
		SubsetPercent *int             `json:"subsetPercent"`
		Masked        *bool            `json:"masked"`
		DataVersion   *int             `json:"dataVersion"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, model.Invalid("body: %v", err)
	}
	return func(c *model.Contents) error {
		if in.Rows != nil {
			c.Rows = append([]model.Row{}, *in.Rows...)
		}
		if in.Accounts != nil {
			c.Accounts = append([]model.Account{}, *in.Accounts...)
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
	}, nil
}

func appendRows(_ *http.Request, body []byte) (func(*model.Contents) error, error) {
	var rows []model.Row
	if err := json.Unmarshal(body, &rows); err != nil {
		return nil, model.Invalid("body: want a list of rows: %v", err)
	}
	return func(c *model.Contents) error { c.Rows = append(c.Rows, rows...); return nil }, nil
}

func postAccount(r *http.Request, body []byte) (func(*model.Contents) error, error) {
	var in struct{ Action, Password string }
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, model.Invalid("body: %v", err)
	}
	name, acct := r.PathValue("name"), r.PathValue("account")
	return func(c *model.Contents) error {
		if c.Account(acct) == nil {
			return model.NotFound("dataset %q has no account %q", name, acct)
		}
		if err := c.ApplyAccount(acct, in.Action, in.Password); err != nil {
			return model.Invalid("%v", err)
		}
		return nil
	}, nil
}

func write(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

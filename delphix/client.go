// Package delphix is a client for the classic Delphix engine web services
// (/resources/json/delphix, API 1.8 to 1.11), including Jet Stream self-service.
//
// A Client is built without network I/O; Login opens the session. Every call
// takes a context first and returns typed values or an error that works with
// errors.Is (ErrNotFound, ErrUnauthorized, ErrForbidden, ErrConflict) and
// errors.As (*APIError, *JobError).
//
// The package never reads the environment and never prints.
package delphix

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dxsteps/dxsteps/internal/httpapi"
	retryablehttp "github.com/hashicorp/go-retryablehttp"
)

// BasePath is where the engine serves its web services.
const BasePath = "/resources/json/delphix"

// maxBody bounds how much of a response body the client reads.
const maxBody = 64 << 20

// Client talks to one Delphix engine. It is safe for concurrent use once
// logged in.
type Client struct {
	base   *url.URL
	http   *retryablehttp.Client
	jar    http.CookieJar
	common service

	mu         sync.Mutex
	version    APIVersion // negotiated session version; zero before Login
	pinned     APIVersion // version asked for by WithAPIVersion
	hint       APIVersion // version tried first, from WithAPIVersionHint
	user, pass string     // kept for re-logins after a lost session
	userRef    string     // the logged-in user's reference, from the login answer
	logins     uint64     // successful logins: a new one means a new session
	clientName string
	seen       engineClock // the engine's clock, from its last answer

	loginMu sync.Mutex // one login at a time
	wait    waitSettings

	About         *AboutService
	Actions       *ActionsService
	Bookmarks     *BookmarksService
	Branches      *BranchesService
	Containers    *ContainersService
	DataSources   *DataSourcesService
	Databases     *DatabasesService
	Jobs          *JobsService
	MaskingJobs   *MaskingJobsService
	Notifications *NotificationsService
	Operations    *DataOperationsService
	Snapshots     *SnapshotsService
	Sources       *SourcesService
	Templates     *TemplatesService
	Users         *UsersService
}

type service struct{ client *Client }

// NewClient returns a client for the engine at baseURL (for example
// "https://delphix.example.com"). It does no network I/O.
func NewClient(baseURL string, opts ...Option) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("delphix: engine URL %q must look like https://host[:port]", baseURL)
	}
	o := clientOptions{Transport: httpapi.NewTransport(), clientName: "dxsteps",
		wait: waitSettings{min: time.Second, max: 10 * time.Second, notifyTimeout: 50 * time.Second}}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	jar, _ := cookiejar.New(nil)
	c := &Client{base: u, jar: jar, pinned: o.version, hint: o.hint, clientName: o.clientName, wait: o.wait}
	c.http = o.Client(retryPolicy)
	c.http.HTTPClient.Jar = jar
	c.common.client = c
	c.About = (*AboutService)(&c.common)
	c.Actions = (*ActionsService)(&c.common)
	c.Bookmarks = (*BookmarksService)(&c.common)
	c.Branches = (*BranchesService)(&c.common)
	c.Containers = (*ContainersService)(&c.common)
	c.DataSources = (*DataSourcesService)(&c.common)
	c.Databases = (*DatabasesService)(&c.common)
	c.Jobs = (*JobsService)(&c.common)
	c.MaskingJobs = (*MaskingJobsService)(&c.common)
	c.Notifications = (*NotificationsService)(&c.common)
	c.Operations = (*DataOperationsService)(&c.common)
	c.Snapshots = (*SnapshotsService)(&c.common)
	c.Sources = (*SourcesService)(&c.common)
	c.Templates = (*TemplatesService)(&c.common)
	c.Users = (*UsersService)(&c.common)
	return c, nil
}

// loginCount is how many times the client has logged in: it changes when
// the session does.
func (c *Client) loginCount() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.logins
}

// BaseURL is the engine address the client was built with.
func (c *Client) BaseURL() string { return c.base.String() }

// APIVersion is the session's negotiated API version (zero before Login).
func (c *Client) APIVersion() APIVersion {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.version
}

// Result is what an engine call returned besides its result value: the job
// and action it started, if any.
type Result struct {
	Job    string
	Action string
}

// Operation is what an engine call that starts work returns: the reference
// of a created object (if any), the job, and the action.
type Operation struct {
	Reference string
	Job       string
	Action    string
	// Recovered is true when the answer that started the work was lost and
	// the job (or object) was found on the engine instead.
	Recovered bool
}

// envelope is the CallResult family: OKResult, ListResult, ErrorResult.
type envelope struct {
	Type   string          `json:"type"`
	Status string          `json:"status"`
	Result json.RawMessage `json:"result"`
	Job    *string         `json:"job"`
	Action *string         `json:"action"`
	Error  *APIError       `json:"error"`
}

// maxRelogins bounds how often one call re-establishes a lost session.
const maxRelogins = 3

// call sends one request and decodes the envelope's result into out (when
// out is non-nil). A lost session (401/403 with a non-JSON body: the engine
// did not act on the request) is re-established with a new session and a
// new login, and the request repeated, at most maxRelogins times; from the
// second loss in a row on, after a pause (see pauseAfterLoss).
func (c *Client) call(ctx context.Context, method, path string, body, out any) (Result, error) {
	res, err := c.send(ctx, method, path, body, out)
	if path == "/login" || path == "/session" {
		return res, err
	}
	for i := 1; errors.Is(err, errSessionLost) && i <= maxRelogins; i++ {
		if i > 1 {
			if perr := c.pauseAfterLoss(ctx, i); perr != nil {
				return Result{}, perr
			}
		}
		if lerr := c.relogin(ctx); lerr != nil {
			return Result{}, lerr
		}
		res, err = c.send(ctx, method, path, body, out)
	}
	if errors.Is(err, errSessionLost) {
		return Result{}, &SessionLostError{Method: method, Path: path, Times: maxRelogins + 1}
	}
	return res, err
}

func (c *Client) send(ctx context.Context, method, path string, body, out any) (Result, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return Result{}, fmt.Errorf("delphix: encode %s %s: %w", method, path, err)
		}
		rd = bytes.NewReader(b)
	}
	ctx = retryPolicy.WithRetrySafety(ctx, method, path)
	req, err := retryablehttp.NewRequestWithContext(ctx, method, c.base.String()+BasePath+path, rd)
	if err != nil {
		return Result{}, fmt.Errorf("delphix: %s %s: %w", method, path, err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return Result{}, ctx.Err()
		}
		if refused := (*httpapi.RefusedError)(nil); errors.As(err, &refused) {
			return Result{}, refused // never sent: not unreachable, nothing to recover
		}
		if httpapi.PlainHTTP(err) {
			err = fmt.Errorf("%w: use http://%s", ErrPlainHTTP, c.base.Host+c.base.Path)
		}
		return Result{}, &UnreachableError{Method: method, Path: path, Err: err}
	}
	defer resp.Body.Close()
	c.seen.note(resp.Header.Get("Date"))
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return Result{}, &UnreachableError{Method: method, Path: path, Err: err}
	}
	return decodeResponse(method, path, resp.StatusCode, raw, out)
}

// decodeResponse is the one place that turns an HTTP answer into a result
// or an error: the envelope's status decides first (an ErrorResult is an
// error whatever the HTTP status), then the HTTP status.
func decodeResponse(method, path string, status int, raw []byte, out any) (Result, error) {
	var env envelope
	if jerr := json.Unmarshal(sanitizeJSON(raw), &env); jerr != nil || env.Type == "" {
		switch {
		case status == http.StatusUnauthorized || status == http.StatusForbidden:
			return Result{}, errSessionLost
		case status >= 500 || status == http.StatusTooManyRequests:
			return Result{}, &UnreachableError{Method: method, Path: path, Status: status}
		default:
			return Result{}, &APIError{Method: method, Path: path, HTTPStatus: status, ID: "response.invalid",
				Details: mustJSON(fmt.Sprintf("the engine answered HTTP %d with a body that is not a Delphix result: %.120q", status, raw))}
		}
	}
	if env.Status == "ERROR" || env.Type == "ErrorResult" {
		e := env.Error
		if e == nil {
			e = &APIError{ID: "response.error", Details: mustJSON("the engine answered ERROR without details")}
		}
		e.Method, e.Path, e.HTTPStatus = method, path, status
		return Result{}, e
	}
	if status >= 300 {
		return Result{}, &APIError{Method: method, Path: path, HTTPStatus: status, ID: "response.status",
			Details: mustJSON(fmt.Sprintf("unexpected HTTP status %d", status))}
	}
	res := Result{Job: deref(env.Job), Action: deref(env.Action)}
	if out != nil && len(env.Result) > 0 && string(env.Result) != "null" {
		if err := json.Unmarshal(env.Result, out); err != nil {
			return res, fmt.Errorf("delphix: decode result of %s %s: %w", method, path, err)
		}
	}
	return res, nil
}

// sanitizeJSON escapes raw control characters (engines send raw TABs) that
// appear inside JSON strings, which encoding/json rejects. Bytes outside
// strings are left alone. It returns raw itself when nothing needs fixing.
func sanitizeJSON(raw []byte) []byte {
	var out []byte
	inString, escaped := false, false
	for i, b := range raw {
		switch {
		case escaped:
			escaped = false
		case inString && b == '\\':
			escaped = true
		case b == '"':
			inString = !inString
		case inString && b < 0x20:
			if out == nil {
				out = append(make([]byte, 0, len(raw)+16), raw[:i]...)
			}
			out = append(out, `\u00`...)
			out = append(out, hexDigit(b>>4), hexDigit(b&0xf))
			continue
		}
		if out != nil {
			out = append(out, b)
		}
	}
	if out == nil {
		return raw
	}
	return out
}

func hexDigit(b byte) byte { return strconv.FormatInt(int64(b), 16)[0] }

// start POSTs an operation and returns what it started.
func (c *Client) start(ctx context.Context, path string, body any) (Operation, error) {
	var ref string
	var raw json.RawMessage
	res, err := c.call(ctx, "POST", path, body, &raw)
	if err != nil {
		return Operation{}, err
	}
	_ = json.Unmarshal(raw, &ref) // a created object's reference, or ""
	return Operation{Reference: ref, Job: res.Job, Action: res.Action}, nil
}

// typed is a JSON object built for the wire.
type typed map[string]any

func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// selfService returns the self-service (Jet Stream) path prefix for the
// session's version: /jetstream before API 1.10, /selfservice from 1.10.
func (c *Client) selfService() string {
	if c.APIVersion().AtLeast(1, 10, 0) {
		return "/selfservice"
	}
	return "/jetstream"
}

// Wait follows what op started to its end: its job if it has one, else its
// action. It returns the job (nil when there was none).
func (c *Client) Wait(ctx context.Context, op Operation, progress func(Progress)) (*Job, error) {
	switch {
	case op.Job != "":
		return c.Jobs.Wait(ctx, op.Job, progress)
	case op.Action != "":
		_, err := c.Actions.Wait(ctx, op.Action)
		return nil, err
	}
	return nil, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func mustJSON(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}

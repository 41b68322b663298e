package dct

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/dxsteps/dxsteps/internal/httpapi"
	retryablehttp "github.com/hashicorp/go-retryablehttp"
)

// DefaultBasePath is where DCT serves API v3 (the spec's server entry).
// Older installations also answer on "/v3"; see WithBasePath.
const DefaultBasePath = "/dct/v3"

// maxBody bounds how much of a response body the client reads.
const maxBody = 64 << 20

// Client talks to one Data Control Tower. It is safe for concurrent use.
type Client struct {
	base       *url.URL // scheme and host, without the base path
	basePath   string
	http       *retryablehttp.Client
	auth       string // the Authorization header value; never printed
	secret     string // the key without its "apk " prefix, for redaction
	clientName string
	wait       waitSettings
	common     service

	Bookmarks      *BookmarksService
	ComplianceJobs *ComplianceJobsService
	DSources       *DSourcesService
	Jobs           *JobsService
	Snapshots      *SnapshotsService
	Timeflows      *TimeflowsService
	VDBGroups      *VDBGroupsService
	VDBs           *VDBsService
}

type service struct{ client *Client }

// NewClient returns a client for the DCT at baseURL, for example
// "https://dct.example.com". A URL whose path ends in /v3
// ("https://dct.example.com/dct/v3") sets the base path too. It does no
// network I/O; the API key, which every DCT call needs, is given with
// WithAPIKey.
func NewClient(baseURL string, opts ...Option) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return nil, fmt.Errorf("dct: URL %q must look like https://host[:port]", baseURL)
	}
	o := clientOptions{Transport: httpapi.NewTransport(), basePath: DefaultBasePath,
		clientName: "dxsteps", wait: waitSettings{min: time.Second, max: 10 * time.Second}}
	switch {
	case u.Path == "":
	case strings.HasSuffix(u.Path, "/v3"):
		o.basePath = u.Path
	default:
		return nil, fmt.Errorf("dct: URL %q must look like https://host[:port] (or end in /dct/v3)", baseURL)
	}
	u.Path = ""
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	if o.auth == "" {
		return nil, errors.New("dct: an API key is required (WithAPIKey)")
	}
	c := &Client{base: u, basePath: o.basePath, auth: o.auth, secret: o.secret, clientName: o.clientName, wait: o.wait}
	c.http = o.Client(retryPolicy)
	c.common.client = c
	c.Bookmarks = (*BookmarksService)(&c.common)
	c.ComplianceJobs = (*ComplianceJobsService)(&c.common)
	c.DSources = (*DSourcesService)(&c.common)
	c.Jobs = (*JobsService)(&c.common)
	c.Snapshots = (*SnapshotsService)(&c.common)
	c.Timeflows = (*TimeflowsService)(&c.common)
	c.VDBGroups = (*VDBGroupsService)(&c.common)
	c.VDBs = (*VDBsService)(&c.common)
	return c, nil
}

// BaseURL is the DCT address with its base path, e.g. https://dct.example.com/dct/v3.
func (c *Client) BaseURL() string { return c.base.String() + c.basePath }

// noBody marks a request sent without a body (the spec declares none).
var noBody any

// emptyBody is "{}": an optional body sent empty, meaning "defaults".
var emptyBody = struct{}{}

// do sends one request to path (relative to the base path) with query q
// and the JSON of body (none when body is nil), and decodes a 2xx answer
// into out when out is non-nil.
func (c *Client) do(ctx context.Context, method, path string, q url.Values, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("dct: encode %s %s: %w", method, path, err)
		}
		rd = bytes.NewReader(b)
	}
	ctx = retryPolicy.WithRetrySafety(ctx, method, path)
	target := c.base.String() + c.basePath + path
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return fmt.Errorf("dct: %s %s: %w", method, path, err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", c.auth)
	req.Header.Set("User-Agent", "dxsteps")
	if c.clientName != "" {
		req.Header.Set("x-dct-client-name", c.clientName)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if refused := (*httpapi.RefusedError)(nil); errors.As(err, &refused) {
			return refused // never sent: not unreachable, nothing to recover
		}
		started := !httpapi.RetrySafe(ctx) && !httpapi.IsDialError(err) && !httpapi.IsPermanentTransportError(err)
		if httpapi.PlainHTTP(err) {
			err = fmt.Errorf("%w: use http://%s", ErrPlainHTTP, c.base.Host)
		}
		return &UnreachableError{Method: method, Path: path, Err: err, MayHaveStarted: started}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return &UnreachableError{Method: method, Path: path, Err: err, MayHaveStarted: !httpapi.RetrySafe(ctx)}
	}
	err = decodeResponse(method, path, resp.StatusCode, raw, out)
	switch e := err.(type) {
	case *APIError:
		e.redact(c.secret)
	case *UnreachableError:
		e.MayHaveStarted = !httpapi.RetrySafe(ctx) && e.Status != http.StatusTooManyRequests
	}
	return err
}

// decodeResponse is the one place that turns an HTTP answer into a value
// or an error: 2xx decodes into out; anything else is an *APIError, or an
// *UnreachableError when a proxy answered 429 or 502-504 without a DCT body.
func decodeResponse(method, path string, status int, raw []byte, out any) error {
	if status >= 200 && status < 300 {
		if out == nil || len(bytes.TrimSpace(raw)) == 0 {
			return nil
		}
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("dct: decode answer to %s %s: %w", method, path, err)
		}
		return nil
	}
	e := parseError(raw)
	if e == nil {
		switch status {
		case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return &UnreachableError{Method: method, Path: path, Status: status}
		}
		e = &APIError{Message: rawText(raw)}
	}
	e.Method, e.Path, e.HTTPStatus = method, path, status
	return e
}

// jobResponse is the answer of every call that starts a job.
type jobResponse struct {
	Job *Job `json:"job"`
}

// startJob POSTs body to path and returns the job it started.
func (c *Client) startJob(ctx context.Context, method, path string, body any) (*Job, error) {
	var r jobResponse
	if err := c.do(ctx, method, path, nil, body, &r); err != nil {
		return nil, err
	}
	if r.Job == nil || r.Job.ID == "" {
		return nil, fmt.Errorf("dct: %s %s answered without a job", method, path)
	}
	return r.Job, nil
}

// get reads one object.
func (c *Client) get(ctx context.Context, path string, out any) error {
	return c.do(ctx, http.MethodGet, path, nil, noBody, out)
}

// pathOf joins escaped segments under the base path: pathOf("vdbs", id, "lock").
func pathOf(segments ...string) string {
	var b strings.Builder
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	return b.String()
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

// Tag is a key/value label on a DCT object.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Check makes one cheap authenticated read (the first VDB), so a wrong URL
// or a refused API key shows before any work starts.
func (c *Client) Check(ctx context.Context) error {
	var p page[VDB]
	return c.do(ctx, http.MethodGet, "/vdbs", url.Values{"limit": {"1"}}, noBody, &p)
}

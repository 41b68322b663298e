// Package faultproxy is an HTTP proxy for tests that stands between a client
// and the local engine and breaks chosen requests the way a network or a
// load balancer does: the connection dropped or reset before the engine
// gets the request, the answer lost after the engine acted on it, a slow
// answer, an error status with Retry-After, or something done to the engine
// right after it answered (its sessions expired).
package faultproxy

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Kind is what a rule does to a matching request.
type Kind int

const (
	// Pass forwards the request; only Then runs.
	Pass Kind = iota
	// DropBefore closes the connection without forwarding the request.
	DropBefore
	// ResetBefore resets the connection (TCP RST) without forwarding.
	ResetBefore
	// DropAfter forwards the request, then closes the connection instead
	// of answering: the engine acted, the answer is lost.
	DropAfter
	// ResetAfter is DropAfter with a TCP reset.
	ResetAfter
	// Status answers Status (with RetryAfter, when set) without forwarding.
	Status
	// Slow forwards the request and holds the answer for Delay: longer
	// than the client waits, it is an answer lost after the engine acted.
	Slow
)

// Rule breaks the requests matching Method, PathSuffix and PathContains
// (empty: any): after letting Skip of them through, the next Count
// (default 1).
type Rule struct {
	Method       string
	PathSuffix   string
	PathContains string
	Kind         Kind
	Status       int
	RetryAfter   string
	Delay        time.Duration
	Skip         int
	Count        int
	// Then runs after the engine answered a request this rule matched (for
	// Pass, DropAfter, ResetAfter).
	Then func()

	seen, hit int
}

// Proxy forwards to one engine.
type Proxy struct {
	srv    *httptest.Server
	target string

	mu    sync.Mutex
	rules []*Rule
	hits  []string // "METHOD /path kind" of each request a rule broke
}

// New starts a proxy in front of target (an http:// base URL).
func New(target string) *Proxy {
	p := &Proxy{target: strings.TrimRight(target, "/")}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	return p
}

// URL is the proxy's base URL, to give the client as the engine.
func (p *Proxy) URL() string { return p.srv.URL }

// Close stops the proxy.
func (p *Proxy) Close() { p.srv.Close() }

// Add adds a rule.
func (p *Proxy) Add(r Rule) {
	if r.Count <= 0 {
		r.Count = 1
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rules = append(p.rules, &r)
}

// Hits says which requests the rules broke, in order.
func (p *Proxy) Hits() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.hits...)
}

// Exhausted reports whether every rule has broken all the requests it was
// meant to break, so a test knows its faults really happened.
func (p *Proxy) Exhausted() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, r := range p.rules {
		if r.hit < r.Count {
			return false
		}
	}
	return true
}

func (p *Proxy) match(r *http.Request) *Rule {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, rule := range p.rules {
		if (rule.Method != "" && !strings.EqualFold(rule.Method, r.Method)) ||
			!strings.HasSuffix(r.URL.Path, rule.PathSuffix) || !strings.Contains(r.URL.Path, rule.PathContains) {
			continue
		}
		if rule.hit >= rule.Count {
			continue
		}
		if rule.seen++; rule.seen <= rule.Skip {
			continue
		}
		rule.hit++
		p.hits = append(p.hits, r.Method+" "+r.URL.Path)
		return rule
	}
	return nil
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	rule := p.match(r)
	kind := Pass
	if rule != nil {
		kind = rule.Kind
	}
	switch kind {
	case DropBefore, ResetBefore:
		hangUp(w, kind == ResetBefore)
		return
	case Status:
		if rule.RetryAfter != "" {
			w.Header().Set("Retry-After", rule.RetryAfter)
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(rule.Status)
		_, _ = io.WriteString(w, "<html><body>"+http.StatusText(rule.Status)+"</body></html>")
		return
	}
	body, _ := io.ReadAll(r.Body)
	out, err := http.NewRequestWithContext(r.Context(), r.Method, p.target+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	out.Header = r.Header.Clone()
	resp, err := http.DefaultTransport.RoundTrip(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if rule != nil && rule.Then != nil {
		rule.Then()
	}
	if kind == Slow {
		select {
		case <-time.After(rule.Delay):
		case <-r.Context().Done():
			return
		}
	}
	if kind == DropAfter || kind == ResetAfter {
		hangUp(w, kind == ResetAfter)
		return
	}
	for k, vs := range resp.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(raw)
}

// hangUp closes the client's connection without an answer; reset sends a
// TCP RST instead of a FIN.
func hangUp(w http.ResponseWriter, reset bool) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok && reset {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

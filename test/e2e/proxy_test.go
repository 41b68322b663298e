package e2e

import (
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// forwardProxy is an HTTP proxy as a Jenkins agent's network has one: it
// tunnels CONNECT (https:// through HTTPS_PROXY) and forwards absolute-form
// requests (http:// through HTTP_PROXY). routes sends a host:port only the
// proxy knows to where it really is, so a step that reaches the engine by
// that name provably went through the proxy. It records every host asked.
type forwardProxy struct {
	*httptest.Server
	routes map[string]string
	mu     sync.Mutex
	seen   []string
}

func startProxy(t *testing.T, routes map[string]string) *forwardProxy {
	p := &forwardProxy{routes: routes}
	p.Server = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.Close)
	return p
}

func (p *forwardProxy) route(host string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seen = append(p.seen, host)
	if to, ok := p.routes[host]; ok {
		return to
	}
	return host
}

func (p *forwardProxy) hosts() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string{}, p.seen...)
}

func (p *forwardProxy) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodConnect {
		to := p.route(r.URL.Host)
		(&httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
			pr.Out.URL.Host = to
		}}).ServeHTTP(w, r)
		return
	}
	upstream, err := net.Dial("tcp", p.route(r.Host))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	client, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		upstream.Close()
		return
	}
	_, _ = client.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n"))
	go func() { _, _ = io.Copy(upstream, client); upstream.Close() }()
	go func() { _, _ = io.Copy(client, upstream); client.Close() }()
}

// A Jenkins agent that reaches its engine through a proxy sets HTTPS_PROXY
// (and HTTP_PROXY for an http:// URL); the steps use it on both platforms,
// TLS verified end to end through the tunnel.
func TestStepsReachTheEngineThroughHTTPSProxy(t *testing.T) {
	e := enginetest.Start(t)
	srv := httptest.NewUnstartedServer(e.Handler())
	srv.StartTLS() // its certificate holds example.com
	t.Cleanup(srv.Close)
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	name := "example.com:" + strconv.Itoa(port)
	proxy := startProxy(t, map[string]string{name: srv.Listener.Addr().String()})
	ca := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600))

	for _, platform := range [][]string{nil, {"DELPHIX_PLATFORM=dct", "DELPHIX_API_KEY=" + engine.DCTKey(1, "delphix_admin")}} {
		env := append([]string{"HTTPS_PROXY=" + proxy.URL, "DELPHIX_ENGINE=https://" + name, "DELPHIX_CA_CERT=" + ca}, platform...)
		r := step{t: t, bin: "dx-bookmark", args: []string{"list"}, env: env}.run()
		require.Equal(t, 0, r.code, "%v: %s", platform, r.stderr)
		assert.Contains(t, r.json(t), "bookmarks")
	}
	assert.NotEmpty(t, proxy.hosts())
	for _, h := range proxy.hosts() {
		assert.Equal(t, name, h)
	}
}

// NO_PROXY names the hosts reached directly: the proxy sees none of the
// steps' requests to them.
func TestNoProxyHostsAreReachedDirectly(t *testing.T) {
	ip := outwardIPv4(t)
	e := enginetest.Start(t)
	l, err := net.Listen("tcp", ip+":0")
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(e.Handler())
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	proxy := startProxy(t, nil)

	for _, platform := range [][]string{nil, {"DELPHIX_PLATFORM=dct", "DELPHIX_API_KEY=" + engine.DCTKey(1, "delphix_admin")}} {
		env := append([]string{"HTTP_PROXY=" + proxy.URL, "HTTPS_PROXY=" + proxy.URL, "NO_PROXY=" + ip, "DELPHIX_ENGINE=" + srv.URL}, platform...)
		r := step{t: t, bin: "dx-bookmark", args: []string{"list"}, env: env}.run()
		require.Equal(t, 0, r.code, "%v: %s", platform, r.stderr)
	}
	assert.Empty(t, proxy.hosts())

	// Without NO_PROXY the same requests go through the proxy.
	r := step{t: t, bin: "dx-bookmark", args: []string{"list"}, env: []string{"HTTP_PROXY=" + proxy.URL, "DELPHIX_ENGINE=" + srv.URL}}.run()
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, proxy.hosts(), strings.TrimPrefix(srv.URL, "http://"))
}

// outwardIPv4 is an address of this machine that is not loopback (Go never
// proxies a loopback address), or the test is skipped.
func outwardIPv4(t *testing.T) string {
	addrs, err := net.InterfaceAddrs()
	require.NoError(t, err)
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
			return n.IP.String()
		}
	}
	t.Skip("no non-loopback IPv4 address to serve the engine on")
	return ""
}

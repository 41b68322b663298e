// Package testapi is a small client for the local engine's test API
// (/dxsteps-test/v1), which the example tools and dx-engine catalog use to
// read and change what the engine's datasets hold.
package testapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	neturl "net/url"
	"strings"
	"time"
)

// Path is where the test API lives below an engine's URL.
const Path = "/dxsteps-test/v1"

// BaseURL is the test API's base URL: DX_ENGINE_TEST_API, or DELPHIX_ENGINE
// plus /dxsteps-test/v1; empty when neither is set. With DELPHIX_PLATFORM
// dct, DELPHIX_ENGINE is the DCT API's URL (a step gives its tools
// .../dct/v3): the test API is at the root of that host.
func BaseURL(getenv func(string) string) string {
	if u := getenv("DX_ENGINE_TEST_API"); u != "" {
		return strings.TrimRight(u, "/")
	}
	u := getenv("DELPHIX_ENGINE")
	if u == "" {
		return ""
	}
	if strings.EqualFold(strings.TrimSpace(getenv("DELPHIX_PLATFORM")), "dct") {
		if parsed, err := neturl.Parse(u); err == nil && parsed.Host != "" {
			u = parsed.Scheme + "://" + parsed.Host
		}
	}
	return strings.TrimRight(u, "/") + Path
}

var client = &http.Client{Timeout: time.Minute}

// Call sends in (when not nil) as JSON with method to url and decodes the
// answer into out (when not nil). An error carries the API's own message.
func Call(method, url string, in, out any) error {
	var rd io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		var e struct{ Error string }
		if json.Unmarshal(b, &e) == nil && e.Error != "" {
			return fmt.Errorf("%s", e.Error)
		}
		return fmt.Errorf("%s %s: HTTP %d", method, url, resp.StatusCode)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

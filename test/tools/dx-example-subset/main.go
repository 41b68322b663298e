// Command dx-example-subset is an example subsetting tool for dx-subset --exec, working on the
// local engine's data through its test API. It keeps the first floor(N*rows/100) rows of the
// data pod DX_CONTAINER (at least one if there were any) and records DX_SUBSET_PERCENT=N.
//
// The test API base URL comes from DX_ENGINE_TEST_API, or DELPHIX_ENGINE + /dxsteps-test/v1.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() { os.Exit(run(os.Getenv, os.Stdout, os.Stderr)) }

type row struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

func run(getenv func(string) string, stdout, stderr io.Writer) int {
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(stderr, "dx-example-subset: "+format+"\n", a...)
		return code
	}
	base := testAPI(getenv)
	name, pctText := getenv("DX_CONTAINER"), getenv("DX_SUBSET_PERCENT")
	pct, err := strconv.Atoi(pctText)
	switch {
	case base == "":
		return fail(2, "set DX_ENGINE_TEST_API or DELPHIX_ENGINE")
	case name == "":
		return fail(2, "DX_CONTAINER is not set")
	case err != nil || pct < 0 || pct > 100:
		return fail(2, "DX_SUBSET_PERCENT=%q is not a percentage from 0 to 100", pctText)
	}
	path := base + "/datasets/" + url.PathEscape(name)
	var ds struct {
		Contents struct {
			Rows []row `json:"rows"`
		} `json:"contents"`
	}
	if err := call("GET", path, nil, &ds); err != nil {
		return fail(1, "%v", err)
	}
	rows := ds.Contents.Rows
	keep := pct * len(rows) / 100
	if keep == 0 && len(rows) > 0 {
		keep = 1
	}
	body := map[string]any{"rows": rows[:keep], "subsetPercent": pct}
	if err := call("PUT", path+"/contents", body, nil); err != nil {
		return fail(1, "%v", err)
	}
	fmt.Fprintf(stdout, "kept %d of %d rows (%d%%) in %s\n", keep, len(rows), pct, name)
	return 0
}

// testAPI is the engine's test API base URL.
func testAPI(getenv func(string) string) string {
	if u := getenv("DX_ENGINE_TEST_API"); u != "" {
		return strings.TrimRight(u, "/")
	}
	if u := getenv("DELPHIX_ENGINE"); u != "" {
		return strings.TrimRight(u, "/") + "/dxsteps-test/v1"
	}
	return ""
}

// call sends a JSON request to the test API and decodes the answer into out.
func call(method, u string, in, out any) error {
	var rd io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		var e struct{ Error string }
		if json.Unmarshal(b, &e) == nil && e.Error != "" {
			return fmt.Errorf("%s", e.Error)
		}
		return fmt.Errorf("%s %s: HTTP %d", method, u, resp.StatusCode)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

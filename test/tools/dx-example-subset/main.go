// Command dx-example-subset is an example subsetting tool for dx-subset --exec, working on the
// local engine's data through its test API. It keeps the first floor(N*rows/100) rows of the
// data pod DX_CONTAINER (at least one if there were any) and records DX_SUBSET_PERCENT=N.
//
// The test API base URL comes from DX_ENGINE_TEST_API, or DELPHIX_ENGINE + /dxsteps-test/v1.
package main

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"

	"github.com/dxsteps/dxsteps/test/testapi"
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
	base := testapi.BaseURL(getenv)
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
	if err := testapi.Call("GET", path, nil, &ds); err != nil {
		return fail(1, "%v", err)
	}
	rows := ds.Contents.Rows
	keep := pct * len(rows) / 100
	if keep == 0 && len(rows) > 0 {
		keep = 1
	}
	body := map[string]any{"rows": rows[:keep], "subsetPercent": pct}
	if err := testapi.Call("PUT", path+"/contents", body, nil); err != nil {
		return fail(1, "%v", err)
	}
	fmt.Fprintf(stdout, "kept %d of %d rows (%d%%) in %s\n", keep, len(rows), pct, name)
	return 0
}

package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	neturl "net/url"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/testapi"
)

// catalog prints the bookmarks of a running local engine with what their
// data holds: dx-engine catalog [--engine URL] (default $DELPHIX_ENGINE).
func catalog(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("dx-engine catalog", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	url := fs.String("engine", os.Getenv("DELPHIX_ENGINE"), "URL of a running local engine")
	if err := parseFlags(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, "Usage: dx-engine catalog [--engine URL]")
			printFlags(stdout, fs)
			return 0
		}
		return refuse(stderr, "catalog: "+err.Error())
	}
	if fs.NArg() > 0 {
		return refuse(stderr, fmt.Sprintf("catalog: unexpected argument %q", fs.Arg(0)))
	}
	if *url == "" {
		return refuse(stderr, "catalog: no engine URL: give --engine URL, the URL dx-engine printed when it started (dx-engine: listening on http://...), or set DELPHIX_ENGINE")
	}
	if u, err := neturl.Parse(*url); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return refuse(stderr, fmt.Sprintf("catalog: --engine %q is not a URL: give it as dx-engine printed it, e.g. http://127.0.0.1:8080", *url))
	}
	base := strings.TrimRight(*url, "/") + testapi.Path
	var entries []engine.CatalogEntry
	var datasets []struct{ Name, Kind string }
	if err := testapi.Call("GET", base+"/catalog", nil, &entries); err != nil {
		fmt.Fprintln(stderr, "dx-engine catalog:", err)
		return 1
	}
	if err := testapi.Call("GET", base+"/datasets", nil, &datasets); err != nil {
		fmt.Fprintln(stderr, "dx-engine catalog:", err)
		return 1
	}
	fmt.Fprintf(stdout, "Catalog: %d bookmarks\n", len(entries))
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "BOOKMARK\tON\tSHARED\tTAGS\tDATA\tROWS")
	for _, c := range entries {
		shared := "no"
		if c.Shared {
			shared = "yes"
		}
		data := fmt.Sprintf("prod v%d", c.DataVersion)
		if c.Masked {
			data += ", masked"
		} else {
			data += ", NOT masked"
		}
		data += fmt.Sprintf(", %d%%", c.SubsetPercent)
		// DCT keeps a bookmark's provenance in tags "provenance.<field>=<value>": not labels.
		var tags []string
		for _, t := range c.Tags {
			if !strings.HasPrefix(t, "provenance.") {
				tags = append(tags, t)
			}
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%d\n", c.Bookmark, c.On, shared, strings.Join(tags, ", "), data, c.Rows)
	}
	_ = w.Flush()
	for _, d := range datasets {
		if d.Kind == "dsource" {
			var ds engine.Dataset
			if testapi.Call("GET", base+"/datasets/"+neturl.PathEscape(d.Name), nil, &ds) == nil {
				fmt.Fprintf(stdout, "%s is at data version %d.\n", d.Name, ds.Contents.DataVersion)
			}
		}
	}
	return 0
}

package contract

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/dxsteps/dxsteps/internal/cli"
)

// groovyMaps are the Groovy maps of the library's own keys, which no binary
// has: the file and the map's name. The library checks a call against
// them, so docs/library.md lists what is there.
var groovyMaps = map[string][2]string{
	"delphixPrepareDataset": {"src/io/dxsteps/Steps.groovy", "PREPARE_DATASET"},
	"delphixCatalog":        {"src/io/dxsteps/Catalog.groovy", "DEFAULTS"},
}

// groovyEntry is one "key: default, // comment" line of such a map.
var groovyEntry = regexp.MustCompile(`^\s*(\w+):\s*([^,]+),`)

// groovyMapKeys returns the keys of the map "static final Map name = [",
// in order, and which of them are MANDATORY.
func groovyMapKeys(root, file, name string) (keys []string, mandatory map[string]bool, err error) {
	raw, err := os.ReadFile(filepath.Join(root, file))
	if err != nil {
		return nil, nil, err
	}
	_, body, ok := strings.Cut(string(raw), "static final Map "+name+" = [\n")
	if !ok {
		return nil, nil, fmt.Errorf("%s: no map %s", file, name)
	}
	body, _, _ = strings.Cut(body, "\n    ]")
	mandatory = map[string]bool{}
	for _, line := range strings.Split(body, "\n") {
		if m := groovyEntry.FindStringSubmatch(line); m != nil {
			keys = append(keys, m[1])
			mandatory[m[1]] = strings.TrimSpace(m[2]) == "MANDATORY"
		}
	}
	if len(keys) == 0 {
		return nil, nil, fmt.Errorf("%s: map %s has no keys", file, name)
	}
	return keys, mandatory, nil
}

// keyList is "`a` (mandatory), `b`, `c`".
func keyList(keys []string, mandatory map[string]bool) string {
	var cells []string
	for _, k := range keys {
		cell := "`" + k + "`"
		if mandatory[k] {
			cell += " (mandatory)"
		}
		cells = append(cells, cell)
	}
	return strings.Join(cells, ", ")
}

// libraryTable is docs/library.md's table of the vars and their keys: a
// binary's keys from its contract, delphixPrepareDataset's and
// delphixCatalog's from the library's maps, then the common keys.
func libraryTable(root string, contracts []cli.Contract) (string, error) {
	var b strings.Builder
	b.WriteString("| step | binary | keys (besides the common ones) |\n| --- | --- | --- |\n")
	for _, c := range contracts {
		var keys []string
		mandatory := map[string]bool{}
		for _, k := range c.Keys {
			keys = append(keys, k.Key)
			mandatory[k.Key] = k.Mandatory
		}
		cell := keyList(keys, mandatory)
		if len(c.Operations) > 0 {
			cell = "`operation` (" + strings.Join(opNames(c), ", ") + "; default " + c.Operations[0].Name + "), " + cell
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | %s |\n", c.Jenkins, c.Name, cell)
	}
	for _, step := range []string{"delphixPrepareDataset", "delphixCatalog"} {
		src := groovyMaps[step]
		keys, mandatory, err := groovyMapKeys(root, src[0], src[1])
		if err != nil {
			return "", err
		}
		binary := "`dx-datapod`, `dx-subset`, `dx-bookmark`: one lane"
		if step == "delphixCatalog" {
			binary = "none: publishes the build's bookmarks, cleans its folder"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", step, binary, keyList(keys, mandatory))
	}
	common := []string{libraryKeys[0].key}
	for _, k := range contracts[0].Connection {
		if k.Library {
			common = append(common, k.Key)
		}
	}
	for _, l := range libraryKeys[1:] {
		common = append(common, l.key)
	}
	b.WriteString("\nCommon keys, of every step but `delphixCatalog`: " + keyList(common, map[string]bool{libraryKeys[0].key: true}) + ".\n")
	return b.String(), nil
}

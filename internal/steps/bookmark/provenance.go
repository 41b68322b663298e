package bookmark

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/dxsteps/dxsteps/internal/cli"
)

// Provenance: where a bookmark's data came from, given to create by the
// pipeline (the Jenkins library reads it from the build's earlier results)
// and stored on the bookmark itself, so any later reader sees it: on the
// engine in JSBookmark.description, on DCT (bookmarks have no description)
// as key/value tags "provenance.<field>". Both hold the same fields,
// fieldKeys below; list reads them back into the output's provenance.

var (
	sourceSnapshot  = &cli.Key{Flag: "source-snapshot", Type: cli.String, Only: []string{"create"}, Usage: "provenance: the production `SNAPSHOT` the data came from (dx-sync's snapshot, the one dx-refresh refreshed from)"}
	sourceDataTime  = &cli.Key{Flag: "source-data-time", Type: cli.String, Only: []string{"create"}, Usage: "provenance: the data `TIME` of that snapshot (dx-sync's snapshotDataTime)"}
	maskedSnapshot  = &cli.Key{Flag: "masked-snapshot", Type: cli.String, Only: []string{"create"}, Usage: "provenance: the masked `SNAPSHOT` the data came from (dx-refresh's maskedSnapshot)"}
	maskingEvidence = &cli.Key{Flag: "masking-evidence", Type: cli.String, Only: []string{"create"}, Usage: "provenance: the `EVIDENCE` that the data was masked (dx-refresh's maskingEvidence), pieces separated by '; '"}
	subsetPercent   = &cli.Key{Flag: "subset-percent", Type: cli.Int, Only: []string{"create"}, Usage: "provenance: the `N` percent (1-100) the data pod was subset to (dx-subset's percent)"}
	subsetTool      = &cli.Key{Flag: "subset-tool", Type: cli.String, Only: []string{"create"}, Usage: "provenance: the subsetting `TOOL` (dx-subset's tool), with --subset-mode exec"}
	subsetMode      = &cli.Key{Flag: "subset-mode", Type: cli.String, Only: []string{"create"}, Usage: "provenance: how it was subset, `MODE` exec (a subsetting tool) or simulated (nothing removed: all the data; each N% tag becomes 'N% simulated')"}
	build           = &cli.Key{Flag: "build", Type: cli.String, Only: []string{"create"}, Usage: "provenance: the `BUILD` that made the bookmark, e.g. Jenkins' BUILD_TAG"}
	buildURL        = &cli.Key{Flag: "build-url", Type: cli.String, Only: []string{"create"}, Usage: "provenance: the `URL` of that build (Jenkins' BUILD_URL)"}
)

// provenanceKeys are the keys above, in the order the step lists them.
var provenanceKeys = []*cli.Key{sourceSnapshot, sourceDataTime, maskedSnapshot, maskingEvidence, subsetPercent, subsetMode, subsetTool, build, buildURL}

// Subset modes, as dx-subset's output says them.
const (
	subsetExec      = "exec"
	subsetSimulated = "simulated"
)

// Provenance is where a bookmark's data came from; empty fields were not given.
type Provenance struct {
	SourceSnapshot  string   `json:"sourceSnapshot,omitempty"`
	SourceDataTime  string   `json:"sourceDataTime,omitempty"`
	MaskedSnapshot  string   `json:"maskedSnapshot,omitempty"`
	MaskingEvidence []string `json:"maskingEvidence,omitempty"`
	SubsetPercent   int      `json:"subsetPercent,omitempty"`
	// SubsetMode is exec or simulated; simulated: nothing was removed, the
	// bookmark holds all the data.
	SubsetMode string `json:"subsetMode,omitempty"`
	SubsetTool string `json:"subsetTool,omitempty"`
	// Subset says it in words: "50% by jailer-subset.sh", "50% (exec)",
	// "50% simulated: all the data".
	Subset   string `json:"subset,omitempty"`
	Build    string `json:"build,omitempty"`
	BuildURL string `json:"buildUrl,omitempty"`
}

func parseProvenance(in *cli.Input) (*Provenance, error) {
	p := &Provenance{SourceSnapshot: in.String(sourceSnapshot), SourceDataTime: in.String(sourceDataTime),
		MaskedSnapshot: in.String(maskedSnapshot), MaskingEvidence: splitEvidence(in.String(maskingEvidence)),
		SubsetPercent: in.Int(subsetPercent), SubsetMode: in.String(subsetMode), SubsetTool: in.String(subsetTool), Build: in.String(build), BuildURL: in.String(buildURL)}
	if p.SubsetPercent < 0 || p.SubsetPercent > 100 {
		return nil, cli.Usagef("%s must be 1 to 100, got %d", in.Name(subsetPercent), p.SubsetPercent)
	}
	switch p.SubsetMode {
	case "", subsetExec, subsetSimulated:
	default:
		return nil, cli.Usagef("%s: %q is not %s or %s", in.Name(subsetMode), p.SubsetMode, subsetExec, subsetSimulated)
	}
	if p.SubsetTool != "" && p.SubsetMode != subsetExec {
		return nil, cli.Usagef("%s goes with %s exec", in.Name(subsetTool), in.Name(subsetMode))
	}
	for _, k := range []*cli.Key{sourceSnapshot, sourceDataTime, maskedSnapshot, maskingEvidence, subsetTool, build, buildURL} {
		if strings.ContainsAny(in.String(k), "\n\r") {
			return nil, cli.Usagef("%s holds a line break", in.Name(k))
		}
	}
	p.describeSubset()
	if p.empty() {
		return nil, nil
	}
	return p, nil
}

// splitEvidence reads the pieces of evidence, "; " between them.
func splitEvidence(s string) []string {
	var out []string
	for _, e := range strings.Split(s, evidenceSep) {
		if e = strings.TrimSpace(e); e != "" {
			out = append(out, e)
		}
	}
	return out
}

func (p *Provenance) empty() bool {
	return p.SourceSnapshot == "" && p.SourceDataTime == "" && p.MaskedSnapshot == "" && len(p.MaskingEvidence) == 0 &&
		p.SubsetPercent == 0 && p.SubsetMode == "" && p.SubsetTool == "" && p.Build == "" && p.BuildURL == ""
}

func (p *Provenance) describeSubset() {
	pct := ""
	if p.SubsetPercent > 0 {
		pct = strconv.Itoa(p.SubsetPercent) + "% "
	}
	switch p.SubsetMode {
	case subsetSimulated:
		p.Subset = pct + "simulated: all the data"
	case subsetExec:
		if p.SubsetTool != "" {
			p.Subset = pct + "by " + p.SubsetTool
		} else {
			p.Subset = pct + "(exec)"
		}
	default:
		p.Subset = strings.TrimSpace(pct)
	}
}

// percentTag is a bare size tag such as 50% or 05%.
var percentTag = regexp.MustCompile(`^[0-9]{1,3}%$`)

// simulatedTag is what a size tag becomes after a simulated subset.
func simulatedTag(size string) string { return size + " " + subsetSimulated }

// subsetTags are the tags of a bookmark made after the subset p says: after
// a simulated one no bare N% tag stands (each becomes "N% simulated"), and
// one "N% simulated" is there; the data is whole, a size tag alone would lie.
func subsetTags(tags []string, p *Provenance) []string {
	if p == nil || p.SubsetMode != subsetSimulated {
		return tags
	}
	out := []string{}
	marked := false
	for _, t := range tags {
		if percentTag.MatchString(t) {
			t = simulatedTag(t)
		}
		marked = marked || strings.HasSuffix(t, "% "+subsetSimulated)
		out = append(out, t)
	}
	if !marked && p.SubsetPercent > 0 {
		out = append(out, simulatedTag(strconv.Itoa(p.SubsetPercent)+"%"))
	}
	return out
}

// The stored form: one field a pair, the same names on both platforms.
const (
	provenancePrefix = "provenance."        // DCT tag keys
	descriptionHead  = "dxsteps provenance" // first line of an engine description holding it
	evidenceSep      = "; "
	maxValue         = 4000 // DCT's longest tag value
	maxDescription   = 4096 // the engine's longest JSBookmark.description
)

var fieldKeys = []string{"source-snapshot", "source-data-time", "masked-snapshot", "masking-evidence", "subset-percent", "subset-mode", "subset-tool", "build", "build-url"}

// pairs are p's stored fields, in fieldKeys order, the empty ones left out.
func (p *Provenance) pairs() [][2]string {
	if p == nil {
		return nil
	}
	pct := ""
	if p.SubsetPercent > 0 {
		pct = strconv.Itoa(p.SubsetPercent)
	}
	values := []string{p.SourceSnapshot, p.SourceDataTime, p.MaskedSnapshot, strings.Join(p.MaskingEvidence, evidenceSep),
		pct, p.SubsetMode, p.SubsetTool, p.Build, p.BuildURL}
	var out [][2]string
	for i, v := range values {
		if v != "" {
			v = shorten(v, maxValue)
			out = append(out, [2]string{fieldKeys[i], v})
		}
	}
	return out
}

func provenanceFrom(pairs [][2]string) *Provenance {
	p := &Provenance{}
	for _, kv := range pairs {
		switch v := kv[1]; kv[0] {
		case "source-snapshot":
			p.SourceSnapshot = v
		case "source-data-time":
			p.SourceDataTime = v
		case "masked-snapshot":
			p.MaskedSnapshot = v
		case "masking-evidence":
			p.MaskingEvidence = splitEvidence(v)
		case "subset-percent":
			p.SubsetPercent, _ = strconv.Atoi(v)
		case "subset-mode":
			p.SubsetMode = v
		case "subset-tool":
			p.SubsetTool = v
		case "build":
			p.Build = v
		case "build-url":
			p.BuildURL = v
		}
	}
	if p.empty() {
		return nil
	}
	p.describeSubset()
	return p
}

// description is the engine's JSBookmark.description of a bookmark with
// provenance p: a head line, then one "field: value" line a field.
func (p *Provenance) description() string {
	if p == nil {
		return ""
	}
	lines := []string{descriptionHead}
	for _, kv := range p.pairs() {
		lines = append(lines, kv[0]+": "+kv[1])
	}
	return shorten(strings.Join(lines, "\n"), maxDescription)
}

// shorten cuts s to at most n characters, ending in "..." when cut.
func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-3]) + "..."
	}
	return s
}

// engineProvenance reads the provenance of an engine bookmark: from its
// description, else from provenance.* tags (a bookmark made through DCT);
// the rest of its tags are returned as they are.
func engineProvenance(description string, tags []string) (*Provenance, []string) {
	var pairs [][2]string
	rest := []string{}
	for _, t := range tags {
		if k, v, ok := strings.Cut(t, "="); ok && strings.HasPrefix(k, provenancePrefix) {
			pairs = append(pairs, [2]string{strings.TrimPrefix(k, provenancePrefix), v})
		} else {
			rest = append(rest, t)
		}
	}
	if head, body, _ := strings.Cut(description, "\n"); head == descriptionHead {
		pairs = nil
		for _, line := range strings.Split(body, "\n") {
			if k, v, ok := strings.Cut(line, ": "); ok {
				pairs = append(pairs, [2]string{k, v})
			}
		}
	}
	return provenanceFrom(pairs), rest
}

// provenanceTags are p's DCT tags, "provenance.<field>=<value>" in the
// step's tag form (dctTags makes them key/value).
func provenanceTags(p *Provenance) []string {
	var out []string
	for _, kv := range p.pairs() {
		out = append(out, fmt.Sprintf("%s%s=%s", provenancePrefix, kv[0], kv[1]))
	}
	return out
}

// noteProvenance says, when create reuses a bookmark, that the provenance
// given differs from the one it holds and was left as it is.
func noteProvenance(s *cli.Session, have, given *Provenance) {
	if given != nil && !reflect.DeepEqual(have, given) {
		held := "none"
		if have != nil {
			held = strings.ReplaceAll(strings.TrimPrefix(have.description(), descriptionHead+"\n"), "\n", "; ")
		}
		s.Log.Printf("note: its provenance (%s) differs from the one given and was left as it is", held)
	}
}

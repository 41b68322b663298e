package delphix

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// referenceDir is ../shared/reference beside the repository: recorded
// engine traffic and the engine's type schema. Without it the test is
// skipped, except in CI where it must be there.
func referenceDir(t *testing.T) string {
	dir := filepath.Join("..", "..", "shared", "reference", "engine")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("reference data missing at %s: CI must have ../shared beside the repository", dir)
		}
		t.Skipf("reference data not found at %s (../shared beside the repository); skipping", dir)
	}
	return dir
}

type schemaType struct {
	Extends  string                     `json:"extends"`
	Abstract bool                       `json:"abstract"`
	Fields   map[string]schemaTypeField `json:"fields"`
}

type schemaTypeField struct {
	Required bool   `json:"required"`
	Create   string `json:"create"`
}

func loadSchema(t *testing.T) map[string]schemaType {
	raw, err := os.ReadFile(filepath.Join(referenceDir(t), "schema-1.11.9.json"))
	require.NoError(t, err)
	var s struct{ Types map[string]schemaType }
	require.NoError(t, json.Unmarshal(raw, &s))
	return s.Types
}

func is(names ...string) func(string) bool {
	return func(wire string) bool {
		for _, n := range names {
			if wire == n {
				return true
			}
		}
		return false
	}
}

// models lists every client type that decodes engine objects, with the
// wire types it decodes.
var models = []struct {
	goType reflect.Type
	wire   func(string) bool
}{
	{reflect.TypeFor[Job](), is("Job")},
	{reflect.TypeFor[JobEvent](), is("JobEvent")},
	{reflect.TypeFor[Action](), is("Action")},
	{reflect.TypeFor[SystemInfo](), is("PublicSystemInfo")},
	{reflect.TypeFor[APIVersion](), is("APIVersion")},
	{reflect.TypeFor[User](), is("User")},
	{reflect.TypeFor[Bookmark](), is("JSBookmark")},
	{reflect.TypeFor[Branch](), is("JSBranch")},
	{reflect.TypeFor[Container](), is("JSDataContainer")},
	{reflect.TypeFor[Template](), is("JSDataTemplate")},
	{reflect.TypeFor[DataSource](), is("JSDataSource")},
	{reflect.TypeFor[MaskingJob](), is("MaskingJob")},
	{reflect.TypeFor[Notification](), is("ObjectNotification", "SingletonUpdate", "NotificationDrop")},
	{reflect.TypeFor[ConnectionInfo](), func(w string) bool {
		return strings.HasSuffix(w, "SourceConnectionInfo") && w != "SourceConnectionInfo" && w != "OracleSourceConnectionInfo"
	}},
	{reflect.TypeFor[Snapshot](), func(w string) bool {
		return strings.HasSuffix(w, "Snapshot") && !strings.HasPrefix(w, "JS") && w != "TimeflowSnapshot"
	}},
	{reflect.TypeFor[Database](), func(w string) bool {
		return strings.HasSuffix(w, "DatabaseContainer") || w == "AppDataContainer" || w == "ASEDBContainer"
	}},
	{reflect.TypeFor[Source](), func(w string) bool {
		return strings.HasSuffix(w, "Source") && (strings.Contains(w, "Linked") || strings.Contains(w, "Virtual") || strings.Contains(w, "Staging"))
	}},
}

// notRecorded are modelled types of which the recordings hold no object.
var notRecorded = map[string]bool{"MaskingJob": true, "Notification": true}

// model says which client type decodes a wire type, nil when none does.
func model(wireType string) reflect.Type {
	for _, m := range models {
		if m.wire(wireType) {
			return m.goType
		}
	}
	return nil
}

// TestRecordedEngineResponsesDecode decodes every typed object in every
// recorded engine answer (results and the objects nested in them, such as
// job events and data sources' connection info) whose type the client
// models, through the client's own decoding, and checks that every field
// the client reads holds what the engine sent.
func TestRecordedEngineResponsesDecode(t *testing.T) {
	dir := filepath.Join(referenceDir(t), "dxtoolkit-fixtures")
	decoded := map[string]int{}
	files := 0
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Contains(d.Name(), ".req") || !strings.Contains(d.Name(), ".json") {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var env struct{ Type string }
		if json.Unmarshal(raw, &env) != nil || (env.Type != "OKResult" && env.Type != "ListResult") {
			return nil
		}
		files++
		var whole any
		require.NoError(t, json.Unmarshal(raw, &whole), path)
		rel, _ := filepath.Rel(dir, path)
		eachTyped(whole, rel, func(where string, obj map[string]any) {
			goType := model(obj["type"].(string))
			if goType == nil {
				return
			}
			item, _ := json.Marshal(obj)
			one := []byte(`{"type":"OKResult","status":"OK","result":` + string(item) + `}`)
			v := reflect.New(goType)
			if _, err := decodeResponse("GET", "/fixture", 200, one, v.Interface()); !assert.NoError(t, err, where) {
				return
			}
			for _, p := range mismatches(v.Elem(), obj, goType.Name()) {
				t.Errorf("%s (%s): %s", where, obj["type"], p)
			}
			decoded[goType.Name()]++
		})
		return nil
	})
	require.NoError(t, err)
	require.Positive(t, files, "no recorded answer found under %s", dir)
	total := 0
	for _, m := range models {
		name := m.goType.Name()
		total += decoded[name]
		if !notRecorded[name] {
			assert.Positive(t, decoded[name], "no recorded %s was decoded", name)
		}
	}
	t.Logf("decoded %d objects from %d files: %v", total, files, decoded)
}

// eachTyped calls fn for v and every object nested in it that has a type.
func eachTyped(v any, where string, fn func(string, map[string]any)) {
	switch v := v.(type) {
	case []any:
		for i, item := range v {
			eachTyped(item, fmt.Sprintf("%s[%d]", where, i), fn)
		}
	case map[string]any:
		if _, ok := v["type"].(string); ok {
			fn(where, v)
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			eachTyped(v[k], where+"."+k, fn)
		}
	}
}

// mismatches compares what the client decoded (got) with what the engine
// sent (sent), field by field for the JSON fields the client reads.
// Fields kept raw (json.RawMessage) are not compared.
func mismatches(got reflect.Value, sent any, where string) []string {
	if sent == nil {
		if !got.IsZero() {
			return []string{fmt.Sprintf("%s: the engine sent null, decoded %v", where, got.Interface())}
		}
		return nil
	}
	switch got.Interface().(type) {
	case json.RawMessage, map[string]json.RawMessage:
		return nil
	}
	switch got.Kind() {
	case reflect.Pointer:
		if got.IsNil() {
			return []string{fmt.Sprintf("%s: the engine sent %v, decoded nil", where, sent)}
		}
		return mismatches(got.Elem(), sent, where)
	case reflect.Struct:
		obj, ok := sent.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: the engine sent %v, not an object", where, sent)}
		}
		var out []string
		for i := 0; i < got.NumField(); i++ {
			tag := strings.Split(got.Type().Field(i).Tag.Get("json"), ",")[0]
			if v, present := obj[tag]; present && tag != "" && tag != "-" {
				out = append(out, mismatches(got.Field(i), v, where+"."+tag)...)
			}
		}
		return out
	case reflect.Slice:
		list, ok := sent.([]any)
		if !ok || len(list) != got.Len() {
			return []string{fmt.Sprintf("%s: the engine sent %v, decoded %v", where, sent, got.Interface())}
		}
		var out []string
		for i := range list {
			out = append(out, mismatches(got.Index(i), list[i], fmt.Sprintf("%s[%d]", where, i))...)
		}
		return out
	}
	b, _ := json.Marshal(got.Interface())
	var back any
	_ = json.Unmarshal(b, &back)
	if !reflect.DeepEqual(back, sent) {
		return []string{fmt.Sprintf("%s: the engine sent %v, decoded %v", where, sent, back)}
	}
	return nil
}

// TestModelFieldsExistInTheSchema checks that every client type decodes at
// least one wire type of the schema, and that every JSON field it reads is
// a field of one of those wire types.
func TestModelFieldsExistInTheSchema(t *testing.T) {
	types := loadSchema(t)
	for _, m := range models {
		fields := map[string]bool{}
		var matched []string
		for name, st := range types {
			if m.wire(name) && !st.Abstract {
				matched = append(matched, name)
				for f := range st.Fields {
					fields[f] = true
				}
			}
		}
		if !assert.NotEmpty(t, matched, "%s decodes no wire type of the schema", m.goType.Name()) {
			continue
		}
		for i := 0; i < m.goType.NumField(); i++ {
			tag := strings.Split(m.goType.Field(i).Tag.Get("json"), ",")[0]
			if tag == "" || tag == "-" {
				continue
			}
			assert.True(t, fields[tag], "%s.%s reads %q, which none of %v has", m.goType.Name(), m.goType.Field(i).Name, tag, matched)
		}
	}
}

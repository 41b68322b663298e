package delphix

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
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

// model says which client type decodes a wire type.
func model(wireType string) reflect.Type {
	switch {
	case wireType == "Job":
		return reflect.TypeOf(Job{})
	case wireType == "Action":
		return reflect.TypeOf(Action{})
	case wireType == "PublicSystemInfo":
		return reflect.TypeOf(SystemInfo{})
	case wireType == "User":
		return reflect.TypeOf(User{})
	case wireType == "JSBookmark":
		return reflect.TypeOf(Bookmark{})
	case wireType == "JSBranch":
		return reflect.TypeOf(Branch{})
	case wireType == "JSDataContainer":
		return reflect.TypeOf(Container{})
	case wireType == "JSDataTemplate":
		return reflect.TypeOf(Template{})
	case wireType == "JSDataSource":
		return reflect.TypeOf(DataSource{})
	case wireType == "MaskingJob":
		return reflect.TypeOf(MaskingJob{})
	case strings.HasSuffix(wireType, "Snapshot") && !strings.HasPrefix(wireType, "JS"):
		return reflect.TypeOf(Snapshot{})
	case strings.HasSuffix(wireType, "DatabaseContainer") || wireType == "AppDataContainer" || wireType == "ASEDBContainer":
		return reflect.TypeOf(Database{})
	case strings.HasSuffix(wireType, "Source") && (strings.Contains(wireType, "Linked") || strings.Contains(wireType, "Virtual") || strings.Contains(wireType, "Staging")):
		return reflect.TypeOf(Source{})
	}
	return nil
}

// TestRecordedEngineResponsesDecode decodes every recorded engine answer
// whose result the client models, through the client's own decoding.
func TestRecordedEngineResponsesDecode(t *testing.T) {
	dir := filepath.Join(referenceDir(t), "dxtoolkit-fixtures")
	decoded := map[string]int{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Contains(d.Name(), ".req") || !strings.Contains(d.Name(), ".json") {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var env struct {
			Type   string
			Result json.RawMessage
		}
		if json.Unmarshal(raw, &env) != nil || (env.Type != "OKResult" && env.Type != "ListResult") {
			return nil
		}
		items := []json.RawMessage{env.Result}
		if env.Type == "ListResult" {
			items = nil
			_ = json.Unmarshal(env.Result, &items)
		}
		for i, item := range items {
			var head struct{ Type, Reference string }
			if json.Unmarshal(item, &head) != nil {
				continue
			}
			goType := model(head.Type)
			if goType == nil {
				continue
			}
			one := []byte(`{"type":"OKResult","status":"OK","result":` + string(item) + `}`)
			v := reflect.New(goType)
			_, err := decodeResponse("GET", "/fixture", 200, one, v.Interface())
			if !assert.NoError(t, err, "%s item %d (%s)", path, i, head.Type) {
				continue
			}
			got := v.Elem()
			assert.Equal(t, head.Type, got.FieldByName("Type").String(), "%s item %d", path, i)
			if ref := got.FieldByName("Reference"); ref.IsValid() && head.Reference != "" {
				assert.Equal(t, head.Reference, ref.String(), "%s item %d", path, i)
			}
			decoded[goType.Name()]++
		}
		return nil
	})
	require.NoError(t, err)
	for _, name := range []string{"Job", "Action", "SystemInfo", "User", "Bookmark", "Branch", "Container", "Template", "DataSource", "Snapshot", "Database", "Source"} {
		assert.Positive(t, decoded[name], "no recorded %s was decoded", name)
	}
	t.Logf("decoded %v", decoded)
}

// TestModelFieldsExistInTheSchema checks that every JSON field the client
// reads is a real field of a wire type it models.
func TestModelFieldsExistInTheSchema(t *testing.T) {
	types := loadSchema(t)
	fieldsOf := map[reflect.Type]map[string]bool{}
	for name := range types {
		if goType := model(name); goType != nil {
			if fieldsOf[goType] == nil {
				fieldsOf[goType] = map[string]bool{}
			}
			for f := range types[name].Fields {
				fieldsOf[goType][f] = true
			}
		}
	}
	for goType, fields := range fieldsOf {
		for i := 0; i < goType.NumField(); i++ {
			tag := strings.Split(goType.Field(i).Tag.Get("json"), ",")[0]
			if tag == "" || tag == "-" {
				continue
			}
			assert.True(t, fields[tag], "%s.%s reads %q, which no modelled schema type has", goType.Name(), goType.Field(i).Name, tag)
		}
	}
}

package bookmark

import (
	"testing"

	"github.com/dxsteps/dxsteps/dct"
	"github.com/stretchr/testify/assert"
)

func TestDCTNamesABookmarksPodAndTemplateAsTheEngineDoes(t *testing.T) {
	master := &dct.VDB{ID: "master", ParentID: "prod", ParentDSourceID: "prod"}
	podVDB := &dct.VDB{ID: "pod", ParentID: "master", ParentDSourceID: "prod"}
	lone := &dct.VDB{ID: "lone", ParentID: "master", ParentDSourceID: "prod"}
	child := &dct.VDB{ID: "child", ParentID: "pod", ParentDSourceID: "prod"}
	n := &dctNames{vdbs: map[string]*dct.VDB{"master": master, "pod": podVDB, "lone": lone, "child": child},
		groups: []dct.VDBGroup{{ID: "g-tmpl", Name: "Patients", VDBIDs: []string{"master"}, SSDataLayoutID: "JS_DATA_TEMPLATE-1"},
			{ID: "g-pod", Name: "prep1", VDBIDs: []string{"pod"}, SSDataLayoutID: "JS_DATA_CONTAINER-1"},
			{ID: "g-child", Name: "team copy", VDBIDs: []string{"child"}}}}
	for name, c := range map[string]struct {
		b             dct.Bookmark
		pod, template string
	}{
		"made in DCT on a pod's group":      {dct.Bookmark{VDBGroupID: "g-pod", VDBIDs: []string{"pod"}}, "prep1", "Patients"},
		"made in DCT on the template group": {dct.Bookmark{VDBGroupID: "g-tmpl", VDBIDs: []string{"master"}}, "", "Patients"},
		"made through the engine on a pod":  {dct.Bookmark{SSDataLayoutID: "JS_DATA_CONTAINER-1", VDBIDs: []string{"pod"}}, "prep1", "Patients"},
		"made through the engine on the template": {dct.Bookmark{SSDataLayoutID: "JS_DATA_TEMPLATE-1", VDBIDs: []string{"master"},
			VDBs: []struct {
				ID   string `json:"vdb_id"`
				Name string `json:"vdb_name"`
			}{{"master", "Patients Masked Master"}}}, "", "Patients"},
		"on a lone VDB": {dct.Bookmark{VDBIDs: []string{"lone"}, VDBs: []struct {
			ID   string `json:"vdb_id"`
			Name string `json:"vdb_name"`
		}{{"lone", "prep3 DB"}}}, "prep3 DB", "Patients"},
		"on a group under a pod": {dct.Bookmark{VDBGroupID: "g-child", VDBIDs: []string{"child"}}, "team copy", "prep1"},
	} {
		pod, template := n.podAndTemplate(&c.b)
		assert.Equal(t, [2]string{c.pod, c.template}, [2]string{pod, template}, name)
	}

	n.template = "g-child"
	pod, template := n.podAndTemplate(&dct.Bookmark{VDBGroupID: "g-child", VDBIDs: []string{"child"}})
	assert.Equal(t, [2]string{"", "team copy"}, [2]string{pod, template}, "the group --template names is a template")

	hidden := &dctNames{vdbs: map[string]*dct.VDB{"pod": podVDB}, groups: n.groups[1:2]}
	pod, template = hidden.podAndTemplate(&dct.Bookmark{VDBGroupID: "g-pod", VDBIDs: []string{"pod"}})
	assert.Equal(t, [2]string{"prep1", ""}, [2]string{pod, template}, "an account that cannot see the template group")
}

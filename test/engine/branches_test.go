package engine

import (
	"testing"
	"time"

	"github.com/dxsteps/dxsteps/test/engine/internal/state"
	"github.com/stretchr/testify/assert"
)

func TestBranchFromASharedBookmarkIsPrivateAndActivateSwitchesBack(t *testing.T) {
	e := start(t, Options{})
	qa, dev := login(t, e, "qa", "1.11.9"), login(t, e, "dev", "1.11.9")
	bug := []Row{{ID: 42, Name: "causes bug"}}
	putRows(t, e, "qa-pod", bug)
	bm := qa.bookmark(qa.pod("qa-pod"), "Bug XXXX data", true)
	devPod := dev.pod("dev-pod")
	defaultBranch := devPod["activeBranch"].(string)
	res := dev.run(dev.js+"/branch", obj{"type": "JSBranchCreateParameters", "name": "bug-xxxx",
		"dataContainer": devPod["reference"], "timelinePointParameters": obj{"type": "JSTimelinePointBookmarkInput", "bookmark": bm}})
	branch := res["result"].(string)
	assert.Equal(t, branch, dev.pod("dev-pod")["activeBranch"])
	assert.Equal(t, bug, dataset(t, e, "dev-pod").Contents.Rows)

	putRows(t, e, "dev-pod", []Row{{ID: 1, Name: "dev change"}})
	assert.Equal(t, bug, dataset(t, e, "qa-pod").Contents.Rows, "pods never share changes")
	assert.Len(t, dev.list(dev.js+"/branch?dataLayout="+devPod["reference"].(string)), 2)

	dev.run(dev.js+"/branch/"+defaultBranch+"/activate", obj{})
	assert.Len(t, dataset(t, e, "dev-pod").Contents.Rows, 200)
	dev.run(dev.js+"/branch/"+branch+"/activate", obj{})
	assert.Equal(t, []Row{{ID: 1, Name: "dev change"}}, dataset(t, e, "dev-pod").Contents.Rows)
}

func TestBookmarkAtATimeOnABranchUsesTheDataOfThatTime(t *testing.T) {
	e := start(t, Options{})
	c := login(t, e, "qa", "1.11.9")
	pod := c.pod("qa-pod")
	putRows(t, e, "qa-pod", []Row{{ID: 1, Name: "v1"}})
	c.bookmark(pod, "v1", false)
	between := time.Now().UTC()
	time.Sleep(5 * time.Millisecond)
	putRows(t, e, "qa-pod", []Row{{ID: 1, Name: "v2"}})
	c.bookmark(pod, "v2", false)
	c.run(c.js+"/container/"+pod["reference"].(string)+"/restore", obj{"type": "JSDataContainerRestoreParameters", "forceOption": false,
		"timelinePointParameters": obj{"type": "JSTimelinePointTimeInput", "branch": pod["activeBranch"], "time": state.Stamp(between)}})
	assert.Equal(t, []Row{{ID: 1, Name: "v1"}}, dataset(t, e, "qa-pod").Contents.Rows)
}

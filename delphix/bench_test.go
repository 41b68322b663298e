package delphix

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
	"github.com/dxsteps/dxsteps/test/engine/enginetest"
)

// jobList builds a ListResult of n jobs with 20 events each, the shape of
// GET /job?addEvents=true on a busy engine.
func jobList(n int, tab bool) []byte {
	var b bytes.Buffer
	b.WriteString(`{"type":"ListResult","status":"OK","total":` + fmt.Sprint(n) + `,"overflow":false,"job":null,"action":null,"result":[`)
	sep := " "
	if tab {
		sep = "\t"
	}
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"type":"Job","reference":"JOB-%d","actionType":"DB_REFRESH","title":"Refresh%s\"vdb-%d\"","target":"APPDATA_CONTAINER-%d","jobState":"COMPLETED","percentComplete":100,"events":[`, i, sep, i, i)
		for e := range 20 {
			if e > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"type":"JobEvent","timestamp":"2026-11-22T10:00:%02d.000Z","eventType":"INFO","percentComplete":%d,"messageCode":"event.x","messageDetails":"Step %d of the refresh.","messageAction":null}`, e, e*5, e)
		}
		b.WriteString(`]}`)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

// BenchmarkDecodeJobList decodes a 1,000-job list (about 2.5 MB).
func BenchmarkDecodeJobList(b *testing.B) {
	for _, tab := range []bool{false, true} {
		raw := jobList(1000, tab)
		b.Run(fmt.Sprintf("rawTabs=%v", tab), func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			for b.Loop() {
				var jobs []Job
				if _, err := decodeResponse("GET", "/job", 200, raw, &jobs); err != nil || len(jobs) != 1000 {
					b.Fatal(err, len(jobs))
				}
			}
		})
	}
}

// BenchmarkWaitForFinishedJob measures one Jobs.Wait on a job that has
// ended: what every step pays after its job, over loopback.
func BenchmarkWaitForFinishedJob(b *testing.B) {
	e := enginetest.Start(b, engine.Options{Speed: 0.001})
	c, err := NewClient(e.URL())
	if err != nil {
		b.Fatal(err)
	}
	if err := c.Login(b.Context(), "delphix_admin", "landshark"); err != nil {
		b.Fatal(err)
	}
	db, err := c.Databases.FindByName(b.Context(), "Patients Prod")
	if err != nil {
		b.Fatal(err)
	}
	op, err := c.Databases.Sync(b.Context(), db)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := c.Jobs.Wait(b.Context(), op.Job, nil); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Jobs.Wait(b.Context(), op.Job, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFindByName matches one name among 5,000 databases, with a
// suggestion list when the name is not there.
func BenchmarkFindByName(b *testing.B) {
	dbs := make([]Database, 5000)
	for i := range dbs {
		dbs[i] = Database{Name: fmt.Sprintf("Patients VDB %04d", i), Reference: fmt.Sprintf("APPDATA_CONTAINER-%d", i)}
	}
	name := func(d *Database) string { return d.Name }
	ref := func(d *Database) string { return d.Reference }
	b.Run("found", func(b *testing.B) {
		for b.Loop() {
			if _, err := FindByName("database", "Patients VDB 4999", dbs, name, ref); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("missing", func(b *testing.B) {
		for b.Loop() {
			if _, err := FindByName("database", "Patients VDB 5000x", dbs, name, ref); err == nil {
				b.Fatal("found")
			}
		}
	})
}

package engine

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/dxsteps/dxsteps/test/engine/internal/notify"
)

// BenchmarkJobEventWithIdleChannels measures one job event end to end, in memory: published
// under the state lock as a job does, then read through GET /notification by the one channel
// that polls, beside idle channels opened through the same endpoint. The cost should not grow
// with the idle channels (internal/notify's benchmarks measure the hub alone, and memory over
// 10,000 waits).
func BenchmarkJobEventWithIdleChannels(b *testing.B) {
	for _, idle := range []int{0, 1000, 10000} {
		b.Run(fmt.Sprintf("idle=%d", idle), func(b *testing.B) {
			e, err := New(Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer e.Close()
			hc := e.Client()
			send := func(method, path, body string) string {
				req, _ := http.NewRequest(method, e.URL()+apiBase+path, strings.NewReader(body))
				resp, err := hc.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				defer resp.Body.Close()
				out, _ := io.ReadAll(resp.Body)
				return string(out)
			}
			send("POST", "/session", `{"type":"APISession","version":{"type":"APIVersion","major":1,"minor":11,"micro":9}}`)
			send("POST", "/login", `{"type":"LoginRequest","username":"delphix_admin","password":"landshark"}`)
			for i := range idle {
				send("GET", fmt.Sprintf("/notification?channel=idle-%d&timeout=0", i), "")
			}
			send("GET", "/notification?channel=active&timeout=0", "")
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				e.Mu.Lock()
				e.Notes.Publish(notify.Note{Object: "JOB-1", ObjectType: "Job", EventType: "UPDATE"})
				e.Mu.Unlock()
				if got := send("GET", "/notification?channel=active&timeout=1000", ""); !strings.Contains(got, `"JOB-1"`) {
					b.Fatalf("the polling channel got %s", got)
				}
			}
		})
	}
}

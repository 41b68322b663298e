package notify

import (
	"fmt"
	"runtime"
	"testing"
	"time"
)

// BenchmarkEvent measures one job event: published, then read by the one channel that waits
// for it, beside idle channels that are open but not polling. The cost should not grow with
// the idle channels. Every 65,536 events, outside the timer, the idle channels are marked
// used and caught up, and the hub sweeps, as happens once a minute on a running engine.
func BenchmarkEvent(b *testing.B) {
	for _, idle := range []int{0, 100, 1000, 10000} {
		b.Run(fmt.Sprintf("idle=%d", idle), func(b *testing.B) {
			h, clk := newHub(2 * time.Minute)
			for i := range idle {
				poll(h, fmt.Sprintf("idle-%d", i), 0)
			}
			poll(h, "active", 0)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				h.Publish(job("JOB-1"))
				if notes, _ := poll(h, "active", 0); len(notes) != 1 {
					b.Fatalf("active channel got %d notes", len(notes))
				}
				if i%65536 == 65535 {
					b.StopTimer()
					clk.advance(time.Minute + time.Second)
					h.mu.Lock()
					for _, ch := range h.channels {
						ch.cursor, ch.lastUse = h.first+uint64(len(h.log)), clk.now()
					}
					h.sweepIfDue()
					h.mu.Unlock()
					b.StartTimer()
				}
			}
		})
	}
}

// BenchmarkTenThousandWaits runs 10,000 job waits as a step does them (a new channel opened,
// three events of its job, one read, the channel abandoned), 50 ms apart on the hub's clock,
// and reports the live heap after 1,000, 5,000 and 10,000 waits. Channels live for the TTL
// (2,400 waits at this pace) plus up to half a TTL until the sweep, so from about 3,600 waits
// on the heap is flat: abandoned channels expire and the log forgets what they pinned.
func BenchmarkTenThousandWaits(b *testing.B) {
	var heap1k, heap5k, heap10k uint64
	var st Stats
	b.ReportAllocs()
	for range b.N {
		h, clk := newHub(2 * time.Minute)
		for w := range 10000 {
			ch, ref := fmt.Sprintf("wait-%d", w), fmt.Sprintf("JOB-%d", w)
			poll(h, ch, 0)
			for range 3 {
				h.Publish(job(ref))
			}
			if notes, _ := poll(h, ch, 0); len(notes) != 1 {
				b.Fatalf("wait %d got %d notes", w, len(notes))
			}
			clk.advance(50 * time.Millisecond)
			switch w + 1 {
			case 1000:
				heap1k = liveHeap()
			case 5000:
				heap5k = liveHeap()
			case 10000:
				heap10k = liveHeap()
			}
		}
		st = h.Stats()
		runtime.KeepAlive(h)
	}
	b.ReportMetric(float64(heap1k)/1024, "heapKB@1k")
	b.ReportMetric(float64(heap5k)/1024, "heapKB@5k")
	b.ReportMetric(float64(heap10k)/1024, "heapKB@10k")
	b.ReportMetric(float64(st.Channels), "channels@10k")
	b.ReportMetric(float64(st.Logged), "logged@10k")
}

// liveHeap is the heap in use after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// Package enginetest starts local engines for tests: one helper for every test package.
package enginetest

import (
	"testing"

	"github.com/dxsteps/dxsteps/test/engine"
)

// Speed is the job speed Start uses unless the options set one: a 5 s refresh takes 10 ms.
const Speed = 0.002

// Start runs a local engine for one test or benchmark and closes it when that ends. opts (at
// most one) configure it; jobs run at Speed unless opts set another. Its URL() is a loopback
// socket; its Client() reaches it in memory.
func Start(tb testing.TB, opts ...engine.Options) *engine.Engine {
	tb.Helper()
	if len(opts) > 1 {
		tb.Fatalf("enginetest.Start: at most one engine.Options, got %d", len(opts))
	}
	var o engine.Options
	if len(opts) == 1 {
		o = opts[0]
	}
	if o.Speed == 0 {
		o.Speed = Speed
	}
	e, err := engine.New(o)
	if err != nil {
		tb.Fatalf("enginetest.Start: %v", err)
	}
	tb.Cleanup(func() {
		if err := e.Close(); err != nil {
			tb.Errorf("closing the engine: %v", err)
		}
	})
	return e
}

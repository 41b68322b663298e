package engine

import (
	"time"

	"github.com/dxsteps/dxsteps/test/engine/dctapi"
)

// The DCT API is package dctapi; these are its names as users of an Engine know them.
type (
	// DCTOptions settle what the DCT spec leaves open (see dctapi.Options).
	DCTOptions = dctapi.Options
	// DCTAccount is one engine user as a DCT account, with its API key.
	DCTAccount = dctapi.Account
)

// DCTErrorBodies are the values of DCTOptions.ErrorBody ("" is "errors").
var DCTErrorBodies = dctapi.ErrorBodies

// DCTKey is the DCT API key of an engine user: "<account id>.<name>-local-key".
func DCTKey(accountID int, user string) string { return dctapi.Key(accountID, user) }

// DCTURL is the base URL of the engine's DCT API (under /dct/v3 unless DCTOptions say
// otherwise).
func (e *Engine) DCTURL() string { return e.url + e.dct.Options().BasePaths[0] }

// DCTAccounts lists the DCT accounts, one per engine user, in account id order.
func (e *Engine) DCTAccounts() []DCTAccount { return e.dct.Accounts() }

// BackdateBookmark moves the creation time of every bookmark named name (the engine's and
// DCT's own) back by age, as if it had been made that long ago; it reports whether there
// was one.
func (e *Engine) BackdateBookmark(name string, age time.Duration) bool {
	return e.dct.BackdateBookmark(name, age)
}

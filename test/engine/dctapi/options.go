package dctapi

import (
	"fmt"
	"slices"
	"strings"
)

// Options settle what the DCT spec leaves open; the zero value is the documented default
// of each.
type Options struct {
	// BasePaths the DCT API is served under; default both "/dct/v3" and "/v3".
	BasePaths []string
	// BusyStatus answers an operation on a dataset that a job is running on, or that
	// another account locked; default 409 (the other choice seen is 400).
	BusyStatus int
	// StrictBookmarks limits refresh_from_bookmark to bookmarks of the VDB itself or of its
	// parent; by default any bookmark of the same lineage (the same origin dSource) fits.
	StrictBookmarks bool
	// MergeHooks makes PATCH /vdbs/{id} hooks add to each hook point's list (an element_id
	// replaces that element) instead of replacing the lists it names.
	MergeHooks bool
	// ErrorBody is the shape of error answers, which the spec leaves undeclared: "errors"
	// (default) {"errors":[{"message":...}]}, "message" {"message":...}, "oauth"
	// {"error":...,"error_description":...} or "text" (plain text).
	ErrorBody string
}

// ErrorBodies are the values of Options.ErrorBody ("" is "errors").
var ErrorBodies = []string{"errors", "message", "oauth", "text"}

// Validate says what is wrong with the options, if anything.
func (o Options) Validate() error {
	for _, p := range o.BasePaths {
		if !strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/") || strings.ContainsAny(p, " {}") {
			return fmt.Errorf("DCT base path %q: want a path such as /dct/v3 (a leading slash, none at the end)", p)
		}
	}
	if o.BusyStatus != 0 && (o.BusyStatus < 400 || o.BusyStatus > 599) {
		return fmt.Errorf("DCT busy status %d: want an error status, 400 to 599", o.BusyStatus)
	}
	if o.ErrorBody != "" && !slices.Contains(ErrorBodies, o.ErrorBody) {
		return fmt.Errorf("DCT error body %q: want one of %s", o.ErrorBody, strings.Join(ErrorBodies, ", "))
	}
	return nil
}

// Key is the DCT API key of an engine user: "<account id>.<name>-local-key".
func Key(accountID int, user string) string {
	return fmt.Sprintf("%d.%s-local-key", accountID, user)
}

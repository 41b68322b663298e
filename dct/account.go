package dct

import (
	"strconv"
	"strings"
)

// AccountID is the number of the account the API key belongs to, which a
// DCT key starts with ("1.0p9P...": account 1), as VDBs and groups name
// the account holding their lock (LockedBy). ok is false when the key
// does not look like that.
func (c *Client) AccountID() (id int64, ok bool) {
	n, _, found := strings.Cut(c.secret, ".")
	if !found {
		return 0, false
	}
	id, err := strconv.ParseInt(n, 10, 64)
	return id, err == nil && id > 0
}

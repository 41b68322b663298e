package dct

import "testing"

func TestAccountIDIsTheNumberTheKeyStartsWith(t *testing.T) {
	for key, want := range map[string]int64{"1.0p9PMkZO": 1, "apk 12.secret": 12, "secret": 0, "x.secret": 0, "0.secret": 0} {
		c, err := NewClient("https://dct.example.com", WithAPIKey(key))
		if err != nil {
			t.Fatal(err)
		}
		id, ok := c.AccountID()
		if id != want && ok || ok != (want > 0) {
			t.Errorf("%q: AccountID() = %d, %v; want %d", key, id, ok, want)
		}
	}
}

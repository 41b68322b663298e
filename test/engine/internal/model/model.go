// Package model is the local engine's data model as tests see it: what a dataset holds
// (rows, accounts, masking and subset flags), how production changes and masking rewrite it,
// and the value types of the test API. It knows nothing of HTTP or of the engine's objects.
package model

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// Row is one row of the small table that stands in for an application's data.
type Row struct {
	ID   int    `json:"id" yaml:"id"`
	Name string `json:"name" yaml:"name"`
}

// Account is a database account of a dataset.
type Account struct {
	Name string `json:"name" yaml:"name"`
	// State is "active", "locked" or "dropped".
	State string `json:"state" yaml:"state"`
	// PasswordSha256 is the hex SHA-256 of the account's password.
	PasswordSha256 string `json:"passwordSha256" yaml:"passwordSha256"`
}

// Contents is what a dataset holds: the data a test can check for meaning.
type Contents struct {
	// DataVersion counts production changes; a copy keeps the version it was taken from.
	DataVersion int `json:"dataVersion"`
	// Masked is true once a masking job ran over the rows.
	Masked bool `json:"masked"`
	// SubsetPercent is 100 unless a subsetting tool reduced the rows.
	SubsetPercent int       `json:"subsetPercent"`
	Rows          []Row     `json:"rows"`
	Accounts      []Account `json:"accounts"`
}

// Connection says how an application would connect to a dataset's database.
type Connection struct {
	Host     string `json:"host" yaml:"host"`
	Port     int    `json:"port" yaml:"port"`
	Database string `json:"database" yaml:"database"`
	User     string `json:"user" yaml:"user"`
}

// Dataset is one named dataset as the test API shows it.
type Dataset struct {
	Name string `json:"name"`
	// Kind is "dsource", "vdb", "container" or "template".
	Kind       string     `json:"kind"`
	Reference  string     `json:"reference"`
	Contents   Contents   `json:"contents"`
	Connection Connection `json:"connection"`
}

// Clone deep-copies contents so that two datasets never share rows or accounts.
func (c *Contents) Clone() *Contents {
	if c == nil {
		return &Contents{SubsetPercent: 100, Rows: []Row{}, Accounts: []Account{}}
	}
	n := *c
	n.Rows = append([]Row{}, c.Rows...)
	n.Accounts = append([]Account{}, c.Accounts...)
	return &n
}

// PasswordHash is the hex SHA-256 of a password, as stored in Account.PasswordSha256.
func PasswordHash(p string) string {
	s := sha256.Sum256([]byte(p))
	return hex.EncodeToString(s[:])
}

var (
	firstNames  = []string{"Alice", "Bruno", "Chen", "Dana", "Emeka", "Fatima", "Goran", "Hana", "Ivan", "Julia", "Kofi", "Lena", "Mateo", "Nora", "Omar", "Priya"}
	lastNames   = []string{"Smith", "Okafor", "Novak", "Garcia", "Tanaka", "Muller", "Rossi", "Kowalski", "Haddad", "Larsen", "Silva", "Kim", "Dubois"}
	maskedFirst = []string{"Avery", "Blake", "Casey", "Drew", "Ellis", "Finley", "Gray", "Harper", "Jules", "Kendall", "Logan", "Morgan"}
	maskedLast  = []string{"Ashford", "Brook", "Carver", "Dale", "Everett", "Forde", "Gale", "Hollis", "Irwin", "Jarvis", "Keene"}
)

// patientName is the production name of row id at a data version.
func patientName(id, version int) string {
	n := id*7 + version*3
	return fmt.Sprintf("%s %s", firstNames[n%len(firstNames)], lastNames[(n/len(firstNames)+id)%len(lastNames)])
}

// GenerateRows builds n production rows at a data version.
func GenerateRows(n, version int) []Row {
	rows := make([]Row, 0, n)
	for i := 1; i <= n; i++ {
		rows = append(rows, Row{ID: i, Name: patientName(i, version)})
	}
	return rows
}

// MaskName replaces a name deterministically by a fake one from a disjoint name list.
func MaskName(name string) string {
	s := sha256.Sum256([]byte(name))
	return fmt.Sprintf("%s %s", maskedFirst[int(s[0])%len(maskedFirst)], maskedLast[int(s[1])%len(maskedLast)])
}

// Mask runs the masking job over contents: every name replaced, masked set.
func (c *Contents) Mask() {
	for i := range c.Rows {
		c.Rows[i].Name = MaskName(c.Rows[i].Name)
	}
	c.Masked = true
}

// ChangeProd simulates production activity: names of every tenth row change and five rows
// are added, and the data version goes up by one.
func (c *Contents) ChangeProd() {
	c.DataVersion++
	maxID := 0
	for i, r := range c.Rows {
		if r.ID%10 == c.DataVersion%10 {
			c.Rows[i].Name = patientName(r.ID, c.DataVersion)
		}
		maxID = max(maxID, r.ID)
	}
	for i := 1; i <= 5; i++ {
		c.Rows = append(c.Rows, Row{ID: maxID + i, Name: patientName(maxID+i, c.DataVersion)})
	}
}

// Account finds an account by name.
func (c *Contents) Account(name string) *Account {
	for i := range c.Accounts {
		if c.Accounts[i].Name == name {
			return &c.Accounts[i]
		}
	}
	return nil
}

// ApplyAccount performs "reset" (with password), "lock" or "drop" on an account.
func (c *Contents) ApplyAccount(name, action, password string) error {
	a := c.Account(name)
	if a == nil {
		return fmt.Errorf("account %q does not exist", name)
	}
	switch action {
	case "reset":
		if password == "" {
			return fmt.Errorf("reset of %q needs a password", name)
		}
		a.State, a.PasswordSha256 = "active", PasswordHash(password)
	case "lock":
		a.State = "locked"
	case "drop":
		a.State = "dropped"
	default:
		return fmt.Errorf("unknown action %q (want reset, lock or drop)", action)
	}
	return nil
}

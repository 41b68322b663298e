package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	ucli "github.com/urfave/cli/v2"
)

// FuzzConfigFile: any --config file content either fills the flags or is a
// usage error naming the file, on one line without Go types; it never panics, never accepts a password
// key, and a key set on the command line keeps its command-line value.
// Seeds: testdata/fuzz/FuzzConfigFile.
func FuzzConfigFile(f *testing.F) {
	f.Add([]byte("engine: https://delphix.example.com\nuser: admin\ntimeout: 30m\nvdb: Patients Masked Master\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, raw []byte) {
		path := filepath.Join(dir, "config.yaml")
		if err := os.WriteFile(path, raw, 0o600); err != nil {
			t.Skip(err)
		}
		var flags []ucli.Flag
		for _, k := range Connection {
			f := *k
			flags = append(flags, f.flag("", false))
		}
		flags = append(flags, &ucli.StringFlag{Name: "vdb"}, &ucli.StringSliceFlag{Name: "tag"}, &ucli.IntFlag{Name: "percent"})
		var applied error
		app := &ucli.App{Name: "fuzz", Flags: flags, HideHelp: true, Writer: discard{}, ErrWriter: discard{},
			Action: func(c *ucli.Context) error {
				applied = applyConfig(c, flags, map[string]string{})
				if applied == nil && c.String(User.Flag) != "from-flag" {
					t.Fatalf("the config overrode --user: %q", c.String(User.Flag))
				}
				return nil
			}}
		if err := app.Run([]string{"fuzz", "--user", "from-flag", "--config", path}); err != nil {
			t.Fatalf("run: %v", err)
		}
		if applied == nil {
			return
		}
		var usage *UsageError
		if !errors.As(applied, &usage) {
			t.Fatalf("not a usage error: %v", applied)
		}
		if !strings.Contains(applied.Error(), path) {
			t.Fatalf("the message does not name the file: %v", applied)
		}
		if strings.Contains(applied.Error(), "\n") || strings.Contains(applied.Error(), "interface {}") {
			t.Fatalf("not one line in words: %q", applied)
		}
	})
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

package contract

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/dxsteps/dxsteps/internal/cli"
)

// libraryKeys are the keys the Jenkins library adds to every var, which no
// binary reads as a flag (Steps.COMMON): their help is written here.
var libraryKeys = []struct{ key, doc string }{
	{"credentialsId", "String, Mandatory. Id of a Jenkins credential: on the engine (<code>platform: 'engine'</code>), " +
		"a <em>Username with password</em> credential of the engine user, bound to the environment variables " +
		"<code>DELPHIX_USER</code> and <code>DELPHIX_PASSWORD</code>; on Data Control Tower (<code>platform: 'dct'</code>), " +
		"a <em>Secret text</em> credential holding the DCT API key, bound to <code>DELPHIX_API_KEY</code>. " +
		"For the binary only: never on a command line, in a script or in the log."},
	{"dxstepsHome", "String, Optional, defaults to the environment variable <code>DXSTEPS_HOME</code>. " +
		"Directory holding the dxsteps binaries (<code>dx-sync</code> ...), used as it is. " +
		"Not set: the binaries installed from <code>distUrl</code>, else those on <code>PATH</code>. " +
		"A binary of another dxsteps version than the library's is refused; a development build (version <code>dev</code>) is used with a warning."},
	{"distUrl", "String, Optional, defaults to the environment variable <code>DXSTEPS_DIST_URL</code>. " +
		"Where the archives and <code>SHA256SUMS</code> of <code>make dist</code> are published: an http(s) URL, a <code>file://</code> URL " +
		"or a path on a shared mount, holding a folder per version (or with <code>{version}</code> standing for it). " +
		"On first use on an agent, the step fetches its platform's archive from there only, checks it against <code>SHA256SUMS</code> " +
		"and unpacks it under <code>DXSTEPS_TOOLS_DIR</code> (default: <code>dxsteps-tools</code> beside the workspace); later steps reuse it."},
}

// fromEnvironment are the connection keys the library fills from the
// agent's environment when the config leaves them out.
var fromEnvironment = map[string]bool{"engine": true, "platform": true}

// platformName is how the help names a platform.
func platformName(p string) string {
	if p == cli.PlatformDCT {
		return "DCT"
	}
	return p
}

// platformNote is "engine only" or "DCT only" for a key that applies to one
// platform, else "".
func platformNote(k cli.KeySpec) string {
	if len(k.Platforms) != 1 {
		return ""
	}
	return platformName(k.Platforms[0]) + " only"
}

// platformsLine says which platforms a step drives, for its help and its
// table in docs/steps.md.
func platformsLine(c cli.Contract) string {
	var names []string
	for _, p := range c.Platforms {
		names = append(names, platformName(p))
	}
	if len(names) == 1 {
		return "the " + names[0] + " only (key " + code("platform") + "); with " + code("platform: 'dct'") + " the step fails (exit 2) until it drives DCT"
	}
	return "the " + joinWords(names, "and") + ", chosen with the key " + code("platform")
}

// escape makes text safe in HTML; quotes stay as they are, for people reading the .txt.
var escape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace

func code(s string) string { return "<code>" + escape(s) + "</code>" }

func codes(words []string) string {
	var out []string
	for _, w := range words {
		out = append(out, code(w))
	}
	return joinWords(out, "and")
}

func joinWords(words []string, conj string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + conj + " " + words[len(words)-1]
}

func sentence(s string) string {
	s = escape(s)
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// keyDoc is one <dt>/<dd> pair of a help page.
func keyDoc(k cli.KeySpec) string {
	var b strings.Builder
	b.WriteString(groovyType(k.Type))
	switch def := groovyDefault(k); {
	case def == "MANDATORY":
		b.WriteString(", Mandatory.")
	case def != "null":
		b.WriteString(", Optional, defaults to " + code(def) + ".")
	case fromEnvironment[k.Key] && k.Key == cli.Platform.KeyName():
		b.WriteString(", Optional, defaults to the environment variable " + code(k.Env) + ", else " + code(cli.PlatformEngine) + ".")
	case fromEnvironment[k.Key]:
		b.WriteString(", Optional, defaults to the environment variable " + code(k.Env) + ".")
	default:
		b.WriteString(", Optional, not set by default.")
	}
	fmt.Fprintf(&b, " %s (%s).", sentence(k.Usage), code(k.Flag))
	if len(k.NeededBy) > 0 {
		b.WriteString(" Needed by " + codes(k.NeededBy) + ".")
	}
	if len(k.Operations) > 0 {
		b.WriteString(" Only with " + codes(k.Operations) + ".")
	}
	if k.Default != nil && k.Type != cli.Bool {
		fmt.Fprintf(&b, " The binary's default is %s.", code(fmt.Sprint(k.Default)))
	}
	if note := platformNote(k); note != "" {
		b.WriteString(" <em>" + sentence(note) + "</em>: refused (exit 2) on the other platform.")
	}
	return fmt.Sprintf("  <dt><code>%s</code></dt>\n  <dd>%s</dd>\n", k.Key, b.String())
}

// returns says what the var returns, from the contract's outputs.
func returns(c cli.Contract) string {
	var parts []string
	for _, o := range c.Outputs {
		var names []string
		for _, f := range o.Fields {
			names = append(names, code(f.Name))
		}
		part := strings.Join(names, ", ")
		if len(o.Operations) > 0 && len(c.Outputs) > 1 {
			part = "for " + codes(o.Operations) + ", " + part
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, "; ")
}

// helpPage writes vars/<step>.txt: the hand-written introduction and
// example in help/<step>.html, and every fact from the contract.
func helpPage(c cli.Contract, prose string) ([]byte, error) {
	intro, example, ok := strings.Cut(prose, "\n--- example ---\n")
	if !ok {
		return nil, fmt.Errorf("help/%s.html has no '--- example ---' line", c.Jenkins)
	}
	var b bytes.Buffer
	b.WriteString("<!-- GENERATED by `make contract` from " + c.Name + " --contract and internal/contract/help/" + c.Jenkins + ".html; do not edit. -->\n")
	b.WriteString(strings.TrimRight(intro, "\n") + "\n")
	fmt.Fprintf(&b, "<p>\n  Returns a Map: %s. Fails the build with one line, e.g.\n  <code>%s: &lt;what went wrong&gt; (exit 1, engine)</code>, built from the binary's error file.\n</p>\n",
		returns(c), c.Jenkins)
	fmt.Fprintf(&b, "<p>\n  <strong>Platforms:</strong> %s.\n</p>\n", platformsLine(c))
	b.WriteString("<p>Supported parameters (an unknown or missing key fails the build and lists the allowed keys):</p>\n<dl>\n")
	if len(c.Operations) > 0 {
		fmt.Fprintf(&b, "  <dt><code>operation</code></dt>\n  <dd>String, Optional, defaults to %s. One of %s; the binary's first argument.%s</dd>\n",
			code(c.Operations[0].Name), codes(opNames(c)), opUsages(c))
	}
	for _, k := range c.Keys {
		b.WriteString(keyDoc(k))
	}
	b.WriteString(commonKeyDocs(c))
	b.WriteString("</dl>\n")
	if len(c.Rules) > 0 {
		b.WriteString("<p><strong>Rules</strong> between keys, checked by <code>" + c.Name + "</code> before it touches the engine (exit 2):</p>\n<ul>\n")
		for _, r := range c.Rules {
			b.WriteString("  <li>" + escape(r.KeyText) + "</li>\n")
		}
		b.WriteString("</ul>\n")
	}
	b.WriteString(credentialsDoc(code(c.Name) + " reads"))
	fmt.Fprintf(&b, "<p>\n  <strong>Exit codes</strong> of <code>%s</code>, quoted in the error message (127: the binary was not found;\n  set <code>DXSTEPS_HOME</code> or put the dxsteps binaries on <code>PATH</code>):\n</p>\n", c.Name)
	b.WriteString(exitCodeList())
	b.WriteString("<p>Example:</p>\n<pre>\n" + example + "</pre>\n")
	return b.Bytes(), nil
}

// commonKeyDocs documents the keys every var that runs a binary has, in
// the order of Steps.COMMON: credentialsId, the library's connection keys,
// then where the binaries come from.
func commonKeyDocs(c cli.Contract) string {
	var b strings.Builder
	fmt.Fprintf(&b, "  <dt><code>%s</code></dt>\n  <dd>%s</dd>\n", libraryKeys[0].key, libraryKeys[0].doc)
	for _, k := range c.Connection {
		if k.Library {
			b.WriteString(keyDoc(k))
		}
	}
	for _, l := range libraryKeys[1:] {
		fmt.Fprintf(&b, "  <dt><code>%s</code></dt>\n  <dd>%s</dd>\n", l.key, l.doc)
	}
	return b.String()
}

// credentialsDoc is the help's paragraph on credentials; who says which
// binaries read them ("<code>dx-sync</code> reads").
func credentialsDoc(who string) string {
	return `<p>
  <strong>Credentials:</strong> <code>credentialsId</code> names a Jenkins credential, which the step binds with
  <code>withCredentials</code> for the binary only. On the engine it is a <em>Username with password</em> credential,
  bound to <code>DELPHIX_USER</code> and <code>DELPHIX_PASSWORD</code>; on DCT (<code>platform: 'dct'</code>) a
  <em>Secret text</em> credential holding the API key, bound to <code>DELPHIX_API_KEY</code>.
  ` + who + ` them from the environment: the password or key never appears in a script, a label or the log,
  and Jenkins masks it in the console.
</p>
`
}

// prepareDatasetPlatforms is the platforms paragraph of
// delphixPrepareDataset, which drives what all of its three binaries drive.
func prepareDatasetPlatforms(contracts []cli.Contract) string {
	both := cli.Contract{Platforms: cli.Platforms}
	for _, c := range contracts {
		if c.Name != "dx-datapod" && c.Name != "dx-subset" && c.Name != "dx-bookmark" {
			continue
		}
		var kept []string
		for _, p := range both.Platforms {
			if slices.Contains(c.Platforms, p) {
				kept = append(kept, p)
			}
		}
		both.Platforms = kept
	}
	return fmt.Sprintf("<p>\n  <strong>Platforms:</strong> %s.\n</p>\n", platformsLine(both))
}

// exitCodeList is the exit codes as an HTML definition list.
func exitCodeList() string {
	var b strings.Builder
	b.WriteString("<dl>\n")
	for _, e := range cli.ExitCodes {
		fmt.Fprintf(&b, "  <dt>%d</dt><dd>%s</dd>\n", e.Code, escape(e.Meaning))
	}
	b.WriteString("</dl>\n")
	return b.String()
}

// exitCodeTable is the exit codes as a Markdown table.
func exitCodeTable() string {
	var b strings.Builder
	b.WriteString("| code | category | meaning |\n| --- | --- | --- |\n")
	for _, e := range cli.ExitCodes {
		fmt.Fprintf(&b, "| %d | %s | %s |\n", e.Code, e.Category, e.Meaning)
	}
	return b.String()
}

// flagCell is "`--name NAME`" for a Markdown table.
func flagCell(k cli.KeySpec) string {
	if k.Value == "" {
		return "`" + k.Flag + "`"
	}
	return "`" + k.Flag + " " + k.Value + "`"
}

// keyTable is a step's keys as a Markdown table, then its rules.
func keyTable(c cli.Contract) string {
	var b strings.Builder
	var platforms []string
	for _, p := range c.Platforms {
		platforms = append(platforms, "`"+p+"`")
	}
	b.WriteString("Platforms (`--platform`): " + strings.Join(platforms, ", ") + ".\n\n")
	b.WriteString("| flag | environment | Jenkins key | meaning |\n| --- | --- | --- | --- |\n")
	for _, k := range c.Keys {
		var notes []string
		if k.Mandatory {
			notes = append(notes, "required")
		}
		if len(k.NeededBy) > 0 {
			notes = append(notes, "needed by "+strings.Join(k.NeededBy, ", "))
		}
		if len(k.Operations) > 0 {
			notes = append(notes, "only with "+strings.Join(k.Operations, ", "))
		}
		if k.Default != nil && k.Type != cli.Bool {
			notes = append(notes, fmt.Sprintf("default %v", k.Default))
		}
		if note := platformNote(k); note != "" {
			notes = append(notes, note)
		}
		meaning := strings.ReplaceAll(k.Usage, "|", `\|`)
		if len(notes) > 0 {
			meaning += " (" + strings.Join(notes, "; ") + ")"
		}
		fmt.Fprintf(&b, "| %s | `%s` | `%s` | %s |\n", flagCell(k), k.Env, k.Key, meaning)
	}
	var rules []string
	for _, r := range c.Rules {
		if r.Rule != "required" || len(r.Operations) > 0 {
			if r.Rule != "only" && r.Rule != "required" {
				rules = append(rules, r.Text)
			}
		}
	}
	if len(rules) > 0 {
		b.WriteString("\nAlso: " + strings.Join(rules, "; ") + ".\n")
	}
	return b.String()
}

// connectionTable is the connection keys every binary shares.
func connectionTable(c cli.Contract) string {
	var b strings.Builder
	b.WriteString("| flag | environment | Jenkins key | meaning |\n| --- | --- | --- | --- |\n")
	for _, k := range c.Connection {
		key := "(library)"
		if k.Library {
			key = "`" + k.Key + "`"
		}
		meaning := k.Usage
		var notes []string
		if k.Default != nil {
			notes = append(notes, fmt.Sprintf("default %v", k.Default))
		}
		if note := platformNote(k); note != "" {
			notes = append(notes, note)
		}
		if len(notes) > 0 {
			meaning += " (" + strings.Join(notes, "; ") + ")"
		}
		fmt.Fprintf(&b, "| %s | `%s` | %s | %s |\n", flagCell(k), k.Env, key, meaning)
		if k.Key == "user" {
			fmt.Fprintf(&b, "| (none) | `%s` | (library) | the password; never a flag, so it never shows in a process list (engine only) |\n", cli.PasswordEnv)
		}
		if k.Key == "passwordFile" {
			fmt.Fprintf(&b, "| (none) | `%s` | (library) | the DCT API key; never a flag, so it never shows in a process list (DCT only) |\n", cli.APIKeyEnv)
		}
	}
	return b.String()
}

// opUsages is each operation's one line, as its --help says it.
func opUsages(c cli.Contract) string {
	var parts []string
	for _, o := range c.Operations {
		if o.Usage != "" {
			parts = append(parts, code(o.Name)+": "+escape(o.Usage))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " " + strings.Join(parts, "; ") + "."
}

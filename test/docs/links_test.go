package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	heading  = regexp.MustCompile(`^(#{1,6}) (.*)$`)
	link     = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	notInTag = regexp.MustCompile("[^\\p{L}\\p{N} _-]")
)

// anchor is the id GitHub gives a heading.
func anchor(title string) string {
	return strings.ReplaceAll(notInTag.ReplaceAllString(strings.ToLower(title), ""), " ", "-")
}

// headings returns a Markdown file's headings (outside code blocks): level and anchor, in order.
func headings(text string) (levels []int, anchors []string) {
	seen := map[string]int{}
	inCode := false
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inCode = !inCode
			continue
		}
		m := heading.FindStringSubmatch(line)
		if inCode || m == nil {
			continue
		}
		a := anchor(m[2])
		if n := seen[a]; n > 0 {
			seen[a]++
			a += "-" + string(rune('0'+n))
		} else {
			seen[a] = 1
		}
		levels, anchors = append(levels, len(m[1])), append(anchors, a)
	}
	return levels, anchors
}

// TestEveryLinkOfThePagesLeadsSomewhere: every relative link of README.md and docs/*.md names a
// file of the repository and, for a Markdown file, a heading it has.
func TestEveryLinkOfThePagesLeadsSomewhere(t *testing.T) {
	for _, page := range pages(t) {
		raw, err := os.ReadFile(filepath.Join(root, page))
		require.NoError(t, err)
		for _, m := range link.FindAllStringSubmatch(string(raw), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			path, frag, _ := strings.Cut(target, "#")
			file := filepath.Join(root, filepath.Dir(page), path)
			if path == "" {
				file = filepath.Join(root, page)
			}
			content, err := os.ReadFile(file)
			if info, statErr := os.Stat(file); statErr == nil && info.IsDir() {
				continue
			}
			if !assert.NoError(t, err, "%s: link %s", page, target) || frag == "" {
				continue
			}
			_, anchors := headings(string(content))
			assert.Contains(t, anchors, frag, "%s: link %s: no such heading", page, target)
		}
	}
}

// TestEveryPageOpensWithItsContents: README.md and each page of docs/ list their sections (every
// ## heading) before the first of them, so a reader sees the page's shape at once; and the README
// stays a page a newcomer reads in ten minutes.
func TestEveryPageOpensWithItsContents(t *testing.T) {
	for _, page := range pages(t) {
		raw, err := os.ReadFile(filepath.Join(root, page))
		require.NoError(t, err)
		text := string(raw)
		levels, anchors := headings(text)
		first := strings.Index(text, "\n## ")
		if !assert.Positive(t, first, "%s has no ## sections", page) {
			continue
		}
		top := text[:first]
		for i, a := range anchors {
			if levels[i] == 2 {
				assert.Contains(t, top, "(#"+a+")", "%s: the contents at the top do not list section #%s", page, a)
			}
		}
	}
	raw, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	assert.Less(t, strings.Count(string(raw), "\n"), 300, "README.md is a landing page: the reference goes to docs/")
}

// TestTheREADMESaysWhyEachDependencyIsThere: every module go.mod requires directly is named in
// the README's Dependencies section, which says what it is for.
func TestTheREADMESaysWhyEachDependencyIsThere(t *testing.T) {
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	require.NoError(t, err)
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	_, deps, ok := strings.Cut(string(readme), "\n## Dependencies\n")
	require.True(t, ok, "README.md has no Dependencies section")
	deps, _, _ = strings.Cut(deps, "\n## ")
	var direct []string
	for _, line := range strings.Split(string(mod), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 2 && strings.Contains(fields[0], ".") && !strings.Contains(line, "// indirect") {
			direct = append(direct, fields[0])
		}
	}
	require.NotEmpty(t, direct)
	version := regexp.MustCompile(`/v\d+$`)
	for _, path := range direct {
		path = version.ReplaceAllString(path, "")
		parts := strings.Split(path, "/")
		name := parts[len(parts)-1]
		if len(parts) >= 3 {
			name = parts[len(parts)-2] + "/" + name
		}
		assert.True(t, strings.Contains(deps, name) || strings.Contains(deps, parts[len(parts)-1]+" "),
			"README.md's Dependencies section does not say why %s is there", path)
	}
}

package dxrunner

/**
 * Just enough YAML for a credentials file: nested mappings by indentation, scalars (plain, 'single'
 * or "double" quoted), `#` comments, `|` literal blocks (for file contents and keys) and
 * `{a: b, c: d}` flow mappings. Groovy 2.4 has no YAML parser and Jenkins does not need one here.
 */
class MiniYaml {
    static Map parse(String text, String source = 'yaml') {
        List<String> lines = text.readLines()
        int[] pos = [0] as int[]
        parseMap(lines, pos, 0, source)
    }

    private static Map parseMap(List<String> lines, int[] pos, int indent, String source) {
        Map result = new LinkedHashMap()
        while (pos[0] < lines.size()) {
            String raw = lines[pos[0]]
            String line = stripComment(raw)
            if (!line.trim() || line.trim() == '---') {
                pos[0]++
                continue
            }
            int ind = line.length() - line.replaceAll(/^ +/, '').length()
            if (ind < indent) {
                break
            }
            if (ind > indent) {
                throw new IllegalArgumentException("${source}:${pos[0] + 1}: unexpected indentation")
            }
            def m = line.trim() =~ /^("[^"]*"|'[^']*'|[^:]+?)\s*:(?:\s+(.*))?$/
            if (!m.matches()) {
                throw new IllegalArgumentException("${source}:${pos[0] + 1}: expected 'key: value'")
            }
            String key = unquote(m.group(1))
            String rest = m.group(2)?.trim()
            pos[0]++
            if (!rest) {
                result[key] = nextIndent(lines, pos[0]) > indent ? parseMap(lines, pos, nextIndent(lines, pos[0]), source) : null
            } else if (rest == '|' || rest == '|-') {
                result[key] = literal(lines, pos, indent, rest == '|')
            } else if (rest.startsWith('{') && rest.endsWith('}')) {
                Map flow = new LinkedHashMap()
                rest[1..-2].split(',').each { String kv ->
                    if (kv.trim()) {
                        int c = kv.indexOf(':')
                        flow[unquote(kv[0..<c].trim())] = unquote(kv[(c + 1)..-1].trim())
                    }
                }
                result[key] = flow
            } else {
                result[key] = unquote(rest)
            }
        }
        result
    }

    private static int nextIndent(List<String> lines, int from) {
        for (int i = from; i < lines.size(); i++) {
            String l = stripComment(lines[i])
            if (l.trim()) {
                return l.length() - l.replaceAll(/^ +/, '').length()
            }
        }
        -1
    }

    private static String literal(List<String> lines, int[] pos, int indent, boolean keepNewline) {
        List<String> body = []
        int blockIndent = -1
        while (pos[0] < lines.size()) {
            String l = lines[pos[0]]
            int ind = l.length() - l.replaceAll(/^ +/, '').length()
            if (l.trim() && ind <= indent) {
                break
            }
            if (blockIndent < 0 && l.trim()) {
                blockIndent = ind
            }
            body.add(l.trim() ? l.substring(blockIndent) : '')
            pos[0]++
        }
        while (body && !body.last()) {
            body.remove(body.size() - 1)
        }
        body.join('\n') + (keepNewline ? '\n' : '')
    }

    private static String stripComment(String line) {
        // A # starts a comment only at the line start or after a space, outside quotes.
        boolean sq = false, dq = false
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i)
            if (ch == '\'' && !dq) {
                sq = !sq
            } else if (ch == '"' && !sq) {
                dq = !dq
            } else if (ch == '#' && !sq && !dq && (i == 0 || line.charAt(i - 1) == ' ')) {
                return line.substring(0, i).replaceAll(/\s+$/, '')
            }
        }
        line.replaceAll(/\s+$/, '')
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith('"') && s.endsWith('"'))) {
            return s[1..-2].replace('\\"', '"').replace('\\n', '\n').replace('\\\\', '\\')
        }
        if (s.length() >= 2 && s.startsWith("'") && s.endsWith("'")) {
            return s[1..-2].replace("''", "'")
        }
        s
    }
}

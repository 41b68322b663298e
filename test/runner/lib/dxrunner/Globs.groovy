package dxrunner

import java.util.regex.Pattern

/**
 * Ant-style file patterns, as archiveArtifacts and findFiles take them: comma-separated, relative
 * to a directory, `*` and `?` within one path segment, `**` across segments.
 */
class Globs {
    /** The files (not directories) under dir that match includes and not excludes, as relative paths, sorted. */
    static List<String> match(File dir, String includes, String excludes) {
        List<Pattern> wanted = patterns(includes)
        List<Pattern> unwanted = patterns(excludes)
        List<String> found = []
        if (!dir.isDirectory()) {
            return found
        }
        String root = dir.canonicalPath
        dir.eachFileRecurse { File f ->
            if (f.isFile()) {
                String rel = f.canonicalPath.substring(root.length() + 1).replace(File.separator, '/')
                if (wanted.any { it.matcher(rel).matches() } && !unwanted.any { it.matcher(rel).matches() }) {
                    found.add(rel)
                }
            }
        }
        found.sort()
    }

    static List<Pattern> patterns(String globs) {
        (globs ?: '').split(',')*.trim().findAll { it }.collect { Pattern.compile(regex(it)) }
    }

    /** One Ant glob as a regular expression; a pattern ending in / means everything below. */
    static String regex(String glob) {
        String g = glob.endsWith('/') ? glob + '**' : glob
        StringBuilder re = new StringBuilder()
        int i = 0
        while (i < g.length()) {
            char c = g.charAt(i)
            if (g.startsWith('**/', i)) {
                re.append('(?:.*/)?')
                i += 3
            } else if (g.startsWith('**', i)) {
                re.append('.*')
                i += 2
            } else {
                re.append(c == '*' as char ? '[^/]*' : c == '?' as char ? '[^/]' : Pattern.quote(String.valueOf(c)))
                i++
            }
        }
        re.toString()
    }
}

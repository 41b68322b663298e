package dxrunner

/**
 * `@Library('dxsteps') _` (or `@Library(['a', 'b@ref']) import x.Y`) at the top of a Jenkinsfile.
 * The runner loads the one library it was given, so the annotation is blanked out (keeping line
 * numbers) before compiling.
 */
class LibraryDirective {
    private static final String PATTERN = /@Library\s*\((?:[^()'"]|'[^']*'|"[^"]*")*\)(\s*_(?![\w$]))?/

    static boolean present(String source) {
        source =~ PATTERN
    }

    static String strip(String source) {
        source.replaceAll(PATTERN) { List<String> m -> m[0].replaceAll(/[^\n]/, ' ') }
    }
}

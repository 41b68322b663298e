package dxrunner

import groovy.io.FileType
import org.codehaus.groovy.control.CompilationUnit
import org.codehaus.groovy.control.CompilerConfiguration
import org.codehaus.groovy.control.MultipleCompilationErrorsException
import org.codehaus.groovy.control.Phases
import org.codehaus.groovy.control.messages.ExceptionMessage
import org.codehaus.groovy.control.messages.SimpleMessage
import org.codehaus.groovy.control.messages.SyntaxErrorMessage

/**
 * Parses every Groovy file of the library and its tests, and every Jenkinsfile, with Groovy 2.4
 * without running anything. Library classes (src/) are also resolved (SEMANTIC_ANALYSIS: imports,
 * class names, types) against the runner's stand-ins for Jenkins classes such as @NonCPS; vars,
 * tests and Jenkinsfiles only have to parse (CONVERSION, as a script).
 */
class SyntaxCheck {
    /** Checks the repository at root; prints file:line:column: message per error; returns the error count. */
    static int run(File root, File stubs, PrintStream out, PrintStream err) {
        List<File> srcFiles = groovyUnder(new File(root, 'src'))
        List<File> scripts = (groovyUnder(new File(root, 'vars')) + groovyUnder(new File(root, 'test')) + jenkinsfiles(root)).unique()
        List<String> errors = check(srcFiles, Phases.SEMANTIC_ANALYSIS, [new File(root, 'src').path, stubs.path], root)
        // Scripts one at a time: each is its own class, and two var files may define the same helper.
        for (File f : scripts) {
            errors.addAll(check([f], Phases.CONVERSION, [], root))
        }
        errors.each { String e -> err.println(e) }
        err.flush()
        int count = srcFiles.size() + scripts.size()
        out.println(errors ? "check-syntax: ${errors.size()} error(s) in ${count} files" : "check-syntax: ${count} files parse with Groovy ${GroovySystem.version}")
        errors.size()
    }

    static List<File> groovyUnder(File dir) {
        walk(dir).findAll { File f -> f.name.endsWith('.groovy') }
    }

    /** Files under dir, leaving out hidden directories and node_modules (installed tools). */
    static List<File> walk(File dir) {
        List<File> files = []
        if (dir.isDirectory()) {
            dir.eachFile { File f ->
                if (f.isDirectory()) {
                    if (!f.name.startsWith('.') && f.name != 'node_modules') {
                        files.addAll(walk(f))
                    }
                } else {
                    files << f
                }
            }
        }
        files.sort()
    }

    /** Jenkinsfile* at the root and in examples/, and any under test/ (the runner's test data). */
    static List<File> jenkinsfiles(File root) {
        List<File> files = []
        [root, new File(root, 'examples')].each { File d ->
            if (d.isDirectory()) {
                d.eachFileMatch(FileType.FILES, ~/Jenkinsfile.*/) { File f -> files << f }
            }
        }
        files.addAll(walk(new File(root, 'test')).findAll { File f -> f.name.startsWith('Jenkinsfile') })
        files.sort()
    }

    static String rel(File f, File root) {
        root.toPath().relativize(f.canonicalFile.toPath()).toString()
    }

    /** Compiles files up to phase; returns one 'file:line:column: message' per error. */
    static List<String> check(List<File> files, int phase, List<String> classpath, File root) {
        if (!files) {
            return []
        }
        CompilerConfiguration cc = new CompilerConfiguration()
        cc.sourceEncoding = 'UTF-8'
        cc.classpathList = classpath
        cc.tolerance = 1000
        CompilationUnit cu = new CompilationUnit(cc, null, new GroovyClassLoader(SyntaxCheck.classLoader, cc))
        files.each { File f -> cu.addSource(f) }
        try {
            cu.compile(phase)
            return []
        } catch (MultipleCompilationErrorsException e) {
            return e.errorCollector.errors.collect { msg ->
                if (msg instanceof SyntaxErrorMessage) {
                    def c = ((SyntaxErrorMessage) msg).cause
                    return "${rel(new File(c.sourceLocator), root)}:${c.line}:${c.startColumn}: ${c.originalMessage.trim()}".toString()
                }
                if (msg instanceof ExceptionMessage) {
                    return ((ExceptionMessage) msg).cause.toString()
                }
                if (msg instanceof SimpleMessage) {
                    return ((SimpleMessage) msg).message
                }
                msg.toString()
            }
        }
    }
}

package dxrunner

import groovy.json.JsonOutput
import groovy.json.JsonSlurperClassic
import hudson.AbortException

/** The steps that read and write workspace files; relative paths start at the context's directory. */
class FileSteps {
    protected final Build build

    FileSteps(Build build) {
        this.build = build
    }

    protected Context ctx() {
        build.ctx()
    }

    File resolve(String path) {
        File f = new File(path)
        f.absolute ? f : new File(ctx().cwd, path)
    }

    /** Parsed with JsonSlurperClassic into plain LinkedHashMap / ArrayList (Serializable, as CPS needs). */
    Object readJSON(Map args) {
        def slurper = new JsonSlurperClassic()
        if (args.text != null) {
            return plain(slurper.parseText(args.text.toString()))
        }
        if (args.file == null) {
            throw new AbortException('readJSON: give file: or text:')
        }
        File f = resolve(args.file.toString())
        if (!f.isFile()) {
            throw new AbortException("readJSON: ${args.file} does not exist")
        }
        plain(slurper.parseText(f.getText('UTF-8')))
    }

    private static Object plain(Object v) {
        if (v instanceof Map) {
            Map m = new LinkedHashMap()
            ((Map) v).each { k, x -> m[k] = plain(x) }
            return m
        }
        if (v instanceof List) {
            List l = new ArrayList()
            ((List) v).each { x -> l.add(plain(x)) }
            return l
        }
        v
    }

    void writeJSON(Map args) {
        String text = args.pretty ? JsonOutput.prettyPrint(JsonOutput.toJson(args.json)) : JsonOutput.toJson(args.json)
        writeFile(file: args.file, text: text)
    }

    String readFile(String path) {
        readFile([file: path])
    }

    String readFile(Map args) {
        File f = resolve(args.file.toString())
        if (!f.isFile()) {
            throw new AbortException("readFile: ${args.file} does not exist")
        }
        f.getText((String) (args.encoding ?: 'UTF-8'))
    }

    void writeFile(Map args) {
        if (args.file == null || args.text == null) {
            throw new AbortException('writeFile: file: and text: are required')
        }
        File f = resolve(args.file.toString())
        f.absoluteFile.parentFile.mkdirs()
        f.setText(args.text.toString(), (String) (args.encoding ?: 'UTF-8'))
    }

    boolean fileExists(String path) {
        resolve(path).exists()
    }

    boolean fileExists(Map args) {
        fileExists(args.file.toString())
    }

    /** A file from the library's resources/ directory, as Jenkins' libraryResource. */
    String libraryResource(String path) {
        File f = build.library ? new File(build.library, "resources/${path}") : null
        if (f == null || !f.isFile()) {
            throw new AbortException("No such library resource ${path} could be found.")
        }
        f.getText('UTF-8')
    }


    String pwd(Map args = [:]) {
        args.tmp ? tmpDir().path : ctx().cwd.path
    }

    void deleteDir() {
        ctx().cwd.deleteDir()
    }

    File tmpDir() {
        File t = new File(build.workspace.path + '@tmp')
        t.mkdirs()
        t
    }
}

/**
 * A fake Jenkins pipeline for the library's vars. It loads a var the way Jenkins does (the var
 * script's unknown methods and properties resolve to pipeline steps), implements the steps the
 * library uses, and records what they were asked to do.
 *
 * sh really runs the script text with /bin/sh -xe (as Jenkins does) in a temporary workspace,
 * with an environment made only of PATH, env and the bound credentials. The dx-* binaries on
 * PATH are fakes that record their arguments and environment (see FAKE_BINARY).
 */
class StepStub {

    /** The engine password of the default credential; it must never show in a script or label. */
    static final String SECRET = 'pa$$ \'w0rd\' `s3cret`'

    /** The DCT API key of the default secret text credential; it must never show either. */
    static final String API_KEY = '1.delphix_admin-k\'ey $HOME `id`'

    /**
     * A fake dxsteps binary. It writes its argv (NUL separated), DELPHIX_USER, DELPHIX_PASSWORD and
     * DELPHIX_API_KEY next to itself, then exits with FAKE_DX_EXIT (default 0). On failure it writes FAKE_DX_ERROR
     * to the --error-file; on success it prints FAKE_DX_OUTPUT or {"step":"<its name>"}. Asked for
     * --version, it says FAKE_DX_VERSION or the library's version (bin/version).
     */
    static final String FAKE_BINARY = '''#!/bin/sh
name=$(basename "$0")
dir=$(dirname "$0")
if [ "$1" = --version ]; then echo "$name version ${FAKE_DX_VERSION:-$(cat "$dir/version")}"; exit 0; fi
: >"$dir/$name.argv"
for arg in "$@"; do printf '%s\\0' "$arg" >>"$dir/$name.argv"; done
printf '%s' "${DELPHIX_USER-}" >"$dir/$name.user"
printf '%s' "${DELPHIX_PASSWORD-}" >"$dir/$name.password"
printf '%s' "${DELPHIX_API_KEY-}" >"$dir/$name.apikey"
error_file=
previous=
for arg in "$@"; do
  if [ "$previous" = --error-file ]; then error_file=$arg; fi
  previous=$arg
done
if [ "${FAKE_DX_EXIT:-0}" != 0 ]; then
  if [ -n "${FAKE_DX_ERROR:-}" ]; then printf '%s' "$FAKE_DX_ERROR" >"$error_file"; fi
  echo "$name: failing as told" >&2
  exit "$FAKE_DX_EXIT"
fi
if [ -n "${FAKE_DX_OUTPUT:-}" ]; then printf '%s\\n' "$FAKE_DX_OUTPUT"; else printf '{"step":"%s"}\\n' "$name"; fi
'''

    static final List<String> BINARIES = ['dx-sync', 'dx-refresh', 'dx-credentials', 'dx-datapod',
                                          'dx-subset', 'dx-bookmark', 'dx-branch']

    /** What env.X answers; also exported to every sh script. */
    Map<String, String> env = [DELPHIX_ENGINE: 'http://engine.test', BUILD_NUMBER: '7', BUILD_TAG: 'jenkins-job-7']

    /** Jenkins username/password credentials by id: [username, password]. */
    Map<String, List<String>> credentials = ['delphix-engine': ['delphix_admin', SECRET]]

    /** Jenkins secret text credentials by id. */
    Map<String, String> secrets = ['dct-api-key': API_KEY]

    /** Every sh call of a step's binary: label, script (as given), env (as the script saw it), status, output. */
    List<Map> shCalls = []

    /** Every message given to echo and error. */
    List<String> messages = []

    /** currentBuild: its description as the steps set it. */
    Map currentBuild = [description: null]

    /** Every file archiveArtifacts archived: its path in the workspace -> its text at that time. */
    Map<String, String> archived = [:]

    /** The directory dir(...) made current, relative to the workspace ('' for the workspace). */
    String cwd = ''

    /** The workspace the scripts run in, and the directory of the fake binaries. */
    final File workspace
    final File fakeBin

    /** Whether fakeBin is on the scripts' PATH. */
    boolean binariesOnPath = true

    /** What isUnix() answers; when false, powershell calls are recorded, not run. */
    boolean unix = true

    /** Every powershell call: label, script, returnStdout, returnStatus. */
    List<Map> powershellCalls = []

    /** What a step's powershell call answers, its exit status. */
    int powershellStatus = 0

    /** When set, a step's powershell call writes it to the script's error file (a failed install check). */
    String writeError = null

    /** When set, a step's powershell call writes it to the script's result file, as the binary would. */
    String writeResult = null

    /** The library's version, as the library reads it. */
    static final String VERSION = new File('resources/io/dxsteps/version.txt').text.trim()

    private final Map<String, String> bound = [:]

    StepStub() {
        File root = File.createTempDir('dxsteps-test', '')
        root.deleteOnExit()
        workspace = new File(root, 'workspace')
        fakeBin = new File(root, 'bin')
        workspace.mkdirs()
        fakeBin.mkdirs()
        for (String binary in BINARIES) {
            File file = new File(fakeBin, binary)
            file.text = FAKE_BINARY
            file.setExecutable(true)
        }
        new File(fakeBin, 'version').text = VERSION
    }

    /** Loads vars/<name>.groovy with this stub as its pipeline. */
    Script load(String name) {
        Binding binding = new Binding()
        binding.setVariable('env', env)
        binding.setVariable('sh', { Map args -> sh(args) })
        binding.setVariable('isUnix', { -> unix })
        binding.setVariable('powershell', { Map args -> powershell(args) })
        binding.setVariable('libraryResource', { String path -> new File("resources/${path}").getText('UTF-8') })
        binding.setVariable('withCredentials', { List bindings, Closure body -> withCredentials(bindings, body) })
        binding.setVariable('usernamePassword', { Map args -> [type: 'usernamePassword'] + args })
        binding.setVariable('string', { Map args -> [type: 'string'] + args })
        binding.setVariable('readJSON', { Map args -> readJSON(args) })
        binding.setVariable('fileExists', { String path -> here(path).exists() })
        binding.setVariable('writeFile', { Map args -> here(args.file as String).text = args.text })
        binding.setVariable('writeJSON', { Map args -> here(args.file as String).text = groovy.json.JsonOutput.toJson(args.json) })
        binding.setVariable('currentBuild', currentBuild)
        binding.setVariable('dir', { String path, Closure body -> inDir(path, body) })
        binding.setVariable('pwd', { -> here('.').absolutePath })
        binding.setVariable('deleteDir', { -> here('.').canonicalFile.deleteDir() })
        binding.setVariable('findFiles', { Map args -> findFiles(args) })
        binding.setVariable('archiveArtifacts', { Map args -> archived[cwd + args.artifacts] = here(args.artifacts as String).text })
        binding.setVariable('echo', { Object message -> messages << message.toString() })
        binding.setVariable('error', { Object message -> messages << message.toString(); throw new StubError(message.toString()) })
        GroovyShell shell = new GroovyShell(StepStub.classLoader, binding)
        return shell.parse(new File("vars/${name}.groovy"))
    }

    /** Runs a var with a config, as a Jenkinsfile would: delphixSync(config). */
    Object call(String name, Map config) {
        return load(name).invokeMethod('call', [config] as Object[])
    }

    /** The arguments the fake binary last received. */
    List<String> argv(String binary) {
        byte[] bytes = new File(fakeBin, binary + '.argv').bytes
        List<String> args = new String(bytes, 'UTF-8').split('\u0000', -1) as List
        return args[0..-2]
    }

    /** The DELPHIX_USER, DELPHIX_PASSWORD or DELPHIX_API_KEY ('user', 'password', 'apikey') the fake binary last received. */
    String received(String binary, String what) {
        return new File(fakeBin, "${binary}.${what}").getText('UTF-8')
    }

    /** The last sh script, its run id replaced by ID so tests can compare exact text. */
    String lastScript() {
        return normalized(shCalls[-1].script as String)
    }

    static String normalized(String text) {
        return text.replaceAll(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, 'ID')
    }

    private Object sh(Map args) {
        Map<String, String> scriptEnv = [PATH: (binariesOnPath ? fakeBin.path + ':' : '') + '/usr/bin:/bin']
        scriptEnv.putAll(env)
        scriptEnv.putAll(bound)
        ProcessBuilder builder = new ProcessBuilder('/bin/sh', '-xe', '-c', args.script as String)
        builder.directory(workspace)
        builder.environment().clear()
        builder.environment().putAll(scriptEnv)
        Process process = builder.start()
        ByteArrayOutputStream out = new ByteArrayOutputStream()
        ByteArrayOutputStream err = new ByteArrayOutputStream()
        process.waitForProcessOutput(out, err)
        int status = process.waitFor()
        shCalls << [label: args.label, script: args.script, env: scriptEnv, status: status,
                    stdout: out.toString('UTF-8'), stderr: err.toString('UTF-8')]
        if (args.returnStatus) {
            return status
        }
        if (status != 0) {
            throw new StubError("script returned exit code ${status}")
        }
        return args.returnStdout ? out.toString('UTF-8') : null
    }

    private Object powershell(Map args) {
        powershellCalls << [label: args.label, script: args.script, returnStdout: args.returnStdout,
                            returnStatus: args.returnStatus]
        if (args.returnStatus) {
            writeAssigned(args.script as String, 'result', writeResult)
            writeAssigned(args.script as String, 'errorFile', writeError)
            return powershellStatus
        }
        return null
    }

    /** Writes text to the file a powershell script assigns to $variable, when text is set. */
    private void writeAssigned(String script, String variable, String text) {
        def assigned = script =~ ('(?m)^[$]' + variable + ' = ' + "'([^']*)'" + '$')
        if (text != null && assigned.find()) {
            File file = new File(workspace, assigned.group(1))
            file.parentFile.mkdirs()
            file.text = text
        }
    }

    private Object withCredentials(List bindings, Closure body) {
        for (Map binding in bindings) {
            String id = binding.credentialsId as String
            List<String> pair = credentials[id]
            String secret = secrets[id]
            if (pair == null && secret == null) {
                throw new StubError("Could not find credentials entry with ID '${id}'")
            }
            // As Jenkins: a credential bound as another type than it is fails the step.
            if (binding.type == 'string') {
                if (secret == null) {
                    throw new StubError("Credentials '${id}' is of type 'Username with password' where " +
                        "'org.jenkinsci.plugins.plaincredentials.StringCredentials' was expected")
                }
                bound[binding.variable as String] = secret
                continue
            }
            if (pair == null) {
                throw new StubError("Credentials '${id}' is of type 'Secret text' where " +
                    "'com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials' was expected")
            }
            bound[binding.usernameVariable as String] = pair[0]
            bound[binding.passwordVariable as String] = pair[1]
        }
        try {
            return body()
        } finally {
            bound.clear()
        }
    }

    /** A path relative to the current directory. */
    File here(String path) {
        return new File(new File(workspace, cwd), path)
    }

    private Object inDir(String path, Closure body) {
        String before = cwd
        cwd = before + path + '/'
        here('.').mkdirs()
        try {
            return body()
        } finally {
            cwd = before
        }
    }

    /** findFiles(glob:, excludes:) on the file names of the current directory, as [name:, path:, length:, lastModified:]. */
    private List<Map> findFiles(Map args) {
        List<Map> found = []
        for (File f in (here('.').listFiles() ?: []).sort { it.name }) {
            boolean wanted = f.name ==~ glob(args.glob as String)
            boolean excluded = args.excludes && f.name ==~ glob(args.excludes as String)
            if (f.isFile() && wanted && !excluded) {
                found << [name: f.name, path: cwd + f.name, length: f.length(), lastModified: f.lastModified()]
            }
        }
        return found
    }

    private static String glob(String pattern) {
        return pattern.split('\\*', -1).collect { java.util.regex.Pattern.quote(it) }.join('.*')
    }

    private Object readJSON(Map args) {
        String text = args.text ?: here(args.file as String).getText('UTF-8')
        return new groovy.json.JsonSlurper().parseText(text)
    }
}

package dxrunner

import groovy.json.JsonOutput
import org.codehaus.groovy.control.CompilationFailedException
import org.codehaus.groovy.control.CompilerConfiguration

/**
 * The command line: loads the library and the Jenkinsfile, runs it, prints the stage graph and
 * "Finished: RESULT", optionally writes the graph as JSON, and exits with the result's code
 * (SUCCESS 0, UNSTABLE 1, FAILURE 2, ABORTED 4; 64 for a usage error).
 */
class Runner {
    static final String USAGE = '''usage: jenkinsfile-runner [--library DIR] [--credentials FILE] [--param K=V ...]
                          [--job-name NAME] [--build-number N] [--workspace DIR]
                          [--graph-json FILE] [--artifacts DIR] [--previous-result RESULT] Jenkinsfile'''

    File jenkinsfile
    File library
    File credentialsFile
    File graphJson
    File artifactsDir
    Map<String, String> params = [:]
    String jobName = 'local'
    int buildNumber = 1
    File workspace = new File('.').canonicalFile
    String previousResult
    /** Set once the result is printed, so stopping afterwards prints nothing more. */
    private volatile boolean finished

    static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, 'UTF-8')
        Runner r
        try {
            r = parse(args as List<String>)
        } catch (IllegalArgumentException e) {
            System.err.println("jenkinsfile-runner: ${e.message}\n${USAGE}")
            System.exit(64)
        }
        System.exit(r.run(out))
    }

    static Runner parse(List<String> args) {
        Runner r = new Runner()
        Iterator<String> rest = args.iterator()
        while (rest.hasNext()) {
            String a = rest.next()
            Closure<String> value = {
                if (!rest.hasNext()) {
                    throw new IllegalArgumentException("${a} needs a value")
                }
                rest.next()
            }
            switch (a) {
                case '--library': r.library = new File(value()).canonicalFile; break
                case '--credentials': r.credentialsFile = new File(value()); break
                case '--graph-json': r.graphJson = new File(value()); break
                case '--artifacts': r.artifactsDir = new File(value()).absoluteFile; break
                case '--job-name': r.jobName = value(); break
                case '--build-number': r.buildNumber = Integer.parseInt(value()); break
                case '--workspace': r.workspace = new File(value()).canonicalFile; break
                case '--previous-result': r.previousResult = Results.checkBuild(value()); break
                case '--param':
                    String kv = value()
                    int eq = kv.indexOf('=')
                    if (eq < 1) {
                        throw new IllegalArgumentException("--param ${kv}: expected NAME=value")
                    }
                    r.params[kv.substring(0, eq)] = kv.substring(eq + 1)
                    break
                case ['-h', '--help']: throw new IllegalArgumentException('help')
                default:
                    if (a.startsWith('-') || r.jenkinsfile != null) {
                        throw new IllegalArgumentException("unexpected argument ${a}")
                    }
                    r.jenkinsfile = new File(a)
            }
        }
        if (r.jenkinsfile == null) {
            throw new IllegalArgumentException('no Jenkinsfile given')
        }
        if (!r.jenkinsfile.isFile()) {
            throw new IllegalArgumentException("${r.jenkinsfile} does not exist")
        }
        r
    }

    int run(PrintStream out) {
        Console console = new Console(out)
        Build build = newBuild(console)
        String source = jenkinsfile.getText('UTF-8')
        if (LibraryDirective.present(source) && build.library == null) {
            console.print('', "ERROR: ${jenkinsfile} loads a library but none was found; pass --library DIR (a directory with vars/ or src/)")
            return finish(build, 'FAILURE', out)
        }
        if (build.library) {
            console.print('', "Loading library from ${build.library}")
        }
        StageNode root = build.root
        // Ctrl-C or kill: abort as Jenkins does (SIGTERM to each sh process tree, SIGKILL to what is
        // left after 5 seconds), then still show what ran, as Jenkins shows an aborted build.
        Thread onStop = new Thread({
            if (!finished) {
                build.stopping = true
                console.print('', 'Aborting: sending SIGTERM to the running sh steps')
                Shell.stop(new ArrayList<Process>(build.processes))
                // Let each sh step print the last words of its processes before the graph.
                long until = System.nanoTime() + 3000000000L
                while (!build.processes.isEmpty() && System.nanoTime() < until) {
                    Thread.sleep(50)
                }
                root.stopAll()
                console.print('', 'Stopped: aborting the build')
                finish(build, 'ABORTED', out)
            }
        } as Runnable, 'runner-stop')
        Runtime.runtime.addShutdownHook(onStop)
        build.ctx = new Context(global: initialEnv(build), cwd: workspace, node: root)
        workspace.mkdirs()
        try {
            Class c = build.loader.parseClass(new GroovyCodeSource(LibraryDirective.strip(source), jenkinsfile.name, '/groovy/script'))
            PipelineScript script = (PipelineScript) c.newInstance()
            script.attach(build)
            script.run()
        } catch (CompilationFailedException e) {
            build.worsen('FAILURE')
            console.print('', "ERROR: ${jenkinsfile} does not compile:\n${e.message}")
        } catch (AlreadyReported e) {
            // Declarative already printed and counted it.
        } catch (Throwable e) {
            build.worsen(Errors.isInterrupt(e) ? 'ABORTED' : 'FAILURE')
            console.print('', "ERROR: ${Errors.describe(e)}")
        }
        finish(build, build.result, out)
    }

    private Build newBuild(Console console) {
        Build b = new Build(jobName: jobName, number: buildNumber, displayName: "#${buildNumber}",
                workspace: workspace, console: console, previousResult: previousResult,
                artifactsDir: artifactsDir ?: new File(workspace.path + "@builds/${buildNumber}/archive"))
        b.library = library ?: findLibrary()
        b.credentials = Credentials.load(credentialsFile)
        b.cliParams = params
        b.steps = new Steps(b)
        b.env = new EnvProxy(b)
        b.currentBuild = new CurrentBuild(b)
        CompilerConfiguration cc = new CompilerConfiguration()
        cc.scriptBaseClass = PipelineScript.name
        cc.sourceEncoding = 'UTF-8'
        b.loader = new GroovyClassLoader(Runner.classLoader, cc)
        if (b.library != null && new File(b.library, 'src').isDirectory()) {
            b.loader.addClasspath(new File(b.library, 'src').path)
        }
        b
    }

    /** The nearest directory from the Jenkinsfile up that has vars/ or src/. */
    private File findLibrary() {
        for (File d = jenkinsfile.canonicalFile.parentFile; d != null; d = d.parentFile) {
            if (new File(d, 'vars').isDirectory() || new File(d, 'src').isDirectory()) {
                return d
            }
        }
        null
    }

    private Map<String, String> initialEnv(Build b) {
        Map<String, String> env = new LinkedHashMap<String, String>(System.getenv())
        env.BUILD_NUMBER = String.valueOf(b.number)
        env.BUILD_ID = String.valueOf(b.number)
        env.BUILD_DISPLAY_NAME = b.displayName
        env.JOB_NAME = b.jobName
        env.JOB_BASE_NAME = b.jobName.tokenize('/').last()
        env.BUILD_TAG = "jenkins-${b.jobName.replace('/', '-')}-${b.number}".toString()
        env.WORKSPACE = workspace.path
        env.WORKSPACE_TMP = workspace.path + '@tmp'
        env.NODE_NAME = 'built-in'
        env.EXECUTOR_NUMBER = '0'
        env.JENKINS_URL = 'http://localhost/'
        env.BUILD_URL = "http://localhost/job/${b.jobName}/${b.number}/".toString()
        env
    }

    private synchronized int finish(Build build, String result, PrintStream out) {
        if (finished) {
            return Results.EXIT[result]
        }
        finished = true
        Console console = build.console
        console.timestamps = false
        if (!build.root.children.isEmpty()) {
            console.print('', '')
            console.print('', 'Stage graph:')
            GraphPrinter.lines(build.root).each { String l -> console.print('', l) }
        }
        String description = build.currentBuild.description
        if (description) {
            console.print('', 'Description:')
            description.readLines().each { String l -> console.print('', "  ${l}") }
        }
        List<String> archived = new ArrayList<String>(build.artifacts)
        if (archived) {
            console.print('', "Archived artifacts (in ${build.artifactsDir}):")
            archived.each { String a -> console.print('', "  ${a}") }
        }
        build.nodeSteps.lines().each { String l -> console.print('', l) }
        if (graphJson != null) {
            Map graph = [result: result, description: description, artifacts: archived, stages: build.root.toMap().stages ?: [],
                         nodeSteps: build.nodeSteps.toMap()]
            graphJson.absoluteFile.parentFile.mkdirs()
            graphJson.setText(JsonOutput.prettyPrint(JsonOutput.toJson(graph)) + '\n', 'UTF-8')
        }
        console.print('', "Finished: ${result}")
        console.closed = true
        out.flush()
        Results.EXIT[result]
    }
}

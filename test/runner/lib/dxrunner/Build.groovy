package dxrunner

/**
 * The state of one run: identity (job, number, workspace), result, stage graph, console, the
 * thread-local step context, parameters, credentials and the shared library's global vars.
 */
class Build {
    String jobName
    int number
    String displayName
    File workspace
    File library
    long startMillis = System.currentTimeMillis()
    /** Result of the previous build, for `post { changed/fixed/regression }`; null when unknown. */
    String previousResult

    Console console
    Credentials credentials
    Steps steps
    EnvProxy env
    CurrentBuild currentBuild
    GroovyClassLoader loader
    final StageNode root = new StageNode(name: null)

    /** Parameter values: CLI values over declared defaults. Exposed read-only as `params`. */
    final Map<String, Object> paramValues = new LinkedHashMap<String, Object>()
    final Map<String, Object> params = Collections.unmodifiableMap(paramValues)
    /** Values from --param, kept as strings until a declaration says their type. */
    Map<String, String> cliParams = [:]

    volatile String result = 'SUCCESS'
    volatile boolean resultSet

    /** Set when the runner is being stopped (Ctrl-C, kill): what fails from then on was aborted. */
    volatile boolean stopping

    /** Where archiveArtifacts copies files, and the paths archived so far (relative, in order). */
    File artifactsDir
    final List<String> artifacts = Collections.synchronizedList([])

    /** The durable steps (sh, bat, powershell) run, and the library calls they ran in. */
    final NodeSteps nodeSteps = new NodeSteps()

    /** sh processes still running, killed if the runner is stopped. */
    final Set<Process> processes = java.util.concurrent.ConcurrentHashMap.newKeySet()

    private final ThreadLocal<Context> contexts = new ThreadLocal<Context>()
    private final Map<String, Object> vars = [:]

    /** The context of the calling thread. */
    Context ctx() {
        Context c = contexts.get()
        if (c == null) {
            throw new IllegalStateException("no pipeline context on thread ${Thread.currentThread().name}")
        }
        c
    }

    void setCtx(Context c) {
        contexts.set(c)
    }

    /** Runs body with c as the calling thread's context, then restores the previous one. */
    Object within(Context c, Closure body) {
        Context saved = contexts.get()
        contexts.set(c)
        try {
            return body.call()
        } finally {
            contexts.set(saved)
        }
    }

    synchronized void worsen(String r) {
        result = Results.worseBuild(result, r)
        resultSet = true
    }

    /** Echoes text under the current stage's prefix. */
    void log(Object text) {
        Context c = contexts.get()
        console.print(c ? c.prefix : '', text)
    }

    /** Applies parameter declarations: defaults, typed CLI overrides, and params in env. */
    synchronized void declareParams(List<Map> defs, Context rootCtx) {
        for (Map d : defs) {
            Object value = d.defaultValue
            if (cliParams.containsKey(d.name)) {
                String raw = cliParams[d.name]
                value = d.type == 'booleanParam' ? Boolean.valueOf(raw) : raw
                if (d.type == 'choice' && !(raw in d.choices)) {
                    throw new hudson.AbortException("parameter ${d.name}: '${raw}' is not one of ${d.choices}")
                }
            }
            paramValues[(String) d.name] = value
            if (d.type == 'password' && value) {
                console.addSecret(value.toString())
            }
        }
        for (String k : cliParams.keySet()) {
            if (!paramValues.containsKey(k)) {
                paramValues[k] = cliParams[k]
            }
        }
        paramValues.each { k, v ->
            rootCtx.setEnv(k, v == null ? '' : v.toString())
        }
    }

    /** True when the library has a global var of that name (vars/NAME.groovy). */
    boolean hasVar(String name) {
        library != null && name ==~ /[A-Za-z_$][A-Za-z0-9_$]*/ && new File(library, "vars/${name}.groovy").isFile()
    }

    /** The single instance of a global var, compiled on first use like Jenkins does. */
    synchronized Object var(String name) {
        Object v = vars[name]
        if (v == null) {
            File f = new File(library, "vars/${name}.groovy")
            Class c = loader.parseClass(new GroovyCodeSource(f, 'UTF-8'))
            v = c.newInstance()
            if (v instanceof PipelineScript) {
                ((PipelineScript) v).attach(this)
            }
            vars[name] = v
        }
        v
    }
}

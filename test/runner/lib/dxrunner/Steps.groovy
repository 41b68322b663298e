package dxrunner

import hudson.AbortException

import java.util.concurrent.Executors
import java.util.concurrent.ScheduledExecutorService
import java.util.concurrent.ScheduledFuture
import java.util.concurrent.ThreadFactory
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean

/**
 * The pipeline steps. Each public method (here and in FileSteps) is a step callable from a
 * Jenkinsfile, a var or a library class through the script object. Steps act on the calling
 * thread's Context.
 */
class Steps extends ArtifactSteps {
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor({ Runnable r ->
        Thread t = new Thread(r, 'timeout-watchdog')
        t.daemon = true
        t
    } as ThreadFactory)

    Steps(Build build) {
        super(build)
    }

    // ---- structure -------------------------------------------------------------------------

    /** Declarative: builds the model from the closure, then runs it. */
    void pipeline(Closure body) {
        PipelineModel model = PipelineDsl.build(body)
        new Declarative(build, model, (PipelineScript) body.thisObject).run()
    }

    Object node(Closure body) {
        node('', body)
    }

    Object node(String label, Closure body) {
        Context c = ctx().scope()
        c.overlay.NODE_NAME = 'built-in'
        build.within(c) { body.call() }
    }

    Object node(Map args, Closure body) {
        node((String) (args.label ?: ''), body)
    }

    /** Scripted stage: a node in the graph; an error fails it and goes on up. */
    Object stage(String name, Closure body) {
        StageNode n = ctx().node.child(name)
        runStage(n, ctx().scope(n), body)
    }

    Object stage(Map args, Closure body) {
        stage((String) args.name, body)
    }

    /** Runs body as stage n; records status and duration, rethrows the error that ended it. */
    Object runStage(StageNode n, Context c, Closure body) {
        n.start()
        String status = null
        try {
            return build.within(c) { body.call() }
        } catch (FlowInterrupted e) {
            status = 'ABORTED'
            n.error = build.console.mask(e.message)
            throw e
        } catch (Throwable e) {
            status = 'FAILED'
            n.error = build.console.mask(Errors.describe(e))
            throw e
        } finally {
            n.finish(status)
        }
    }

    /** Scripted parallel: `parallel a: {...}, b: {...}, failFast: true`. */
    void parallel(Map branches) {
        Map<String, Closure> lanes = new LinkedHashMap<String, Closure>()
        boolean failFast = false
        branches.each { k, v ->
            if (k == 'failFast') {
                failFast = v as boolean
            } else {
                lanes[k.toString()] = (Closure) v
            }
        }
        StageNode parent = ctx().node
        if (!parent.children.isEmpty() || parent.root) {
            parent = parent.child('Parallel')
            parent.start()
        }
        parent.parallel = true
        List<Map> runs = []
        lanes.each { String name, Closure body ->
            StageNode n = parent.child(name)
            Context c = ctx().fork(n)
            runs.add([name: name, run: { runStage(n, c, body) }])
        }
        try {
            new Lanes(build).run(runs, failFast)
        } finally {
            if (!parent.is(ctx().node)) {
                parent.finish(null)
            }
        }
    }

    // ---- console and results ---------------------------------------------------------------

    void echo(Object message) {
        build.log(message)
    }

    void error(String message) {
        throw new AbortException(message)
    }

    void unstable(String message) {
        unstable([message: message])
    }

    void unstable(Map args) {
        build.log("WARNING: ${args.message}")
        markStage('UNSTABLE')
        build.worsen('UNSTABLE')
    }

    /** Marks the current stage at least as bad as status (FAILED, UNSTABLE ...). */
    void markStage(String status) {
        StageNode n = ctx().node
        if (!n.root) {
            n.status = Results.worseStage(n.status, status)
        }
    }

    Object catchError(Map args = [:], Closure body) {
        try {
            return body.call()
        } catch (Throwable e) {
            if (e instanceof FlowInterrupted && args.catchInterruptions == false) {
                throw e
            }
            build.log(args.message ? "ERROR: ${args.message}" : "ERROR: ${Errors.describe(e)}")
            String buildResult = Results.checkBuild((String) (args.buildResult ?: 'FAILURE'))
            String stageResult = Results.checkBuild((String) (args.stageResult ?: 'SUCCESS'))
            if (buildResult != 'SUCCESS') {
                build.worsen(buildResult)
            }
            if (stageResult != 'SUCCESS') {
                markStage(Results.stageOf(stageResult))
            }
            return null
        }
    }

    Object warnError(String message, Closure body) {
        catchError([message: message, buildResult: 'UNSTABLE', stageResult: 'UNSTABLE'], body)
    }

    Object script(Closure body) {
        body.call()
    }

    Object timestamps(Closure body) {
        build.console.timestamps = true
        body.call()
    }

    Object ansiColor(Object mode, Closure body) {
        body.call()
    }

    Object lock(Object resource, Closure body) {
        synchronized (("dxrunner-lock:" + resource).intern()) {
            return body.call()
        }
    }

    // ---- environment, directories, credentials ----------------------------------------------

    Object withEnv(List<String> vars, Closure body) {
        Context c = ctx().scope()
        for (String kv : vars) {
            int eq = kv.indexOf('=')
            if (eq < 1) {
                throw new AbortException("withEnv: '${kv}' is not NAME=value")
            }
            c.overlay[kv.substring(0, eq)] = kv.substring(eq + 1)
        }
        build.within(c, body)
    }

    Object dir(String path, Closure body) {
        Context c = ctx().scope()
        c.cwd = resolve(path)
        c.cwd.mkdirs()
        build.within(c, body)
    }

    boolean isUnix() {
        !System.getProperty('os.name').toLowerCase().contains('windows')
    }

    Map usernamePassword(Map args) {
        [$class: 'usernamePassword'] + args
    }

    Map usernameColonPassword(Map args) {
        [$class: 'usernameColonPassword'] + args
    }

    /** string(credentialsId:, variable:) is a credential binding; string(name:, ...) a parameter. */
    Map string(Map args) {
        args.credentialsId ? [$class: 'string'] + args : param('string', args)
    }

    Map file(Map args) {
        args.credentialsId ? [$class: 'file'] + args : param('file', args)
    }

    Object withCredentials(List<Map> bindings, Closure body) {
        Context c = ctx().scope()
        List<File> tempFiles = []
        try {
            for (Map b : bindings) {
                bind(b, c, tempFiles)
            }
            return build.within(c, body)
        } finally {
            tempFiles.each { File f -> f.parentFile.deleteDir() }
        }
    }

    private void bind(Map b, Context c, List<File> tempFiles) {
        String kind = b.$class
        Map cred = build.credentials.get((String) b.credentialsId, kind)
        switch (kind) {
            case 'usernamePassword':
                need(b, kind, ['usernameVariable', 'passwordVariable'])
                c.overlay[(String) b.usernameVariable] = cred.username.toString()
                c.overlay[(String) b.passwordVariable] = cred.password.toString()
                if (cred.usernameSecret) {
                    build.console.addSecret(cred.username.toString())
                }
                build.console.addSecret(cred.password.toString())
                break
            case 'usernameColonPassword':
                need(b, kind, ['variable'])
                c.overlay[(String) b.variable] = "${cred.username}:${cred.password}".toString()
                build.console.addSecret(c.overlay[(String) b.variable])
                build.console.addSecret(cred.password.toString())
                break
            case 'string':
                need(b, kind, ['variable'])
                c.overlay[(String) b.variable] = cred.secret.toString()
                build.console.addSecret(cred.secret.toString())
                break
            case 'file':
                need(b, kind, ['variable'])
                File f = secretFile((String) b.credentialsId, cred)
                tempFiles.add(f)
                c.overlay[(String) b.variable] = f.path
                break
            default:
                throw new AbortException("withCredentials: unsupported binding ${b}")
        }
    }

    private static void need(Map b, String kind, List<String> keys) {
        for (String k : keys) {
            if (!b[k]) {
                throw new AbortException("${kind}(): missing ${k}")
            }
        }
    }

    /** A private copy of a file credential under WORKSPACE@tmp, removed when the block ends. */
    File secretFile(String id, Map cred) {
        File d = new File(tmpDir(), "secretFiles/${UUID.randomUUID()}")
        d.mkdirs()
        File f = new File(d, cred.file ? new File(cred.file.toString()).name : id)
        f.createNewFile()
        f.setReadable(false, false)
        f.setReadable(true, true)
        f.setWritable(true, true)
        f.bytes = cred.file ? new File(cred.file.toString()).bytes : cred.content.toString().getBytes('UTF-8')
        f
    }

    // ---- processes and time ------------------------------------------------------------------

    Object sh(String script) {
        sh([script: script])
    }

    Object sh(Map args) {
        build.nodeSteps.step()
        new Shell(build, ctx()).run(args)
    }

    Object bat(Object args) {
        build.nodeSteps.step()
        throw new AbortException('bat is not available: the local runner runs on Unix (use sh)')
    }

    Object powershell(Object args) {
        build.nodeSteps.step()
        throw new AbortException('powershell is not available: the local runner runs on Unix, where isUnix() is true (use sh)')
    }

    void sleep(long seconds) {
        sleep([time: seconds])
    }

    void sleep(Map args) {
        long ms = TimeUnit.valueOf((String) (args.unit ?: 'SECONDS')).toMillis(args.time as long)
        build.log("Sleeping for ${GraphPrinter.format(ms)}")
        try {
            Thread.sleep(ms)
        } catch (InterruptedException e) {
            throw new FlowInterrupted('sleep interrupted')
        }
    }

    Object timeout(Number minutes, Closure body) {
        timeout([time: minutes], body)
    }

    /** Interrupts the body (and kills its processes) when time runs out; the stage is ABORTED. */
    Object timeout(Map args, Closure body) {
        long ms = TimeUnit.valueOf((String) (args.unit ?: 'MINUTES')).toMillis(args.time as long)
        Thread target = Thread.currentThread()
        AtomicBoolean fired = new AtomicBoolean()
        ScheduledFuture f = timers.schedule({
            fired.set(true)
            target.interrupt()
        } as Runnable, ms, TimeUnit.MILLISECONDS)
        try {
            return body.call()
        } catch (Throwable e) {
            if (fired.get()) {
                build.log("Timeout has been exceeded (${GraphPrinter.format(ms)})")
                throw new FlowInterrupted('Timeout has been exceeded')
            }
            throw e
        } finally {
            f.cancel(false)
            if (fired.get()) {
                Thread.interrupted()
            }
        }
    }

    Object retry(int count, Closure body) {
        retry([count: count], body)
    }

    Object retry(Map args, Closure body) {
        int count = args.count as int
        for (int i = 1; ; i++) {
            try {
                return body.call()
            } catch (FlowInterrupted e) {
                throw e
            } catch (Throwable e) {
                if (i >= count) {
                    throw e
                }
                build.log("ERROR: ${Errors.describe(e)}")
                build.log("Retrying (${i + 1}/${count})")
            }
        }
    }

    /** The runner has nobody to ask: input is approved at once. */
    Object input(Object args) {
        String message = args instanceof Map ? args.message : args
        build.log("Input requested: ${message} (approved by the local runner)")
        null
    }

    // ---- accepted for compatibility ----------------------------------------------------------

    Map param(String type, Map args) {
        [$class: type, type: type] + args
    }

    Map booleanParam(Map args) {
        param('booleanParam', args)
    }

    Map choice(Map args) {
        param('choice', args)
    }

    Map text(Map args) {
        param('text', args)
    }

    Map password(Map args) {
        param('password', args)
    }

    List parameters(List defs) {
        defs
    }

    /** Scripted `properties([parameters([...])])`: declares the parameters, ignores the rest. */
    void properties(List props) {
        for (Object p : props) {
            if (p instanceof List) {
                build.declareParams(ParametersDsl.normalize((List<Map>) p), ctx())
            }
        }
    }

    Object library(Object args) {
        null
    }

    Object checkout(Object args) {
        build.log('checkout: skipped by the local runner (the workspace is used as it is)')
        null
    }

    void junit(Object args) {
        build.log("junit: skipped by the local runner (${args})")
    }

    void stash(Object args) {
    }

    void unstash(Object args) {
    }

    void cleanWs(Map args = [:]) {
        deleteDir()
    }

    void milestone(Object args = null) {
    }

    String toString() {
        'steps'
    }
}

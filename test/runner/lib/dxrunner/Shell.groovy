package dxrunner

import hudson.AbortException

/**
 * The `sh` step: runs the script with `sh -xe -c` (bash --posix where installed, see
 * SHELL_COMMAND; or its own #! interpreter), in the context's
 * directory, with exactly the pipeline's environment, streaming its output line by line to the
 * console under the stage prefix.
 */
class Shell {
    private final Build build
    private final Context ctx

    Shell(Build build, Context ctx) {
        this.build = build
        this.ctx = ctx
    }

    Object run(Map args) {
        if (args.script == null) {
            throw new AbortException('sh: script is required')
        }
        String script = args.script.toString()
        boolean returnStdout = args.returnStdout as boolean
        boolean returnStatus = args.returnStatus as boolean
        if (args.label) {
            build.console.print(ctx.prefix, "\u25b6 ${args.label}")
        }
        ProcessBuilder pb = new ProcessBuilder(command(script))
        pb.directory(ctx.cwd)
        pb.environment().clear()
        pb.environment().putAll(ctx.env)
        pb.redirectErrorStream(!returnStdout)
        ctx.cwd.mkdirs()
        Process p = pb.start()
        build.processes.add(p)
        p.outputStream.close()
        StringBuilder captured = new StringBuilder()
        List<Thread> pumps = [pump(p.inputStream, returnStdout ? captured : null, 'out')]
        if (returnStdout) {
            pumps.add(pump(p.errorStream, null, 'err'))
        }
        int status
        try {
            status = p.waitFor()
        } catch (InterruptedException e) {
            stop([p])
            throw new FlowInterrupted('sh interrupted')
        } finally {
            // All the output, also of an aborted step, before the step counts as ended. Background
            // children may keep the pipe open; do not wait for them for long.
            pumps.each { Thread t -> t.join(2000) }
            build.processes.remove(p)
        }
        if (build.stopping) {
            throw new FlowInterrupted('the runner is stopping')
        }
        if (status != 0 && !returnStatus) {
            throw new AbortException("script returned exit code ${status}")
        }
        if (returnStatus) {
            return status
        }
        returnStdout ? captured.toString() : null
    }

    private List<String> command(String script) {
        if (script.startsWith('#!')) {
            File f = File.createTempFile('script', '.sh', build.steps.tmpDir())
            f.deleteOnExit()
            f.setText(script, 'UTF-8')
            // Run the interpreter on the file, as the kernel would (the rest of the #! line is one
            // argument), rather than executing the file: a file just written can fail with "Text
            // file busy" while a parallel lane forks and briefly holds its write handle.
            String line = script.readLines()[0].substring(2).trim()
            int space = line.indexOf(' ')
            List<String> cmd = space < 0 ? [line] : [line.substring(0, space), line.substring(space + 1).trim()]
            cmd << f.path
            return cmd
        }
        SHELL_COMMAND + ['-xe', '-c', script]
    }

    /**
     * sh -xe as Jenkins runs it, but, where bash is installed, bash --posix: dash's trace prints
     * each word bare (+ dx-sync --database Patients Prod), so the log would not show the quotes
     * the library sends; bash's trace quotes a word as the shell read it ('Patients Prod'), as
     * Jenkins' log does on an agent whose sh is bash.
     */
    static final List<String> SHELL_COMMAND = ['/bin/bash', '/usr/bin/bash'].any { String b -> new File(b).canExecute() } ?
        ['bash', '--posix'] : ['sh']


    private Thread pump(InputStream stream, StringBuilder into, String name) {
        String prefix = ctx.prefix
        Thread t = new Thread({
            Reader r = new InputStreamReader(stream, 'UTF-8')
            if (into != null) {
                char[] buf = new char[8192]
                int n
                while ((n = r.read(buf)) > 0) {
                    synchronized (into) {
                        into.append(buf, 0, n)
                    }
                }
            } else {
                BufferedReader br = new BufferedReader(r)
                String line
                while ((line = br.readLine()) != null) {
                    build.console.print(prefix, line)
                }
            }
        } as Runnable, "sh-${name}")
        t.daemon = true
        t.start()
        t
    }

    /** How long Jenkins waits after SIGTERM before SIGKILL (ProcessTree.SoftKillWaitSeconds). */
    static final long SOFT_KILL_WAIT_SECONDS = Long.getLong('dxrunner.softKillWaitSeconds', 5L)

    /**
     * Stops processes as Jenkins aborts an sh step: SIGTERM to each process and everything it
     * started, so they can clean up (a dxsteps binary cancels its engine job), then, after
     * SOFT_KILL_WAIT_SECONDS, SIGKILL to whatever still runs. Returns once all have ended.
     */
    static void stop(Collection<Process> processes) {
        List<ProcessHandle> tree = []
        for (Process p : processes) {
            tree.add(p.toHandle())
            p.toHandle().descendants().each { ProcessHandle h -> tree.add(h) }
        }
        tree.each { ProcessHandle h -> h.destroy() }
        long deadline = System.nanoTime() + SOFT_KILL_WAIT_SECONDS * 1000000000L
        boolean interrupted = false
        while (tree.any { it.alive } && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50)
            } catch (InterruptedException again) {
                interrupted = true // keep the promised wait; tell the caller afterwards
            }
        }
        tree.findAll { it.alive }.each { ProcessHandle h -> h.destroyForcibly() }
        if (interrupted) {
            Thread.currentThread().interrupt()
        }
    }
}

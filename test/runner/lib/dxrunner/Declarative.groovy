package dxrunner

import hudson.AbortException

/**
 * Runs a declarative PipelineModel: pipeline environment and options, stages in order (nested and
 * parallel), `when`, stage and pipeline `post`. After a stage fails, the stages after it are
 * SKIPPED and the pipeline's post conditions still run.
 */
class Declarative {
    private final Build build
    private final PipelineModel model
    private final PipelineScript script

    Declarative(Build build, PipelineModel model, PipelineScript script) {
        this.build = build
        this.model = model
        this.script = script
    }

    void run() {
        Context root = build.ctx()
        note(model.agent)
        build.declareParams(model.parameters, root)
        if (model.options.timestamps != null) {
            build.console.timestamps = true
        }
        Throwable failure = null
        try {
            withOptions(model.options) {
                if (model.environment) {
                    applyEnvironment(model.environment, root, root.global)
                }
                model.stages.each { StageModel st -> skeleton(st, root.node) }
                runStages(model.stages, root.node, root)
            }
        } catch (Throwable e) {
            failure = e
            reportFailure(e)
        }
        Throwable postFailure = runPost(model.post, build.result, null)
        if (failure != null) {
            throw new AlreadyReported(failure)
        }
        if (postFailure != null) {
            throw new AlreadyReported(postFailure)
        }
    }

    /** Agents other than any/none are accepted, and said to be ignored: steps run on this machine. */
    private void note(Object agent) {
        if (agent != null && !(agent in ['any', 'none'])) {
            build.log("agent ${agent} ignored by the local runner: steps run on this machine, in the workspace")
        }
    }

    /** Records what an error means for the build and prints it once. */
    private void reportFailure(Throwable e) {
        if (e instanceof AlreadyReported) {
            return
        }
        if (Lanes.abortedByFailFast(Thread.currentThread())) {
            build.log('Aborted: a sibling lane failed (failFast)')
            return
        }
        build.worsen(e instanceof FlowInterrupted ? ((FlowInterrupted) e).result : 'FAILURE')
        build.log("ERROR: ${Errors.describe(e)}")
    }

    private void runStages(List<StageModel> stages, StageNode parent, Context ctx) {
        List<StageNode> nodes = new ArrayList<StageNode>(parent.children)
        Throwable failure = null
        stages.eachWithIndex { StageModel s, int i ->
            if (failure != null) {
                nodes[i].skip()
            } else if (model.options.skipStagesAfterUnstable != null && build.result == 'UNSTABLE') {
                nodes[i].skip()
            } else {
                try {
                    runStage(s, nodes[i], ctx.scope(nodes[i]))
                } catch (Throwable e) {
                    failure = e
                }
            }
        }
        if (failure != null) {
            throw failure
        }
    }

    /** Creates the graph nodes of a stage and everything inside it, so skipped stages show too. */
    private StageNode skeleton(StageModel s, StageNode parent) {
        StageNode n = parent.child(s.name)
        n.parallel = s.parallel != null
        (s.stages ?: s.parallel ?: []).each { StageModel c -> skeleton(c, n) }
        n
    }

    /** Runs stage s as node n in ctx (a scope of its parent's context, or a fork for a lane). */
    private void runStage(StageModel s, StageNode n, Context ctx) {
        n.start()
        String status = null
        Throwable failure = null
        ctx.overlay['STAGE_NAME'] = s.name // Jenkins sets it for the stage's steps
        build.within(ctx) {
            note(s.agent)
            try {
                if (s.environment) {
                    applyEnvironment(s.environment, ctx, ctx.overlay)
                }
                if (s.when && !holds(s.when.conditions)) {
                    build.log("Stage \"${s.name}\" skipped due to when conditional")
                    status = 'SKIPPED'
                    n.skip()
                    return
                }
                withOptions(s.options) {
                    body(s, n, ctx)
                }
            } catch (Throwable e) {
                status = Errors.isInterrupt(e) ? 'ABORTED' : 'FAILED'
                failure = e
                Thread.interrupted()
            }
            if (failure != null && !(failure instanceof AlreadyReported)) {
                n.error = build.console.mask(Errors.describe(failure))
                reportFailure(failure)
                failure = new AlreadyReported(failure)
            }
            if (status != 'SKIPPED') {
                n.finish(status)
                Throwable postFailure = runPost(s.post, Results.buildOf(n.status), n)
                if (postFailure != null && failure == null) {
                    failure = postFailure
                }
            }
        }
        n.endMillis = System.currentTimeMillis()
        if (failure != null) {
            throw failure
        }
    }

    private void body(StageModel s, StageNode n, Context ctx) {
        if (s.steps) {
            forScript(s.steps).call()
        } else if (s.stages) {
            runStages(s.stages, n, ctx)
        } else {
            List<StageNode> lanes = new ArrayList<StageNode>(n.children)
            List<Map> runs = []
            s.parallel.eachWithIndex { StageModel lane, int i ->
                Context laneCtx = ctx.fork(lanes[i])
                runs.add([name: lane.name, run: { runStage(lane, lanes[i], laneCtx) }])
            }
            new Lanes(build).run(runs, s.failFast || model.options.parallelsAlwaysFailFast != null)
        }
    }

    /** Wraps body in the options that act at run time: timeout and retry. */
    private void withOptions(Map<String, List> options, Closure body) {
        Closure run = body
        if (options.retry) {
            Closure inner = run
            run = { build.steps.retry(options.retry[0] as int, inner) }
        }
        if (options.timeout) {
            Map t = (Map) options.timeout[0]
            Closure inner = run
            run = { build.steps.timeout(t, inner) }
        }
        run.call()
    }

    /** Runs an environment block: each assignment goes straight into the context's env. */
    private void applyEnvironment(Closure body, Context ctx, Map<String, String> target) {
        Closure c = body.rehydrate(new EnvironmentDsl(build, ctx, target), script, script)
        c.resolveStrategy = Closure.DELEGATE_FIRST
        c.call()
    }

    private boolean holds(List<Map> conditions) {
        conditions.every { Map c -> holds(c) }
    }

    private boolean holds(Map c) {
        switch (c.kind) {
            case 'expression': return forScript((Closure) c.body).call() as boolean
            case 'environment': return build.ctx().env((String) c.name) == c.value?.toString()
            case 'equals': return c.expected == c.actual
            case 'branch': return globMatches((String) c.pattern, build.ctx().env('BRANCH_NAME'))
            case 'not': return !holds((List<Map>) c.children)
            case 'allOf': return holds((List<Map>) c.children)
            case 'anyOf': return ((List<Map>) c.children).any { Map k -> holds(k) }
            default: throw new AbortException("when: unknown condition ${c.kind}")
        }
    }

    /** Ant-style pattern as Jenkins' branch condition: * and ? (and ** across /). */
    static boolean globMatches(String pattern, String value) {
        if (value == null) {
            return false
        }
        String re = pattern.replace('**', '\u0000').split('', -1).collect { String ch ->
            ch == '*' ? '[^/]*' : ch == '?' ? '[^/]' : ch == '\u0000' ? '.*' : java.util.regex.Pattern.quote(ch)
        }.join('')
        value ==~ re
    }

    /** Runs post blocks in Jenkins' order; returns the first error (after running the rest). */
    private Throwable runPost(Map<String, Closure> post, String result, StageNode n) {
        Throwable first = null
        for (String cond : PostDsl.ORDER) {
            Closure block = post[cond]
            if (block == null || !postApplies(cond, n == null ? build.result : Results.buildOf(n.status))) {
                continue
            }
            try {
                forScript(block).call()
            } catch (Throwable e) {
                build.log("ERROR: post ${cond}: ${Errors.describe(e)}")
                build.worsen(e instanceof FlowInterrupted ? 'ABORTED' : 'FAILURE')
                if (n != null) {
                    n.status = Results.worseStage(n.status, 'FAILED')
                    n.error = n.error ?: build.console.mask(Errors.describe(e))
                }
                first = first ?: new AlreadyReported(e)
            }
        }
        first
    }

    private boolean postApplies(String cond, String result) {
        String prev = build.previousResult
        switch (cond) {
            case 'always': return true
            case 'cleanup': return true
            case 'success': return result == 'SUCCESS'
            case 'failure': return result == 'FAILURE'
            case 'unstable': return result == 'UNSTABLE'
            case 'aborted': return result == 'ABORTED'
            case 'notBuilt': return result == 'NOT_BUILT'
            case 'unsuccessful': return result != 'SUCCESS'
            case 'changed': return prev != null && prev != result
            case 'fixed': return prev != null && prev != 'SUCCESS' && result == 'SUCCESS'
            case 'regression': return prev != null && Results.BUILD.indexOf(result) > Results.BUILD.indexOf(prev)
            default: return false
        }
    }

    /** A steps-like block re-bound to the script, so its calls resolve to steps and vars. */
    private Closure forScript(Closure body) {
        Closure c = body.rehydrate(script, script, script)
        c.resolveStrategy = Closure.OWNER_FIRST
        c
    }
}

package dxrunner

import hudson.AbortException

/** The delegate of a `stage('name') {}` block. */
class StageDsl {
    final StageModel model

    StageDsl(String name) { model = new StageModel(name: name) }

    String getAny() { 'any' }

    String getNone() { 'none' }

    void agent(Object spec) { model.agent = Dsl.agent(spec) }

    void options(Closure body) { model.options = Dsl.options(body) }

    void environment(Closure body) { model.environment = body }

    void when(Closure body) {
        WhenDsl w = new WhenDsl()
        Dsl.apply(body, w)
        model.when = new WhenModel(conditions: w.conditions, beforeAgent: w.beforeAgentFlag)
    }

    void steps(Closure body) { model.steps = body }

    void stages(Closure body) { model.stages = Dsl.stages(body) }

    void parallel(Closure body) { model.parallel = Dsl.stages(body) }

    void failFast(boolean on) { model.failFast = on }

    void post(Closure body) { model.post = Dsl.post(body) }

    void input(Closure body) { }

    void tools(Closure body) { }

    void matrix(Closure body) {
        throw new AbortException("stage '${model.name}': matrix is not supported by the local runner")
    }

    void check() {
        int n = [model.steps, model.stages, model.parallel].count { it != null }
        if (n != 1) {
            throw new AbortException("stage '${model.name}': needs exactly one of steps, stages or parallel (found ${n})")
        }
    }
}

package dxrunner

import hudson.AbortException

/** The delegate of a `stages {}` block. */
class StagesDsl {
    final List<StageModel> stages = []

    void stage(String name, Closure body) {
        StageDsl s = new StageDsl(name)
        Dsl.apply(body, s)
        s.check()
        stages.add(s.model)
    }
}

package dxrunner

import hudson.AbortException

/** Helpers shared by the delegates. */
class Dsl {
    static void apply(Closure body, Object delegate) {
        Closure c = (Closure) body.clone()
        c.delegate = delegate
        c.resolveStrategy = Closure.DELEGATE_FIRST
        c.call()
    }

    static Object agent(Object spec) {
        if (spec instanceof Closure) {
            RecordingDsl r = new RecordingDsl()
            apply((Closure) spec, r)
            return r.calls
        }
        spec
    }

    static Map<String, List> options(Closure body) {
        RecordingDsl r = new RecordingDsl()
        apply(body, r)
        r.calls
    }

    static List<StageModel> stages(Closure body) {
        StagesDsl s = new StagesDsl()
        apply(body, s)
        s.stages
    }

    static Map<String, Closure> post(Closure body) {
        PostDsl p = new PostDsl()
        apply(body, p)
        p.blocks
    }
}

package dxrunner

/**
 * Build results (Jenkins' hudson.model.Result names) and stage statuses (Blue Ocean's names), with
 * the "worse of" orderings each is combined with.
 */
class Results {
    /** Build results, best first: Jenkins' ordinal order. */
    static final List<String> BUILD = ['SUCCESS', 'UNSTABLE', 'FAILURE', 'NOT_BUILT', 'ABORTED']

    /** Stage statuses, best first, for combining children into a parent's status. */
    static final List<String> STAGE = ['SKIPPED', 'SUCCESS', 'UNSTABLE', 'ABORTED', 'FAILED']

    /** Exit codes of the runner per build result (Jenkins' ordinal, as jenkinsfile-runner does). */
    static final Map<String, Integer> EXIT = [SUCCESS: 0, UNSTABLE: 1, FAILURE: 2, NOT_BUILT: 3, ABORTED: 4]

    static String worseBuild(String a, String b) {
        checkBuild(a)
        checkBuild(b)
        BUILD.indexOf(a) >= BUILD.indexOf(b) ? a : b
    }

    static String worseStage(String a, String b) {
        if (a == null) {
            return b
        }
        if (b == null) {
            return a
        }
        STAGE.indexOf(a) >= STAGE.indexOf(b) ? a : b
    }

    /** The stage status a build-level result maps to (FAILURE is shown as FAILED on a stage). */
    static String stageOf(String buildResult) {
        [SUCCESS: 'SUCCESS', UNSTABLE: 'UNSTABLE', FAILURE: 'FAILED', ABORTED: 'ABORTED', NOT_BUILT: 'SKIPPED'][buildResult]
    }

    /** The post-condition result a stage status maps to. */
    static String buildOf(String stageStatus) {
        [SUCCESS: 'SUCCESS', UNSTABLE: 'UNSTABLE', FAILED: 'FAILURE', ABORTED: 'ABORTED', SKIPPED: 'NOT_BUILT'][stageStatus ?: 'SUCCESS']
    }

    static String checkBuild(String r) {
        if (!(r in BUILD)) {
            throw new hudson.AbortException("unknown build result '${r}' (one of ${BUILD.join(', ')})")
        }
        r
    }
}

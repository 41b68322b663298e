package dxrunner

/**
 * Runs parallel lanes, each on its own thread. A failing lane does not stop its siblings unless
 * failFast; then the others are interrupted and end ABORTED. When all lanes are done the first
 * failure (else the first interruption) is rethrown.
 */
class Lanes {
    /** Lane threads interrupted because a sibling failed: their abort does not change the result. */
    private static final Set<Thread> FAIL_FAST_ABORTED = java.util.concurrent.ConcurrentHashMap.newKeySet()

    private final Build build

    static boolean abortedByFailFast(Thread t) {
        FAIL_FAST_ABORTED.contains(t)
    }

    Lanes(Build build) {
        this.build = build
    }

    /** runs: [[name: String, run: Closure]]; each closure runs a lane in its own context. */
    void run(List<Map> runs, boolean failFast) {
        List<Thread> threads = []
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<Throwable>())
        List<Throwable> interruptions = Collections.synchronizedList(new ArrayList<Throwable>())
        for (Map each : runs) {
            Map lane = each
            Closure body = (Closure) lane.run
            Thread t = new Thread({
                try {
                    body.call()
                } catch (Throwable e) {
                    if (Errors.isInterrupt(e)) {
                        interruptions.add(e)
                        return
                    }
                    failures.add(e)
                    if (failFast) {
                        build.log("Failing fast: lane '${lane.name}' failed, aborting its siblings")
                        threads.each { Thread other ->
                            if (!other.is(Thread.currentThread()) && other.alive) {
                                FAIL_FAST_ABORTED.add(other)
                                other.interrupt()
                            }
                        }
                    }
                }
            } as Runnable, "lane-${lane.name}")
            threads.add(t)
        }
        threads.each { Thread t -> t.start() }
        try {
            threads.each { Thread t -> t.join() }
        } catch (InterruptedException e) {
            // This thread was interrupted (a timeout around the parallel block): stop every lane.
            threads.each { Thread t -> t.interrupt() }
            threads.each { Thread t -> t.join() }
            throw new FlowInterrupted('parallel interrupted')
        }
        if (failures) {
            throw failures[0]
        }
        if (interruptions) {
            throw interruptions[0]
        }
    }
}

package dxrunner

/**
 * Counts the node-side steps of a run: the durable steps (sh, bat, powershell), each of which
 * Jenkins launches on the agent and whose log it polls until it ends, and the library calls they
 * ran in. A library call is a call of a global var from outside any other var (a var calling
 * another counts as one call, of the outer var); a durable step outside every var counts apart.
 * Other steps that touch the agent (readJSON of a file, fileExists, isUnix ...) read through the
 * agent's channel without a process or a log, and are not counted.
 */
class NodeSteps {
    /** Per var: [calls: N, steps: N]. */
    private final Map<String, Map<String, Integer>> byVar = new TreeMap<String, Map<String, Integer>>()
    private int outside
    private final ThreadLocal<String> current = new ThreadLocal<String>()

    /** Runs body as a call of var name, unless the thread is in a var call already. */
    Object call(String name, Closure body) {
        if (current.get() != null) {
            return body.call()
        }
        synchronized (this) {
            entry(name).calls++
        }
        current.set(name)
        try {
            return body.call()
        } finally {
            current.remove()
        }
    }

    /** Counts one durable step, in the thread's var call if it is in one. */
    synchronized void step() {
        String name = current.get()
        if (name == null) {
            outside++
        } else {
            entry(name).steps++
        }
    }

    /** [total: N, outsideLibrary: N, library: [var: [calls: N, steps: N]]]. */
    synchronized Map toMap() {
        Map copy = [:]
        int total = outside
        byVar.each { String name, Map<String, Integer> e ->
            copy[name] = [calls: e.calls, steps: e.steps]
            total += e.steps
        }
        [total: total, outsideLibrary: outside, library: copy]
    }

    /** The lines the console ends with: one per var, then the steps outside the library. */
    synchronized List<String> lines() {
        Map m = toMap()
        List<String> out = ["Node-side steps (sh, bat, powershell): ${m.total}".toString()]
        int calls = 0
        m.library.each { String name, Map e ->
            calls += e.calls
            out << "  ${name}: ${e.calls} call${e.calls == 1 ? '' : 's'}, ${e.steps} step${e.steps == 1 ? '' : 's'}".toString()
        }
        if (calls > 0) {
            out << "  library: ${calls} call${calls == 1 ? '' : 's'}, ${m.total - m.outsideLibrary} steps".toString()
        }
        out << "  outside the library: ${m.outsideLibrary}".toString()
        out
    }

    private Map<String, Integer> entry(String name) {
        Map<String, Integer> e = byVar[name]
        if (e == null) {
            e = [calls: 0, steps: 0]
            byVar[name] = e
        }
        e
    }
}

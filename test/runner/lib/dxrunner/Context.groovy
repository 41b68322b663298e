package dxrunner

/**
 * What a step sees on its thread: the environment, the working directory and the stage it runs in.
 *
 * The environment has two layers. `global` holds what `env.X = ...`, parameters and the pipeline's
 * environment block set; it lives for the rest of the build (of the lane, in a parallel lane).
 * `overlay` holds what a stage's environment block, withEnv and withCredentials bind; it ends with
 * its block and wins over global. A parallel lane gets copies of both, so nothing one lane sets
 * leaks into a sibling.
 */
class Context {
    Map<String, String> global
    Map<String, String> overlay = new LinkedHashMap<String, String>()
    File cwd
    StageNode node

    /** The same lane, a new scope: shares global, copies overlay. */
    Context scope(StageNode newNode = null) {
        new Context(global: global, overlay: new LinkedHashMap<String, String>(overlay), cwd: cwd, node: newNode ?: node)
    }

    /** A parallel lane: copies of both layers. */
    Context fork(StageNode newNode) {
        new Context(global: new LinkedHashMap<String, String>(global), overlay: new LinkedHashMap<String, String>(overlay),
                cwd: cwd, node: newNode)
    }

    /** The effective environment (a snapshot: write through setEnv or overlay). */
    Map<String, String> getEnv() {
        Map<String, String> m = new LinkedHashMap<String, String>(global)
        m.putAll(overlay)
        m
    }

    String env(String name) {
        overlay.containsKey(name) ? overlay[name] : global[name]
    }

    /** env.X = value: build-wide (lane-wide) from now on; null removes it. */
    void setEnv(String name, String value) {
        if (value == null) {
            global.remove(name)
            overlay.remove(name)
        } else {
            global[name] = value
            overlay.remove(name)
        }
    }

    String getPrefix() {
        node.prefix
    }
}

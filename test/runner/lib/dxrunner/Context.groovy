package dxrunner

/**
 * What a step sees on its thread: the environment, the working directory and the stage it runs in.
 * A context is never shared between threads: a parallel lane, `withEnv`, `dir`, `withCredentials`
 * and each stage work on a copy, so nothing they change leaks to a sibling lane.
 */
class Context {
    Map<String, String> env
    File cwd
    StageNode node

    Context copy(StageNode newNode = null) {
        new Context(env: new LinkedHashMap<String, String>(env), cwd: cwd, node: newNode ?: node)
    }

    String getPrefix() {
        node.prefix
    }
}

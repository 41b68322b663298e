package dxrunner

/**
 * The `env` global: reads and writes the calling thread's environment. Unknown names read as null,
 * as in Jenkins; values are stored as strings; assigning null removes a variable.
 */
class EnvProxy extends GroovyObjectSupport {
    private final Build build

    EnvProxy(Build build) {
        this.build = build
    }

    @Override
    Object getProperty(String name) {
        if (name == 'environment') {
            return getEnvironment()
        }
        build.ctx().env(name)
    }

    @Override
    void setProperty(String name, Object value) {
        build.ctx().setEnv(name, value?.toString())
    }

    Object getAt(String name) {
        getProperty(name)
    }

    void putAt(String name, Object value) {
        setProperty(name, value)
    }

    /** A copy of the whole environment, like Jenkins' env.getEnvironment(). */
    Map<String, String> getEnvironment() {
        new LinkedHashMap<String, String>(build.ctx().env)
    }

    @Override
    String toString() {
        'env'
    }
}

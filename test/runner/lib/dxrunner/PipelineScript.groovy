package dxrunner

/**
 * Base class of the Jenkinsfile and of every library var script. Like Jenkins' CpsScript it makes
 * the pipeline's globals available to `this`: steps (sh, echo, withCredentials ...) and global vars
 * resolve as methods, and `env`, `params`, `currentBuild`, `steps` as properties. So a var's `this`
 * can be handed to a library class that calls `script.sh(...)`, `script.env.X`, `script.error(...)`.
 */
abstract class PipelineScript extends Script {
    /** The run this script belongs to (named to stay out of the way of pipeline variables). */
    Build dxRunnerBuild

    void attach(Build build) {
        dxRunnerBuild = build
        setBinding(new Binding())
    }

    def methodMissing(String name, Object args) {
        Object[] argv = args instanceof Object[] ? (Object[]) args : [args] as Object[]
        Build b = dxRunnerBuild
        if (b != null && b.hasVar(name)) {
            Object v = b.var(name)
            return b.nodeSteps.call(name) { v.invokeMethod('call', argv) }
        }
        if (b != null && b.steps.metaClass.respondsTo(b.steps, name)) {
            return b.steps.invokeMethod(name, argv)
        }
        throw new MissingMethodException(name, this.getClass(), argv)
    }

    @Override
    Object getProperty(String name) {
        Build b = dxRunnerBuild
        if (b != null) {
            switch (name) {
                case 'env': return b.env
                case 'params': return b.params
                case 'currentBuild': return b.currentBuild
                case 'steps': return b.steps
                case 'scm': return [$class: 'LocalScm']
                default: break
            }
        }
        try {
            return super.getProperty(name)
        } catch (MissingPropertyException e) {
            if (b == null) {
                throw e
            }
            if (b.hasVar(name)) {
                return b.var(name)
            }
            // As in Jenkins, environment variables and parameters can be named bare.
            String v = b.ctx().env(name)
            if (v != null) {
                return v
            }
            if (b.params.containsKey(name)) {
                return b.params[name]
            }
            throw e
        }
    }

    // Groovy's Object.sleep(ms), println and print would shadow the pipeline steps of those names.

    void sleep(long seconds) {
        dxRunnerBuild.steps.sleep(seconds)
    }

    void sleep(Map args) {
        dxRunnerBuild.steps.sleep(args)
    }

    @Override
    void println(Object value) {
        dxRunnerBuild ? dxRunnerBuild.log(value) : super.println(value)
    }

    @Override
    void println() {
        println('')
    }

    @Override
    void print(Object value) {
        println(value)
    }
}

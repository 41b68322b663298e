package dxrunner

import hudson.AbortException

/** The delegate of `post {}`: condition name -> block. */
class PostDsl {
    static final List<String> ORDER = ['always', 'changed', 'fixed', 'regression', 'aborted', 'failure',
                                       'success', 'unstable', 'unsuccessful', 'notBuilt', 'cleanup']
    final Map<String, Closure> blocks = [:]

    def methodMissing(String name, Object args) {
        Object[] a = (Object[]) args
        if (!(name in ORDER) || a.length != 1 || !(a[0] instanceof Closure)) {
            throw new AbortException("post: unknown condition '${name}' (one of ${ORDER.join(', ')})")
        }
        blocks[name] = (Closure) a[0]
        null
    }
}

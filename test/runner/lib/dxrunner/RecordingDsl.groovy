package dxrunner

import hudson.AbortException

/** The delegate of `options {}` and of `agent {}`: records every call. */
class RecordingDsl {
    final Map<String, List> calls = [:]

    def methodMissing(String name, Object args) {
        Object[] a = (Object[]) args
        calls[name] = a.toList()
        [option: name, args: a.toList()]
    }
}

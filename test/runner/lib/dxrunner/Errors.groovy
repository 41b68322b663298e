package dxrunner

import hudson.AbortException
import org.codehaus.groovy.runtime.StackTraceUtils

/** Turns an exception into the one line the console shows. */
class Errors {
    /** True for an interruption (timeout, failFast, stop), also when already reported. */
    static boolean isInterrupt(Throwable e) {
        e instanceof FlowInterrupted || (e?.cause instanceof FlowInterrupted && !(e instanceof FlowInterrupted) && e.getClass().simpleName == 'AlreadyReported')
    }

    /**
     * AbortException (`error`, failing `sh`) and interruptions print their message alone, as in
     * Jenkins; anything else prints its class and message and the Jenkinsfile or library line.
     */
    static String describe(Throwable e) {
        if (e.getClass().simpleName == 'AlreadyReported') {
            return describe(e.cause)
        }
        if (e instanceof AbortException || e instanceof FlowInterrupted) {
            return e.message
        }
        String where = ''
        Throwable s = StackTraceUtils.deepSanitize(e)
        for (StackTraceElement el : s.stackTrace) {
            if (el.fileName && el.lineNumber > 0 && !el.className.startsWith('dxrunner.') &&
                    (el.fileName.endsWith('.groovy') || el.fileName.startsWith('Jenkinsfile'))) {
                where = " (${el.fileName}:${el.lineNumber})"
                break
            }
        }
        "${e.getClass().name}: ${e.message}${where}"
    }
}

package hudson

/**
 * Stand-in for Jenkins' hudson.AbortException: what `error` and a failing `sh` throw. Jenkins prints
 * only its message, without a stack trace, and so does the runner. Library code may catch it.
 */
class AbortException extends IOException {
    AbortException(String message) {
        super(message)
    }
}

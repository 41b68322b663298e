package dxrunner

import hudson.AbortException

/** Wraps an error that was already printed and counted, so outer levels only propagate it. */
class AlreadyReported extends RuntimeException {
    AlreadyReported(Throwable cause) {
        super(cause.message, cause)
    }
}

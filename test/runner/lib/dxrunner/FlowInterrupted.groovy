package dxrunner

/**
 * Thrown when a step is interrupted: a `timeout` expired, a failFast sibling lane failed, or the
 * runner is stopping. Like Jenkins' FlowInterruptedException it makes a stage ABORTED.
 */
class FlowInterrupted extends RuntimeException {
    /** Build result this interruption stands for (ABORTED unless said otherwise). */
    String result = 'ABORTED'

    FlowInterrupted(String message) {
        super(message)
    }
}

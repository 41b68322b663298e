/** What the stub's error step throws, like Jenkins' AbortException. */
class StubError extends RuntimeException {
    StubError(String message) {
        super(message)
    }
}

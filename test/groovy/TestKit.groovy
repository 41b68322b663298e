/**
 * A minimal test runner for the library's tests, which run on plain Groovy 2.4 without Maven.
 * A test file is a script calling TestKit.test('what it proves') { ... } with power asserts.
 */
class TestKit {

    static int passed = 0
    static int failed = 0

    /** Runs one test and reports it on one line. */
    static void test(String name, Closure body) {
        try {
            body()
            passed++
            println "ok   ${name}"
        } catch (Throwable problem) {
            failed++
            println "FAIL ${name}\n${problem.toString().readLines().collect { '     ' + it }.join('\n')}"
        }
    }

    /** The message of the error(...) a step raised; fails when the step raised none. */
    static String stepError(Closure body) {
        try {
            body()
        } catch (StubError raised) {
            return raised.message
        }
        throw new AssertionError('expected the step to fail with error(...), but it succeeded')
    }
}

// Runs the test scripts named on the command line in one JVM and closes with "N passed, M failed".
for (String path in args) {
    println "# ${path}"
    try {
        new GroovyShell(this.class.classLoader).evaluate(new File(path))
    } catch (Throwable broken) {
        TestKit.failed++
        println "FAIL ${path} did not run: ${broken}"
    }
}
println "${TestKit.passed} passed, ${TestKit.failed} failed"
System.exit(TestKit.failed == 0 && TestKit.passed > 0 ? 0 : 1)

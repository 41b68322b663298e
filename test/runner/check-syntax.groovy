// Parses every Groovy file (src/, vars/, test/) and every Jenkinsfile (Jenkinsfile*, examples/,
// test data) with Groovy 2.4 without running any; see lib/dxrunner/SyntaxCheck.groovy. Run it with
// the check-syntax wrapper, which puts lib/ on the classpath.
// usage: groovy -cp test/runner/lib check-syntax.groovy [REPO_ROOT]
File root = new File(args ? args[0] : '.').canonicalFile
File lib = new File(root, 'test/runner/lib')
System.exit(dxrunner.SyntaxCheck.run(root, lib, System.out, System.err) ? 1 : 0)

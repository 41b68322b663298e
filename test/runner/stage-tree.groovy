// Prints the declarative stage tree of a Jenkinsfile as JSON, from its syntax tree (nothing runs):
// {"stages": [{"name": ...}, {"name": ..., "stages": [...]}, {"name": ..., "parallel": [...]}]}
// usage: stage-tree Jenkinsfile   (or: groovy -cp test/runner/lib test/runner/stage-tree.groovy Jenkinsfile)
if (args.length != 1) {
    System.err.println('usage: stage-tree Jenkinsfile')
    System.exit(64)
}
try {
    println dxrunner.StageTree.toJson(dxrunner.StageTree.of(new File(args[0])))
} catch (IllegalArgumentException | org.codehaus.groovy.control.CompilationFailedException e) {
    System.err.println("stage-tree: ${e.message}")
    System.exit(1)
}

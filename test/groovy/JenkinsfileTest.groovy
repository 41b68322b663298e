// Jenkinsfile.example keeps the workshop's stage tree, as Blue Ocean shows it, and the examples
// parse as Groovy.

import org.codehaus.groovy.ast.ASTNode
import org.codehaus.groovy.ast.CodeVisitorSupport
import org.codehaus.groovy.ast.builder.AstBuilder
import org.codehaus.groovy.ast.expr.ArgumentListExpression
import org.codehaus.groovy.ast.expr.ConstantExpression
import org.codehaus.groovy.ast.expr.MethodCallExpression
import org.codehaus.groovy.ast.stmt.Statement
import org.codehaus.groovy.control.CompilePhase

import static TestKit.test

/** The stage tree of a declarative Jenkinsfile: one line per stage, indented by nesting. */
List<String> stageTree(String path) {
    List<ASTNode> nodes = new AstBuilder().buildFromString(CompilePhase.CONVERSION, false, new File(path).text)
    List<String> lines = []
    int depth = 0
    CodeVisitorSupport visitor = new CodeVisitorSupport() {
        @Override
        void visitMethodCallExpression(MethodCallExpression call) {
            boolean isStage = call.methodAsString == 'stage'
            if (isStage) {
                ConstantExpression name = ((ArgumentListExpression) call.arguments).expressions[0]
                lines << '  ' * depth + name.value
                depth++
            }
            super.visitMethodCallExpression(call)
            if (isStage) {
                depth--
            }
        }
    }
    for (ASTNode node in nodes.findAll { it instanceof Statement }) {
        node.visit(visitor)
    }
    return lines
}

test('Jenkinsfile.example has exactly the workshop\'s stage tree') {
    List<String> expected = [
        'Sync Delphix with Prod',
        'Refresh Secure Pipeline Master',
        'Update Database Users and Passwords',
        'Prepare Data and Make Available For Use',
        '  Full Dataset',
        '    Add full dataset to catalog',
    ]
    for (String n in ['50', '25', '15', '10', '05', '01']) {
        expected += ["  ${n}% Subset", "    Create ${n}% dataset", "    Add ${n}% dataset to catalog"]*.toString()
    }
    assert stageTree('Jenkinsfile.example') == expected
}

test('Jenkinsfile.example loads the library, runs anywhere, one build at a time, lanes in parallel') {
    String text = new File('Jenkinsfile.example').text
    assert text.startsWith("@Library('dxsteps') _\n")
    assert text.contains('agent any')
    assert text.contains('options {\n        disableConcurrentBuilds()\n    }')
    assert text.contains("stage('Prepare Data and Make Available For Use') {\n            parallel {")
    ['prep1': 50, 'prep2': 25, 'prep3': 15, 'prep4': 10, 'prep5': 5, 'prep6': 1].each { pod, percent ->
        assert text.contains("refreshAndSubset('${pod}', ${percent})")
    }
}

test('the bug-repro example bookmarks the test pod on failure, tagged with the bug and the commit') {
    String text = new File('examples/Jenkinsfile.bug-repro').text
    assert stageTree('examples/Jenkinsfile.bug-repro') == ['Reset test data', 'Integration tests']
    assert text =~ /(?s)post \{\s+failure \{.*delphixBookmark\(.*"bug-\$\{bug\}", "commit-\$\{commit\}".*shared: true/
}

test('Jenkinsfile.example reads only what its parameters and environment blocks declare, each with a comment') {
    String text = new File('Jenkinsfile.example').text
    String environment = (text =~ /(?s)\n    environment \{\n(.*?)\n    \}/)[0][1]
    String parameters = (text =~ /(?s)\n    parameters \{\n(.*?)\n    \}/)[0][1]
    Set declaredEnv = environment.readLines().collect { (it =~ /^\s+(\w+) = /)[0][1] } as Set
    for (String line in environment.readLines()) {
        assert line.contains('// '): "no comment: ${line.trim()}"
    }
    Set declaredParams = (parameters =~ /name: '(\w+)'/).collect { it[1] } as Set
    assert (parameters =~ /description: '/).count == declaredParams.size()
    Set setHere = (text =~ /env\.(\w+) = /).collect { it[1] } as Set
    Set jenkins = ['BUILD_TAG'] as Set
    Set readEnv = (text =~ /env\.(\w+)/).collect { it[1] } as Set
    assert readEnv - declaredEnv - setHere - jenkins == [] as Set
    Set readParams = (text =~ /params\.(\w+)/).collect { it[1] } as Set
    assert readParams - declaredParams == [] as Set
    assert !text.contains('DXSTEPS_')
}

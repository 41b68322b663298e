package dxrunner

import groovy.json.JsonOutput
import org.codehaus.groovy.ast.ASTNode
import org.codehaus.groovy.ast.ModuleNode
import org.codehaus.groovy.ast.expr.ArgumentListExpression
import org.codehaus.groovy.ast.expr.ClosureExpression
import org.codehaus.groovy.ast.expr.ConstantExpression
import org.codehaus.groovy.ast.expr.Expression
import org.codehaus.groovy.ast.expr.MethodCallExpression
import org.codehaus.groovy.ast.stmt.BlockStatement
import org.codehaus.groovy.ast.stmt.ExpressionStatement
import org.codehaus.groovy.ast.stmt.Statement
import org.codehaus.groovy.control.CompilationUnit
import org.codehaus.groovy.control.CompilerConfiguration
import org.codehaus.groovy.control.Phases

/**
 * The declarative stage tree of a Jenkinsfile, read from its syntax tree without running it:
 * {"stages": [{"name": "A"}, {"name": "B", "stages": [...]}, {"name": "C", "parallel": [...]}]}
 * (the same shape as the runner's --graph-json, without statuses).
 */
class StageTree {
    static Map of(File jenkinsfile) {
        CompilerConfiguration cc = new CompilerConfiguration()
        cc.sourceEncoding = 'UTF-8'
        CompilationUnit cu = new CompilationUnit(cc)
        cu.addSource(jenkinsfile.name, LibraryDirective.strip(jenkinsfile.getText('UTF-8')))
        cu.compile(Phases.CONVERSION)
        ModuleNode module = cu.AST.modules[0]
        ClosureExpression pipeline = null
        for (Statement st : module.statementBlock.statements) {
            MethodCallExpression call = callIn(st)
            if (call?.methodAsString == 'pipeline') {
                pipeline = closureArg(call)
            }
        }
        if (pipeline == null) {
            throw new IllegalArgumentException("${jenkinsfile}: no declarative pipeline {} block")
        }
        ClosureExpression stages = block(pipeline, 'stages')
        if (stages == null) {
            throw new IllegalArgumentException("${jenkinsfile}: pipeline has no stages {} block")
        }
        [stages: stagesIn(stages)]
    }

    private static List<Map> stagesIn(ClosureExpression stages) {
        calls(stages).findAll { MethodCallExpression c -> c.methodAsString == 'stage' }.collect { MethodCallExpression c ->
            Map node = [name: nameOf(c)]
            ClosureExpression body = closureArg(c)
            ClosureExpression nested = body ? block(body, 'stages') : null
            ClosureExpression parallel = body ? block(body, 'parallel') : null
            if (nested) {
                node.stages = stagesIn(nested)
            } else if (parallel) {
                node.parallel = stagesIn(parallel)
            }
            node
        }
    }

    private static String nameOf(MethodCallExpression c) {
        Expression first = ((ArgumentListExpression) c.arguments).expressions[0]
        first instanceof ConstantExpression ? ((ConstantExpression) first).value.toString() : first.text
    }

    private static ClosureExpression block(ClosureExpression in_, String name) {
        MethodCallExpression c = calls(in_).find { MethodCallExpression m -> m.methodAsString == name }
        c ? closureArg(c) : null
    }

    private static List<MethodCallExpression> calls(ClosureExpression closure) {
        Statement code = closure.code
        List<Statement> statements = code instanceof BlockStatement ? ((BlockStatement) code).statements : [code]
        statements.collect { Statement s -> callIn(s) }.findAll { it != null }
    }

    private static MethodCallExpression callIn(ASTNode st) {
        if (st instanceof ExpressionStatement && ((ExpressionStatement) st).expression instanceof MethodCallExpression) {
            MethodCallExpression c = (MethodCallExpression) ((ExpressionStatement) st).expression
            return c.implicitThis ? c : null
        }
        null
    }

    private static ClosureExpression closureArg(MethodCallExpression c) {
        if (!(c.arguments instanceof ArgumentListExpression)) {
            return null
        }
        Expression last = ((ArgumentListExpression) c.arguments).expressions ? ((ArgumentListExpression) c.arguments).expressions.last() : null
        last instanceof ClosureExpression ? (ClosureExpression) last : null
    }

    static String toJson(Map tree) {
        JsonOutput.prettyPrint(JsonOutput.toJson(tree))
    }
}

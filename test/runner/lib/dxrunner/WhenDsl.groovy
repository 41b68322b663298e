package dxrunner

import hudson.AbortException

/** The delegate of `when {}` and of its not/allOf/anyOf blocks. */
class WhenDsl {
    final List<Map> conditions = []
    boolean beforeAgentFlag

    void expression(Closure body) { conditions.add([kind: 'expression', body: body]) }

    void environment(Map args) { conditions.add([kind: 'environment', name: args.name, value: args.value]) }

    void branch(String pattern) { conditions.add([kind: 'branch', pattern: pattern]) }

    void branch(Map args) { conditions.add([kind: 'branch', pattern: args.pattern, comparator: args.comparator]) }

    void equals(Map args) { conditions.add([kind: 'equals', expected: args.expected, actual: args.actual]) }

    void not(Closure body) { conditions.add([kind: 'not', children: nested(body)]) }

    void allOf(Closure body) { conditions.add([kind: 'allOf', children: nested(body)]) }

    void anyOf(Closure body) { conditions.add([kind: 'anyOf', children: nested(body)]) }

    void beforeAgent(boolean on) { beforeAgentFlag = on }

    void beforeInput(boolean on) { }

    void beforeOptions(boolean on) { }

    private static List<Map> nested(Closure body) {
        WhenDsl w = new WhenDsl()
        Dsl.apply(body, w)
        w.conditions
    }

    def methodMissing(String name, Object args) {
        throw new AbortException("when: condition '${name}' is not supported by the local runner (supported: expression, environment, branch, equals, not, allOf, anyOf)")
    }
}

package dxrunner

/** A `when {}` block: all its conditions must hold. */
class WhenModel {
    /** Each condition: [kind: 'expression'|'environment'|'branch'|'equals'|'not'|'allOf'|'anyOf', ...]. */
    List<Map> conditions = []
    boolean beforeAgent
}

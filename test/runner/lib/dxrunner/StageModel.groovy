package dxrunner

/** One `stage('name') {}`: exactly one of steps, stages or parallel. */
class StageModel {
    String name
    Object agent
    Map<String, List> options = [:]
    Closure environment
    WhenModel when
    Closure steps
    List<StageModel> stages
    List<StageModel> parallel
    boolean failFast
    Map<String, Closure> post = [:]
}

package dxrunner

/** What a declarative `pipeline {}` says, before anything runs. Closures are evaluated at run time. */
class PipelineModel {
    Object agent
    /** Option name -> arguments, e.g. timeout -> [[time: 1, unit: 'HOURS']]. */
    Map<String, List> options = [:]
    List<Map> parameters = []
    Closure environment
    List<StageModel> stages = []
    Map<String, Closure> post = [:]
}

package dxrunner

import hudson.AbortException

/**
 * Delegates for the declarative directives. Each block's closure runs once with one of these as
 * its delegate (DELEGATE_FIRST) to fill the model; step blocks are only stored.
 */
class PipelineDsl {
    final PipelineModel model = new PipelineModel()

    static PipelineModel build(Closure body) {
        PipelineDsl dsl = new PipelineDsl()
        Dsl.apply(body, dsl)
        if (dsl.model.stages.isEmpty()) {
            throw new AbortException('pipeline: a stages block with at least one stage is required')
        }
        dsl.model
    }

    String getAny() { 'any' }

    String getNone() { 'none' }

    void agent(Object spec) { model.agent = Dsl.agent(spec) }

    void options(Closure body) { model.options = Dsl.options(body) }

    void parameters(Closure body) {
        ParametersDsl p = new ParametersDsl()
        Dsl.apply(body, p)
        model.parameters = p.defs
    }

    void environment(Closure body) { model.environment = body }

    void stages(Closure body) { model.stages = Dsl.stages(body) }

    void post(Closure body) { model.post = Dsl.post(body) }

    void triggers(Closure body) { }

    void tools(Closure body) { }

    void libraries(Closure body) { }
}

package io.dxsteps

import com.cloudbees.groovy.cps.NonCPS

/**
 * A plan (key dryRun: true) where Jenkins users look: each call's actions are echoed in its stage's
 * log and added to the build description under the stage's name, so the description of a dry-run
 * build says what each stage would do. Nothing was changed: the binaries sent no request that
 * changes anything.
 */
class DryRun implements Serializable {

    private static final long serialVersionUID = 1L

    /** Serializes the read and write of the build description across lanes. */
    private static final Object DESCRIPTION_LOCK = new Object()

    /** Where a call outside any stage runs (the pipeline's post section), as Blue Ocean names it. */
    static final String POST_ACTIONS = 'Declarative: Post Actions'

    /** The description's first line in a dry-run build. */
    static final String HEADER = 'Dry run: nothing was changed. What each stage would do:'

    /** One action of a plan in words: `refresh VDB "Patients Masked Master" (APPDATA-5) snapshot=SNAP-3`. */
    @NonCPS
    static String describe(Map action) {
        String text = "${action.action} ${action.object} \"${action.name}\""
        if (action.reference) {
            text += " (${action.reference})"
        }
        Map parameters = (action.parameters ?: [:]) as Map
        List<String> words = []
        for (Object key in parameters.keySet().sort()) {
            words << "${key}=${parameters[key]}".toString()
        }
        return words ? "${text} ${words.join(', ')}" : text
    }

    /** The lines of one call's plan, each starting with the stage's name; one line when it would change nothing. */
    @NonCPS
    static List<String> lines(String stage, String step, Map result) {
        List actions = (result.plan ?: []) as List
        if (!actions) {
            return ["[${stage}] ${step}: nothing to change".toString()]
        }
        List<String> out = []
        for (Object action in actions) {
            out << "[${stage}] ${describe(action as Map)}".toString()
        }
        return out
    }

    /** The build description with lines added, under HEADER once. */
    @NonCPS
    static String described(String before, List<String> lines) {
        String text = lines.join('\n')
        if (!before?.contains(HEADER)) {
            text = "${HEADER}\n${text}"
        }
        return before ? "${before}\n${text}" : text
    }

    /** The pipeline script: the source of echo, env and currentBuild. */
    private final Object script

    DryRun(Object script) {
        this.script = script
    }

    /**
     * Adds lines to the build's description in one go, so parallel lanes never lose each other's lines (Jenkins
     * runs one lane at a time; an agent-side runner may not).
     */
    @NonCPS
    static void append(Object build, List<String> lines) {
        synchronized (DESCRIPTION_LOCK) {
            build.description = described(build.description as String, lines)
        }
    }

    /** Echoes the plan of a call of step and adds it to the build description. */
    void record(String step, Map result) {
        String stage = script.env.STAGE_NAME ?: POST_ACTIONS
        List<String> planned = lines(stage, step, result)
        script.echo(planned.join('\n'))
        append(script.currentBuild, planned)
    }

}

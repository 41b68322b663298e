package io.dxsteps

import com.cloudbees.groovy.cps.NonCPS

/**
 * Checks a caller's config against a step's defaults (Steps) and merges it over them. Pure
 * functions: the runner turns a problem into error(...).
 */
class Config implements Serializable {

    private static final long serialVersionUID = 1L

    /** The caller's config over the defaults; a null value leaves the default in place. */
    @NonCPS
    static Map merge(String step, Map config) {
        Map cfg = Steps.defaults(step)
        for (Map.Entry entry in config.entrySet()) {
            if (entry.value != null) {
                cfg[entry.key as String] = entry.value
            }
        }
        return cfg
    }

    /**
     * What is wrong with a caller's config, as one sentence naming the key and the allowed keys,
     * or null when nothing is.
     */
    @NonCPS
    static String problem(String step, Map config) {
        Map keys = Steps.defaults(step)
        String allowed = "allowed keys: ${keys.keySet().join(', ')}"
        for (Object key in config.keySet()) {
            if (!keys.containsKey(key)) {
                return "unknown key '${key}'; ${allowed}"
            }
        }
        Map cfg = merge(step, config)
        for (Map.Entry entry in keys.entrySet()) {
            Object value = cfg[entry.key]
            if (entry.value == Steps.MANDATORY && (value == Steps.MANDATORY || value == '')) {
                return "missing mandatory key '${entry.key}'; ${allowed}"
            }
            String wrongType = typeProblem(entry.key as String, entry.value, value)
            if (wrongType) {
                return wrongType
            }
        }
        return brokenRule(step, cfg)
    }

    /** Booleans must stay booleans and lists lists: 'false' as a string would be true. */
    @NonCPS
    static String typeProblem(String key, Object defaultValue, Object value) {
        String kind = value?.getClass()?.simpleName
        if (defaultValue instanceof Boolean) {
            return value instanceof Boolean ? null : "key '${key}' must be true or false, not ${kind} '${value}'"
        }
        if (defaultValue instanceof List) {
            String listExample = "['a', 'b']"
            return value instanceof List ? null :
                "key '${key}' must be a list such as ${listExample}, not ${kind} '${value}'"
        }
        boolean scalar = !(value instanceof Map || value instanceof List || value instanceof Boolean)
        return scalar ? null : "key '${key}' must be a string or a number, not ${kind}"
    }

    /**
     * The platform a step drives, in lower case: the platform key, else the agent's
     * DELPHIX_PLATFORM; null when neither is set, which is the engine and passes no flag, so a
     * pipeline that never names a platform runs exactly as before there was a choice.
     */
    @NonCPS
    static String platform(Object key, Object environment) {
        Object chosen = key?.toString()?.trim() ? key : environment
        String platform = chosen?.toString()?.trim()?.toLowerCase()
        return platform ?: null
    }

    /** The common keys of a merged config, to hand on to the steps a composite step runs. */
    @NonCPS
    static Map connection(Map cfg) {
        Map picked = [:]
        for (Object key in Steps.COMMON.keySet()) {
            picked[key] = cfg[key]
        }
        return picked
    }

    /**
     * The operation must be one the binary has. Every other rule between keys is the binary's own:
     * it checks them before it touches the engine, and its error names the key.
     */
    @NonCPS
    static String brokenRule(String step, Map cfg) {
        List ops = Steps.operations(step)
        if (ops && !ops.contains(cfg.operation)) {
            return "operation '${cfg.operation}' is not one of ${ops.join(', ')}"
        }
        // delphixPrepareDataset runs three binaries: its subsetter is checked before the first.
        if (step == 'delphixPrepareDataset') {
            if (!cfg.subsetExec && !cfg.simulate) {
                return 'no subsetter: set subsetExec (your subsetting command; it gets DX_CONTAINER, ' +
                    'DX_SUBSET_PERCENT and DX_DB_*) or simulate: true to leave the data whole'
            }
            if (cfg.subsetExec && cfg.simulate) {
                return 'set subsetExec or simulate, not both'
            }
        }
        return null
    }

}

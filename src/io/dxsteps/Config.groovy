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
                return unknownKey(key, keys.keySet())
            }
        }
        String empty = emptyFilter(step, config)
        if (empty) {
            return empty
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

    /**
     * The line for a key no step has: the key meant when one is close, then the allowed keys, as
     * the binaries say of a mistyped flag.
     */
    @NonCPS
    static String unknownKey(Object key, Collection allowed) {
        String meant = closest(key as String, allowed)
        return "unknown key '${key}'; " + (meant ? "did you mean '${meant}'? " : '') +
            "allowed keys: ${allowed.join(', ')}"
    }

    /** The keys that narrow what delphixBookmark's prune deletes. */
    static final List PRUNE_FILTERS = ['container', 'template', 'tags', 'namePattern']

    /**
     * A prune filter the caller gave but that holds nothing (null, blank, a list with a blank
     * tag): left out, prune would delete more than asked, so it is refused as the binary refuses
     * an empty flag.
     */
    @NonCPS
    static String emptyFilter(String step, Map config) {
        if (step != 'delphixBookmark' || config.operation != 'prune') {
            return null
        }
        for (String key in PRUNE_FILTERS) {
            if (config.containsKey(key) && blank(config[key])) {
                String given = config[key] == null ? 'null' : "'${config[key]}'"
                return "operation prune: key '${key}' is empty (${given}): prune refuses an empty filter, " +
                    'which would widen what it deletes; give it a value or leave the key out'
            }
        }
        return null
    }

    /** Whether a value is nothing: null, blanks, or a list holding such a value. */
    @NonCPS
    static boolean blank(Object value) {
        if (value instanceof List) {
            return value.empty || value.any { Object item -> blank(item) }
        }
        return value == null || value.toString().trim().empty
    }

    /**
     * The candidate closest to word (case aside) when it is close enough to be a typo of it: at
     * most a third of its length plus one edits, a swap of two letters counting one. Null if none.
     */
    @NonCPS
    static String closest(String word, Collection candidates) {
        if (word == null) {
            return null
        }
        String best = null
        int bestDistance = word.length().intdiv(3) + 2
        for (Object candidate in candidates) {
            int d = distance(word.toLowerCase(), candidate.toString().toLowerCase())
            if (d < bestDistance) {
                best = candidate.toString()
                bestDistance = d
            }
        }
        return best
    }

    /** The edit distance of a and b, a swap of two neighbouring letters counting one. */
    @NonCPS
    static int distance(String a, String b) {
        int[] before = new int[b.length() + 1]
        int[] previous = (0..b.length()) as int[]
        for (int i = 1; i <= a.length(); i++) {
            int[] current = nextRow(a, b, i, previous, before)
            before = previous
            previous = current
        }
        return previous[b.length()]
    }

    /** Row i of distance's table from rows i-1 (previous) and i-2 (before). */
    @NonCPS
    static int[] nextRow(String a, String b, int i, int[] previous, int[] before) {
        int[] row = new int[b.length() + 1]
        row[0] = i
        for (int j = 1; j <= b.length(); j++) {
            int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1
            row[j] = Math.min(Math.min(previous[j] + 1, row[j - 1] + 1), previous[j - 1] + cost)
            if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                row[j] = Math.min(row[j], before[j - 2] + 1)
            }
        }
        return row
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
            String meant = closest(cfg.operation as String, ops)
            return "operation '${cfg.operation}' is not one of ${ops.join(', ')}" +
                (meant ? "; did you mean '${meant}'?" : '')
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

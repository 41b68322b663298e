package io.dxsteps

import com.cloudbees.groovy.cps.NonCPS

/**
 * The shell text that runs one dxsteps binary. Every value is quoted here, with POSIX single
 * quotes, so any name reaches the binary byte for byte: Groovy never interpolates a value into
 * unquoted shell, and no secret is ever part of the text (the binary reads it from the
 * environment).
 */
class Command implements Serializable {

    private static final long serialVersionUID = 1L

    /** One shell word holding value exactly: 'it'\''s' for it's. */
    @NonCPS
    static String quote(Object value) {
        return "'" + value.toString().replace("'", "'\\''") + "'"
    }

    /**
     * The binary's arguments from a merged config: the operation first, then one flag per set key
     * in the order of the defaults (step keys, then connection keys).
     */
    @NonCPS
    static List<String> arguments(Map cfg) {
        List<String> words = []
        if (cfg.operation) {
            words << quote(cfg.operation)
        }
        for (Map.Entry entry in cfg.entrySet()) {
            String flag = Steps.flag(entry.key as String)
            if (flag != null) {
                words.addAll(flagWords(flag, entry.value))
            }
        }
        return words
    }

    /** The same arguments unquoted, one list item per argument, for a Windows command line. */
    @NonCPS
    static List<String> argv(Map cfg) {
        List<String> words = cfg.operation ? [cfg.operation.toString()] : []
        for (Map.Entry entry in cfg.entrySet()) {
            String flag = Steps.flag(entry.key as String)
            if (flag != null) {
                words.addAll(flagArgv(flag, entry.value))
            }
        }
        return words
    }

    /** One key's arguments, unquoted: as flagWords, with the flag and each value apart. */
    @NonCPS
    static List<String> flagArgv(String flag, Object value) {
        if (value == null || value instanceof Boolean) {
            return value ? [flag] : []
        }
        List<String> words = []
        for (Object item in (value instanceof List ? value : [value])) {
            words << flag
            words << item.toString()
        }
        return words
    }

    /** One key's words: none for null or false, the bare flag for true, the flag per list item. */
    @NonCPS
    static List<String> flagWords(String flag, Object value) {
        if (value == null || value instanceof Boolean) {
            return value ? [flag] : []
        }
        List items = value instanceof List ? value : [value]
        List<String> words = []
        for (Object item in items) {
            words << flag + ' ' + quote(item)
        }
        return words
    }

    /**
     * The lines of the sh script that run the binary the install check found ("$dxsteps_bin",
     * see Installer) with stdout (its JSON result) into resultFile and its error report into
     * errorFile. apiVersions is the build's folder where the steps hand each other the engine's
     * API version (the binaries' DXSTEPS_API_VERSIONS).
     */
    @NonCPS
    static String script(List<String> arguments, String resultFile, String errorFile, String apiVersions) {
        // DXSTEPS_CALLER=jenkins: the binary's error line names the step's keys, not its flags.
        List<String> words = ['DXSTEPS_CALLER=jenkins', 'DXSTEPS_API_VERSIONS=' + quote(apiVersions), '"$dxsteps_bin"']
        words.addAll(arguments)
        words << '--error-file ' + quote(errorFile)
        // set -x: the log shows the command that ran, as a plain sh step of Jenkins (sh -xe) does.
        return "set -x\n${words.join(' ')} >${quote(resultFile)}\n"
    }

    /** The step's Blue Ocean label: what it does, then the binary and version that do it. */
    @NonCPS
    static String label(String step, String what, String binary, String version) {
        return "${label(step, what)} (${binary} ${version})"
    }

    /** A one-line Blue Ocean label: 'delphixSync: Patients Prod'. */
    @NonCPS
    static String label(String step, String what) {
        String line = (what ?: '').replaceAll(/[\r\n\t]+/, ' ').trim()
        return line ? "${step}: ${line}" : step
    }

    /** What the step does, in a few words, for the Blue Ocean step label. */
    @NonCPS
    static String describe(String step, Map cfg) {
        switch (step) {
            case 'delphixSync': return cfg.database
            case 'delphixRefresh': return cfg.snapshot ? "${cfg.vdb} from ${cfg.snapshot}" : cfg.vdb
            case 'delphixCredentials': return "${cfg.vdb} accounts"
            case 'delphixDataPod': return "${cfg.operation} ${cfg.container}"
            case 'delphixSubset': return "${cfg.container} to ${cfg.percent}%"
            case 'delphixBookmark':
                String on = cfg.container ?: cfg.template
                return cfg.name ? "${cfg.operation} '${cfg.name}' on ${on}" : "${cfg.operation} ${on ?: ''}".trim()
            case 'delphixBranch': return "${cfg.operation} ${cfg.name ?: ''} on ${cfg.container}".replace('  ', ' ')
        }
        return step
    }

}

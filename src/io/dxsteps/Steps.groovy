package io.dxsteps

import com.cloudbees.groovy.cps.NonCPS

/**
 * What each dxsteps var accepts: the binary it runs and its keys with their defaults (Config
 * checks a caller's config against them). The binaries' keys, flags, operations and exit codes come
 * from StepContracts, generated from the binaries' own contracts by `make contract`; this class adds
 * the keys the library itself uses (credentialsId, dxstepsHome, distUrl) and the composite
 * delphixPrepareDataset.
 *
 * A default of MANDATORY marks a key the caller must set. A null default means "not passed":
 * the binary's own default applies. Booleans become a bare flag when true; lists repeat the flag.
 */
class Steps implements Serializable {

    private static final long serialVersionUID = 1L

    /** Default value of a key the caller must set. */
    static final String MANDATORY = StepContracts.MANDATORY

    /** Keys every var accepts: who logs in, where the engine is, and where the binaries are. */
    static final Map COMMON = [
        // Jenkins credential: the engine user's username/password; on platform dct, secret text: the API key
        credentialsId: MANDATORY,
    ] + StepContracts.CONNECTION + [
        dxstepsHome: null,        // directory holding the dx-* binaries; null: env.DXSTEPS_HOME, else distUrl's
        distUrl: null,            // where make dist archives are, to install from; null: env.DXSTEPS_DIST_URL
    ]

    /** The single-binary steps, in the order of a data pipeline. */
    static final Map STEPS = StepContracts.STEPS

    /** Keys of delphixPrepareDataset: one subset lane, pod refresh then subset then bookmark. */
    static final Map PREPARE_DATASET = [
        template: MANDATORY,              // template the data pod is refreshed from, e.g. 'Patients'
        container: MANDATORY,             // data pod to prepare, e.g. 'prep1'
        percent: MANDATORY,               // share of rows to keep, 1 to 100
        bookmarkName: MANDATORY,          // name of the bookmark made at the end
        tags: [],                         // tags of that bookmark
        shared: false,                    // share that bookmark
        subsetExec: null,                 // subsetting command; needed unless simulate
        simulate: false,                  // simulated subset: the data stays whole; instead of subsetExec
        create: false,                    // create the data pod from template when missing
        vdb: null,                        // VDB the created data pod adopts; needs create
        snapshot: null,                   // master snapshot the pod gets (null: the build's proven point)
        allowUnmasked: false,             // skip the proven-masked check (estates without masking)
        dryRun: false,                    // plan each of the three calls: change nothing
    ]

    /** What a binary's exit code means (contract of the dxsteps binaries). */
    static final Map EXIT_CODES = StepContracts.EXIT_CODES

    /** All keys of a var with their defaults, common keys last. */
    @NonCPS
    static Map defaults(String step) {
        Map keys = [:]
        keys.putAll(step == 'delphixPrepareDataset' ? PREPARE_DATASET : STEPS[step].keys)
        keys.putAll(COMMON)
        return keys
    }

    /** The operations of a var, the first the default; empty for a var without operations. */
    @NonCPS
    static List operations(String step) {
        return STEPS[step]?.operations ?: []
    }

    /** The flag a key becomes, e.g. '--require-masked'; null for keys that are not flags. */
    @NonCPS
    static String flag(String key) {
        return StepContracts.FLAGS[key]
    }

}

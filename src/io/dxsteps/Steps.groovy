package io.dxsteps

import com.cloudbees.groovy.cps.NonCPS

/**
 * What each dxsteps var accepts: the binary it runs and its keys with their defaults (Config
 * checks a caller's config against them). A key becomes the binary's flag of the same name in kebab case
 * (requireMasked -> --require-masked), except the keys listed in NOT_FLAGS and RENAMED.
 *
 * A default of MANDATORY marks a key the caller must set. A null default means "not passed":
 * the binary's own default applies. Booleans become a bare flag when true; lists repeat the flag.
 */
class Steps implements Serializable {

    private static final long serialVersionUID = 1L

    /** Default value of a key the caller must set. */
    static final String MANDATORY = '(mandatory)'

    /** Keys every var accepts: where the engine is, who logs in, and where the binaries are. */
    static final Map COMMON = [
        credentialsId: MANDATORY, // Jenkins username/password credential of the engine user
        engine: null,             // engine URL (--engine); null: env.DELPHIX_ENGINE
        apiVersion: null,         // pin the engine API version, e.g. '1.11.9' (--api-version)
        caCert: null,             // path of a CA bundle to trust (--ca-cert)
        insecure: false,          // skip TLS verification (--insecure)
        timeout: null,            // deadline of the whole step, e.g. '45m' (--timeout); binary default 2h
        dxstepsHome: null,        // directory holding the dx-* binaries; null: env.DXSTEPS_HOME, else PATH
    ]

    /** Keys that are not flags of the binary: the runner uses them itself. */
    static final List NOT_FLAGS = ['credentialsId', 'dxstepsHome', 'operation']

    /** Keys whose flag is not their kebab-case name. */
    static final Map RENAMED = [tags: 'tag']

    /** The single-binary steps, in the order of a data pipeline. */
    static final Map STEPS = [
        delphixSync: [
            binary: 'dx-sync',
            keys: [
                database: MANDATORY,      // dSource to snapshot, e.g. 'Patients Prod' (--database)
            ],
        ],
        delphixRefresh: [
            binary: 'dx-refresh',
            keys: [
                vdb: MANDATORY,           // VDB to refresh, e.g. 'Patients Masked Master' (--vdb)
                snapshot: null,           // snapshot reference to refresh from; null: latest (--snapshot)
                requireMasked: false,     // fail (exit 1) unless the refreshed VDB is masked (--require-masked)
            ],
        ],
        delphixCredentials: [
            binary: 'dx-credentials',
            keys: [
                vdb: MANDATORY,           // VDB whose database accounts change (--vdb)
                policy: MANDATORY,        // path of the accounts policy YAML (--policy)
                exec: null,               // command run once per account change (--exec)
                installHook: false,       // install a clone hook instead of running exec (--install-hook)
                hookCommand: null,        // command the hook runs; needs installHook (--hook-command)
                passwordOutput: null,     // file receiving generated passwords, mode 0600 (--password-output)
                passwordCommand: null,    // command storing each generated password in a vault (--password-command)
            ],
        ],
        delphixDataPod: [
            binary: 'dx-datapod',
            keys: [
                operation: 'refresh',     // refresh, reset, restore, enable, disable, lock or unlock
                container: MANDATORY,     // data pod (self-service container), e.g. 'prep1' (--container)
                template: null,           // template of the data pod, e.g. 'Patients' (--template)
                create: false,            // create the data pod from template when missing (--create)
                vdb: null,                // VDB the created data pod adopts; needs create (--vdb)
                bookmark: null,           // bookmark to restore to (--bookmark)
                busyWait: null,           // how long to wait for a busy data pod, e.g. '10m' (--busy-wait)
            ],
        ],
        delphixSubset: [
            binary: 'dx-subset',
            keys: [
                container: MANDATORY,     // data pod to subset (--container)
                percent: MANDATORY,       // share of rows to keep, 1 to 100 (--percent)
                exec: null,               // subsetting command; needed unless simulate (--exec)
                simulate: false,          // change nothing, report a simulated subset; instead of exec (--simulate)
            ],
        ],
        delphixBookmark: [
            binary: 'dx-bookmark',
            keys: [
                operation: 'create',      // create, share, unshare, delete or list
                container: null,          // data pod to bookmark; or template (--container)
                template: null,           // template to bookmark; or container (--template)
                name: null,               // bookmark name; needed unless operation is list (--name)
                tags: [],                 // tags of the new bookmark (--tag, repeated)
                shared: false,            // share the new bookmark with other users (--shared)
            ],
        ],
        delphixBranch: [
            binary: 'dx-branch',
            keys: [
                operation: MANDATORY,     // create, activate, delete or list
                container: MANDATORY,     // data pod owning the branch, e.g. 'dev-pod' (--container)
                name: null,               // branch name; needed unless operation is list (--name)
                fromBookmark: null,       // bookmark the new branch starts from (--from-bookmark)
            ],
        ],
    ]

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
    ]

    /** Operations each var with an operation key accepts. */
    static final Map OPERATIONS = [
        delphixDataPod: ['refresh', 'reset', 'restore', 'enable', 'disable', 'lock', 'unlock'],
        delphixBookmark: ['create', 'share', 'unshare', 'delete', 'list'],
        delphixBranch: ['create', 'activate', 'delete', 'list'],
    ]

    /** What a binary's exit code means (contract of the dxsteps binaries). */
    static final Map EXIT_CODES = [
        0: 'success',
        1: 'the engine operation or a check failed',
        2: 'usage or bad input (a flag, or a name that matches nothing or more than one object)',
        3: 'authentication or permission refused',
        4: 'the timeout passed',
        5: 'engine unreachable',
        130: 'aborted by SIGINT',
        143: 'aborted by SIGTERM',
    ]

    /** All keys of a var with their defaults, common keys last. */
    @NonCPS
    static Map defaults(String step) {
        Map keys = [:]
        keys.putAll(step == 'delphixPrepareDataset' ? PREPARE_DATASET : STEPS[step].keys)
        keys.putAll(COMMON)
        return keys
    }

    /** The flag a key becomes, e.g. '--require-masked'; null for keys that are not flags. */
    @NonCPS
    static String flag(String key) {
        if (NOT_FLAGS.contains(key)) {
            return null
        }
        String name = RENAMED[key] ?: key.replaceAll(/([A-Z])/, '-$1').toLowerCase()
        return '--' + name
    }

}

package io.dxsteps

import com.cloudbees.groovy.cps.NonCPS

/**
 * Runs the dxsteps binaries for the library's vars. Each var hands its script (`this`) and its
 * config to one DxStep; DxStep checks the config against the step's defaults, binds the credential
 * as environment variables (the engine user's DELPHIX_USER and DELPHIX_PASSWORD, or on Data Control
 * Tower the API key's DELPHIX_API_KEY), and in one labelled sh step (powershell on Windows) has
 * Installer's check ready the binary on the agent and runs it; it returns the binary's JSON result
 * as a Map, or fails the build with one error line built from the error file.
 */
class DxStep implements Serializable {

    private static final long serialVersionUID = 1L

    /** The environment variable that holds the DCT API key for the binary. */
    static final String API_KEY_VARIABLE = 'DELPHIX_API_KEY'

    /** The pipeline script: the source of sh, withCredentials, readJSON, error and env. */
    private final Object script

    DxStep(Object script) {
        this.script = script
    }

    /**
     * A copy of a readJSON result made of plain maps and lists, so callers can keep it across
     * pipeline restarts and so a JSON null is a Groovy null (net.sf.json's JSONNull is truthy).
     */
    @NonCPS
    static Object plain(Object value) {
        if (value instanceof Map) {
            Map copy = [:]
            for (Map.Entry entry in value.entrySet()) {
                copy[entry.key as String] = plain(entry.value)
            }
            return copy
        }
        if (value instanceof List) {
            List copy = []
            for (Object item in value) {
                copy << plain(item)
            }
            return copy
        }
        if (value != null && value.getClass().name == 'net.sf.json.JSONNull') {
            return null
        }
        return value
    }

    /**
     * Runs the binary of var `step` (e.g. 'delphixSync') and returns its result: one sh step (one
     * powershell step on Windows) that checks or installs the binary (Installer) and runs it.
     */
    Map run(String step, Map config) {
        Map cfg = settle(step, config)
        if (step == 'delphixBookmark') {
            cfg = new Provenance(script).fill(cfg)
        }
        if (step == 'delphixDataPod' && cfg.operation == 'refresh' && !cfg.snapshot) {
            cfg.snapshot = new ProvenPoint(script).latest() // the chain of custody: see ProvenPoint
        }
        String binary = Steps.STEPS[step].binary
        Installer installer = new Installer(script)
        String version = installer.version(step)
        boolean unix = script.isUnix() // groovylint-disable-line UnnecessaryGetter
        String runId = "${step}-${UUID.randomUUID()}"
        String outputDir = BuildOutput.dir(script.env)
        String resultFile = "${outputDir}/${runId}.json"
        String errorFile = "${outputDir}/${runId}.error.json"
        String apiVersions = "${outputDir}/${BuildOutput.API_VERSIONS}"
        Map plan = [version: version, binary: binary, home: cfg.dxstepsHome, dist: cfg.distUrl,
                    step: step, errorFile: errorFile]
        String text = unix ?
            Installer.unixScript(plan, installer.body(true),
                Command.script(Command.arguments(cfg), resultFile, errorFile, apiVersions)) :
            Installer.windowsScript(plan, installer.body(false),
                PowerShell.script(Command.argv(cfg), resultFile, errorFile, apiVersions))
        String label = Command.label(step, Command.describe(step, cfg), binary, version)
        int status = -1
        script.withCredentials(credentialBindings(cfg)) {
            status = unix ? script.sh(label: label, script: text, returnStatus: true) as int :
                script.powershell(label: label, script: text, returnStatus: true) as int
        }
        if (status != 0) {
            script.error(failure(step, binary, status, errorFile))
        }
        Map result = plain(script.readJSON(file: resultFile)) as Map
        if (result.dryRun) {
            new DryRun(script).record(step, result)
        }
        return result
    }

    /**
     * One subset lane in one call: refresh the data pod from its template, subset it, bookmark
     * it. Returns the three results as [dataPod: ..., subset: ..., bookmark: ...].
     */
    Map prepareDataset(Map config) {
        Map cfg = settle('delphixPrepareDataset', config)
        Map connection = Config.connection(cfg)
        Map plan = [dryRun: cfg.dryRun]
        Map dataPod = run('delphixDataPod', connection + plan +
            [container: cfg.container, template: cfg.template, create: cfg.create, vdb: cfg.vdb,
             snapshot: cfg.snapshot, allowUnmasked: cfg.allowUnmasked])
        Map subset = run('delphixSubset', connection + plan +
            [container: cfg.container, percent: cfg.percent, exec: cfg.subsetExec, simulate: cfg.simulate])
        Map bookmark = run('delphixBookmark', connection + plan +
            [container: cfg.container, name: cfg.bookmarkName, tags: cfg.tags, shared: cfg.shared])
        return [dataPod: dataPod, subset: subset, bookmark: bookmark]
    }

    /**
     * The credential binding for the config's platform: on DCT the Secret text credential holding
     * the API key, on the engine the engine user's username/password. Either way only the
     * binary's environment gets the secret, and Jenkins masks it in the log.
     */
    List credentialBindings(Map cfg) {
        Object binding = cfg.platform == 'dct' ?
            script.string(credentialsId: cfg.credentialsId, variable: API_KEY_VARIABLE) :
            script.usernamePassword(credentialsId: cfg.credentialsId,
                usernameVariable: 'DELPHIX_USER', passwordVariable: 'DELPHIX_PASSWORD')
        return [binding]
    }

    /** Publishes the build's bookmarks and cleans its output folder: see Catalog. */
    List publishCatalog(Map config) {
        return new Catalog(script).publish(config ?: [:])
    }

    /**
     * The caller's config merged over the step's defaults, with the platform, the engine and the
     * binaries' home taken from the environment when the config leaves them out. Fails on
     * anything wrong, a password file in the workspace included (SecretFiles).
     */
    private Map settle(String step, Map config) {
        String problem = Config.problem(step, config ?: [:])
        if (problem) {
            script.error("${step}: ${problem}")
        }
        Map cfg = Config.merge(step, config ?: [:])
        cfg.platform = Config.platform(cfg.platform, script.env.DELPHIX_PLATFORM)
        if (cfg.platform != null && !(cfg.platform in StepContracts.PLATFORMS)) {
            script.error("${step}: platform '${cfg.platform}' is not one of ${StepContracts.PLATFORMS.join(', ')} " +
                '(key platform, else the environment variable DELPHIX_PLATFORM)')
        }
        cfg.engine = cfg.engine ?: script.env.DELPHIX_ENGINE
        if (!cfg.engine) {
            String what = cfg.platform == 'dct' ? 'Data Control Tower URL' : 'engine'
            script.error("${step}: no ${what}: set the engine key or the environment variable DELPHIX_ENGINE")
        }
        cfg.dxstepsHome = cfg.dxstepsHome ?: script.env.DXSTEPS_HOME
        if (cfg.passwordOutput && script.env.WORKSPACE) {
            String inWorkspace = SecretFiles.passwordOutputProblem(cfg.passwordOutput as String,
                script.env.WORKSPACE as String, script.pwd() as String)
            if (inWorkspace) {
                script.error("${step}: ${inWorkspace}")
            }
        }
        return cfg
    }

    /** The one error line for a failed run: the binary's own message, else what its exit code means. */
    private String failure(String step, String binary, int status, String errorFile) {
        Map report = [:]
        if (script.fileExists(errorFile)) {
            // A report that cannot be read (cut short, not JSON) counts as no report.
            try {
                report = plain(script.readJSON(file: errorFile)) as Map
            } catch (Exception unreadable) { // groovylint-disable-line CatchException

                report = [:]
            }
        }
        if (report.message && report.category == 'setup') {
            return "${step}: ${report.message}" // the install check's: the binary did not run
        }
        if (report.message) {
            return "${step}: ${report.message} (exit ${status}, ${report.category ?: 'unknown'})"
        }
        if (status == 127) {
            return "${step}: ${binary} not found: set DXSTEPS_HOME or put the dxsteps binaries on PATH"
        }
        String meaning = Steps.EXIT_CODES[status] ?: 'not a dxsteps exit code'
        return "${step}: ${binary} failed with exit ${status}: ${meaning} (no error file; see the log above)"
    }

}

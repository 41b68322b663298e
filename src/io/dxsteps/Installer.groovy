package io.dxsteps

import com.cloudbees.groovy.cps.NonCPS

/**
 * Makes sure the agent a step runs on has the dxsteps binaries of the library's version, and says
 * where they are. Before each step it runs one short script on the agent (sh, or powershell when
 * isUnix() is false) that picks the first of:
 *
 * <ol>
 *   <li>an override: the dxstepsHome key or DXSTEPS_HOME, a directory holding the binaries;</li>
 *   <li>a distribution: the distUrl key or DXSTEPS_DIST_URL, an http(s) URL, a file:// URL or a
 *       path of a shared folder holding the archives and SHA256SUMS of one `make dist`. The
 *       archive of the agent's platform is fetched from there only, checked against SHA256SUMS,
 *       unpacked into DXSTEPS_TOOLS_DIR (default: dxsteps-tools beside the workspace) under
 *       VERSION/OS-ARCH, and reused by every later step on that agent;</li>
 *   <li>PATH.</li>
 * </ol>
 *
 * Every binary must report the library's version: one of another version is refused, naming both
 * versions; a development build (version "dev", from a plain go build) found through an
 * override or PATH is used with a warning. The script answers on stdout with one line
 * dxsteps-home=DIR (empty for PATH), dxsteps-error=REASON or dxsteps-warning=TEXT, so a failure
 * reaches the build as one line. The scripts are resources/io/dxsteps/install.sh and install.ps1,
 * after lines that give them the version, the binary, and the dxstepsHome and distUrl keys.
 */
class Installer implements Serializable {

    private static final long serialVersionUID = 1L

    /** The library resource holding the library's version, the one source of truth for it. */
    static final String VERSION_RESOURCE = 'io/dxsteps/version.txt'

    /** The library resources holding the fixed part of the scripts, for sh and for powershell. */
    static final String UNIX_RESOURCE = 'io/dxsteps/install.sh'
    static final String WINDOWS_RESOURCE = 'io/dxsteps/install.ps1'

    /** The pipeline script: the source of isUnix, sh, powershell, libraryResource, echo and error. */
    private final Object script

    Installer(Object script) {
        this.script = script
    }

    /** The version in the text of version.txt, or null when it holds none. */
    @NonCPS
    static String libraryVersion(String text) {
        String version = (text ?: '').trim()
        return version.matches('[0-9A-Za-z][0-9A-Za-z.+_-]*') ? version : null
    }

    /** The sh script for plan [version, binary, home, dist] (home and dist may be null): values, then body. */
    @NonCPS
    static String unixScript(Map plan, String body) {
        // Jenkins runs sh -xe: no trace of every line in the log. No #! line: an agent (or the local
        // runner) would write the script to a file and exec it, which can fail with "Text file busy"
        // while a parallel lane forks.
        return 'set +x\n' +
            "version=${Command.quote(plan.version)}\n" +
            "binary=${Command.quote(plan.binary)}\n" +
            "given_home=${Command.quote(plan.home ?: '')}\n" +
            "given_dist=${Command.quote(plan.dist ?: '')}\n" +
            body
    }

    /** The powershell script for the same plan. */
    @NonCPS
    static String windowsScript(Map plan, String body) {
        return "\$version = ${PowerShell.quote(plan.version)}\n" +
            "\$binary = ${PowerShell.quote(plan.binary)}\n" +
            "\$givenHome = ${PowerShell.quote(plan.home ?: '')}\n" +
            "\$givenDist = ${PowerShell.quote(plan.dist ?: '')}\n" +
            body
    }

    /** The home, error and warning lines of the script's stdout (the last of each kind). */
    @NonCPS
    static Map answer(String out) {
        Map found = [:]
        String prefix = 'dxsteps-'
        for (String line in (out ?: '').split('\n')) {
            String text = line.replaceAll(/\r$/, '')
            int equals = text.indexOf('=')
            String kind = text.startsWith(prefix) && equals > 0 ? text.substring(prefix.length(), equals) : ''
            if (kind in ['home', 'error', 'warning']) {
                found[kind] = text.substring(equals + 1)
            }
        }
        return found
    }

    /**
     * Readies binary (e.g. 'dx-sync') for step on this agent. Returns [home: DIR or null for
     * PATH, unix: whether the agent runs sh], or fails the build with one line.
     */
    Map prepare(String step, String binary, Map cfg) {
        String version = libraryVersion(script.libraryResource(VERSION_RESOURCE) as String)
        if (version == null) {
            script.error("${step}: the library's ${VERSION_RESOURCE} holds no version")
        }
        boolean unix = script.isUnix() // groovylint-disable-line UnnecessaryGetter
        Map plan = [version: version, binary: binary, home: cfg.dxstepsHome, dist: cfg.distUrl]
        String label = "dxsteps ${version}: ${binary}"
        String out
        if (unix) {
            String text = unixScript(plan, script.libraryResource(UNIX_RESOURCE) as String)
            out = script.sh(label: label, script: text, returnStdout: true)
        } else {
            String text = windowsScript(plan, script.libraryResource(WINDOWS_RESOURCE) as String)
            out = script.powershell(label: label, script: text, returnStdout: true)
        }
        Map answer = answer(out)
        if (answer.warning) {
            script.echo("${step}: warning: ${answer.warning}")
        }
        if (answer.error || answer.home == null) {
            String why = answer.error ?: 'preparing the dxsteps binaries failed (no answer; see the log above)'
            script.error("${step}: ${why}")
        }
        return [home: answer.home ?: null, unix: unix]
    }

}

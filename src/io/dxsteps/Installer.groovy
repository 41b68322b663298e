package io.dxsteps

import com.cloudbees.groovy.cps.NonCPS

/**
 * Makes sure the agent a step runs on has the dxsteps binary of the library's version, in the same
 * step that runs it: one sh (powershell when isUnix() is false) per call, whose script is the
 * install check followed by the run. The check picks the first of:
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
 * override or PATH is used with a warning in the step's log. A refusal or a failed install writes
 * {"category": "setup", "message": REASON} to the step's error file and ends the script with exit
 * 127 before the binary runs, so it reaches the build as one line, as the binary's own errors do.
 * The scripts are resources/io/dxsteps/install.sh and install.ps1, after lines that give them the
 * version, the binary, the dxstepsHome and distUrl keys, the step and its error file.
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

    /**
     * The sh script for plan [version, binary, home, dist, step, errorFile] (home and dist may be
     * null): the values, the output folder, the install check (body, which sets dxsteps_bin), then
     * run, the line that runs "$dxsteps_bin".
     */
    @NonCPS
    static String unixScript(Map plan, String body, String run) {
        // Jenkins runs sh -xe: no trace of every line in the log. No #! line: an agent (or the local
        // runner) would write the script to a file and exec it, which can fail with "Text file busy"
        // while a parallel lane forks.
        return 'set +x\n' +
            "version=${Command.quote(plan.version)}\n" +
            "binary=${Command.quote(plan.binary)}\n" +
            "given_home=${Command.quote(plan.home ?: '')}\n" +
            "given_dist=${Command.quote(plan.dist ?: '')}\n" +
            "step=${Command.quote(plan.step)}\n" +
            "error_file=${Command.quote(plan.errorFile)}\n" +
            "mkdir -p ${Command.quote(folder(plan.errorFile as String))}\n" +
            body + run
    }

    /** The powershell script for the same plan: the install check sets $exe, run runs it. */
    @NonCPS
    static String windowsScript(Map plan, String body, String run) {
        return '$ErrorActionPreference = \'Stop\'\n' +
            "\$version = ${PowerShell.quote(plan.version)}\n" +
            "\$binary = ${PowerShell.quote(plan.binary)}\n" +
            "\$givenHome = ${PowerShell.quote(plan.home ?: '')}\n" +
            "\$givenDist = ${PowerShell.quote(plan.dist ?: '')}\n" +
            "\$step = ${PowerShell.quote(plan.step)}\n" +
            "\$errorFile = ${PowerShell.quote(plan.errorFile)}\n" +
            'New-Item -ItemType Directory -Force -Path ' + PowerShell.quote(folder(plan.errorFile as String)) +
            ' | Out-Null\n' +
            body + run
    }

    /** The folder of a relative file path ('.' for none). */
    @NonCPS
    static String folder(String file) {
        return file.contains('/') ? file.substring(0, file.lastIndexOf('/')) : '.'
    }

    /** The library's version, or the build fails with one line naming step. */
    String version(String step) {
        String version = libraryVersion(script.libraryResource(VERSION_RESOURCE) as String)
        if (version == null) {
            script.error("${step}: the library's ${VERSION_RESOURCE} holds no version")
        }
        return version
    }

    /** The fixed part of the install check for this agent: install.sh, or install.ps1 on Windows. */
    String body(boolean unix) {
        return script.libraryResource(unix ? UNIX_RESOURCE : WINDOWS_RESOURCE) as String
    }

}

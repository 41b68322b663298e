package io.dxsteps

import com.cloudbees.groovy.cps.NonCPS

/**
 * The JSON results a build's dxsteps calls left in its folder (BuildOutput), read on the agent: what
 * ProvenPoint and Provenance hand on from earlier stages of the same build.
 */
class BuildResults implements Serializable {

    private static final long serialVersionUID = 1L

    /** A found file's modification time in ms, 0 when the agent gives none. */
    @NonCPS
    static long modified(Object file) {
        Object time = file.lastModified
        return time == null ? 0L : time as long
    }

    /** The pipeline script: the source of findFiles and readJSON. */
    private final Object script

    BuildResults(Object script) {
        this.script = script
    }

    /**
     * The results in the files of the current directory matching glob (error files left out), each
     * [modified: file time in ms, result: Map]. A file that cannot be read or holds nothing (a failed
     * call leaves it empty) is no result. Call it inside the build's folder.
     */
    List read(String glob) {
        List out = []
        for (Object file in script.findFiles(glob: glob, excludes: '*.error.json')) {
            Map result = [:]
            try {
                result = DxStep.plain(script.readJSON(file: file.name as String)) as Map
            } catch (Exception unreadable) { // groovylint-disable-line CatchException
                result = [:]
            }
            if (result) {
                out << [modified: modified(file), result: result]
            }
        }
        return out
    }

}

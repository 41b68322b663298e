package io.dxsteps

import com.cloudbees.groovy.cps.NonCPS

/**
 * The chain of custody inside one build: the data point its earlier stages proved, which
 * delphixDataPod (refresh, create) passes as snapshot when the caller gave none. It is read from
 * the build's output folder (BuildOutput): the last delphixCredentials result's snapshot (the
 * master after its account changes), else the last delphixRefresh result's maskedSnapshot. None
 * (a first stage, or a build restarted from a later stage, which gets a new build number): the
 * binary takes the master's newest snapshot and proves it masked itself.
 */
class ProvenPoint implements Serializable {

    private static final long serialVersionUID = 1L

    /**
     * The point from the results read, each [modified: file time in ms, result: Map]: the newest
     * credentials snapshot (by snapshotTime, then file time), else the newest refresh
     * maskedSnapshot (by file time); null when there is none.
     */
    @NonCPS
    static String pick(List credentials, List refreshes) {
        Map best = null
        for (Object item in credentials) {
            Map c = item as Map
            if (c.result?.snapshot && (best == null || newer(c, best, 'snapshotTime'))) {
                best = c
            }
        }
        if (best != null) {
            return best.result.snapshot as String
        }
        for (Object item in refreshes) {
            Map r = item as Map
            if (r.result?.maskedSnapshot && (best == null || (r.modified as long) >= (best.modified as long))) {
                best = r
            }
        }
        return best?.result?.maskedSnapshot as String
    }

    /** The pipeline script: the source of dir, findFiles, readJSON and env. */
    private final Object script

    ProvenPoint(Object script) {
        this.script = script
    }

    /** The build's proven point, or null. */
    String latest() {
        List credentials = []
        List refreshes = []
        script.dir(BuildOutput.dir(script.env)) {
            BuildResults build = new BuildResults(script)
            credentials = build.read('delphixCredentials-*.json')
            refreshes = build.read('delphixRefresh-*.json')
        }
        return pick(credentials, refreshes)
    }

    /** Whether result a is newer than b: by its timeKey field, then by file time. */
    @NonCPS
    private static boolean newer(Map a, Map b, String timeKey) {
        int byTime = ((a.result[timeKey] ?: '') as String) <=> ((b.result[timeKey] ?: '') as String)
        if (byTime) {
            return byTime > 0
        }
        return (a.modified as long) >= (b.modified as long)
    }

}

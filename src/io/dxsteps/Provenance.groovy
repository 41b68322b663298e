package io.dxsteps

import com.cloudbees.groovy.cps.NonCPS

/**
 * Where a bookmark's data came from, read from the build's own results (BuildOutput's folder):
 * the latest delphixSync (the production snapshot and its data time), the latest delphixRefresh
 * (the masked snapshot and the masking evidence; its snapshot when the build synced nothing) and
 * the latest delphixSubset of the same data pod (percent, mode: exec or simulated, and tool), plus the
 * build (BUILD_TAG, BUILD_URL). delphixBookmark create passes it to dx-bookmark, which stores it
 * on the bookmark; a key the caller set is left as it is.
 */
class Provenance implements Serializable {

    private static final long serialVersionUID = 1L

    /** What separates pieces of evidence in dx-bookmark's --masking-evidence. */
    static final String EVIDENCE_SEPARATOR = '; '

    /** dx-bookmark's provenance keys from the results of the build's sync, refresh and subset. */
    @NonCPS
    static Map keys(Map sync, Map refresh, Map subset, String buildTag, String buildUrl) {
        Map source = sync?.snapshot ? sync : refresh
        List evidence = []
        List pieces = (refresh?.maskingEvidence ?: []) as List
        for (Object piece in pieces) {
            evidence << (piece as String).replace(EVIDENCE_SEPARATOR, ', ').replaceAll(/[\r\n]+/, ' ')
        }
        return [
            sourceSnapshot: source?.snapshot ?: null,
            sourceDataTime: source?.snapshot ? (source.snapshotDataTime ?: null) : null,
            maskedSnapshot: refresh?.maskedSnapshot ?: null,
            maskingEvidence: evidence ? evidence.join(EVIDENCE_SEPARATOR) : null,
            subsetPercent: subset?.percent ?: null,
            subsetMode: subset?.mode ?: null,
            subsetTool: subset?.tool ?: null,
            build: buildTag ?: null,
            buildUrl: buildUrl ?: null,
        ]
    }

    /** The newest of results (BuildResults.read), of data pod container when it is given; [:] when none. */
    @NonCPS
    static Map newest(List results, String container) {
        Map best = [:]
        long bestTime = Long.MIN_VALUE
        for (Object item in results) {
            Map found = item as Map
            Map result = found.result as Map
            long time = found.modified as long
            if ((container == null || result.container == container) && time >= bestTime) {
                best = result
                bestTime = time
            }
        }
        return best
    }

    /** The pipeline script: the source of dir, findFiles, readJSON and env. */
    private final Object script

    Provenance(Object script) {
        this.script = script
    }

    /** cfg of a delphixBookmark call, with the provenance keys it left out filled from the build's results. */
    Map fill(Map cfg) {
        if ((cfg.operation ?: 'create') != 'create') {
            return cfg
        }
        Map results = [:]
        script.dir(BuildOutput.dir(script.env)) {
            BuildResults build = new BuildResults(script)
            results.sync = newest(build.read('delphixSync-*.json'), null)
            results.refresh = newest(build.read('delphixRefresh-*.json'), null)
            results.subset = cfg.container ? newest(build.read('delphixSubset-*.json'), cfg.container as String) : [:]
        }
        Map found = keys(results.sync as Map, results.refresh as Map, results.subset as Map,
            script.env.BUILD_TAG as String, script.env.BUILD_URL as String)
        Map out = [:]
        out.putAll(cfg)
        for (Map.Entry item in found.entrySet()) {
            if (out[item.key] == null && item.value != null) {
                out[item.key] = item.value
            }
        }
        return out
    }

}

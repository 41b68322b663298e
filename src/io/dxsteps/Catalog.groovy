package io.dxsteps

import com.cloudbees.groovy.cps.NonCPS

/**
 * What a build produced, where Jenkins users look: the bookmarks its delphixBookmark and
 * delphixPrepareDataset calls created (name, data pod, tags, data time, shared, and where the data
 * came from: see Provenance), listed in the build's description and archived as a JSON artifact.
 * Then the build's output folder (BuildOutput) is removed, unless asked to keep it. Meant for the
 * pipeline's post { always { } }.
 */
class Catalog implements Serializable {

    private static final long serialVersionUID = 1L

    /** Keys of delphixCatalog with their defaults. */
    static final Map DEFAULTS = [
        artifact: 'delphix-catalog.json', // file name of the archived JSON catalog
        description: true,                // also list the bookmarks in currentBuild.description
        keepOutput: false,                // keep .dxsteps/<BUILD_NUMBER>; also env DXSTEPS_KEEP_OUTPUT=true
    ]

    /**
     * A catalog entry from a dx-bookmark result; empty unless the result is a created bookmark (a
     * plan's result, dryRun, created none).
     * A bookmark with provenance also has it (as dx-bookmark stored it), and subset: what it holds,
     * e.g. '50% by jailer-subset.sh', or '50% simulated: all the data' after a simulated subset.
     */
    @NonCPS
    static Map entry(Map result) {
        boolean created = result != null && result.containsKey('created') && result.bookmark && !result.dryRun
        if (!created) {
            return [:]
        }
        Map e = [
            name: result.bookmark,
            pod: result.container ?: result.template,
            template: result.template,
            tags: result.tags ?: [],
            dataTime: result.timestamp,
            shared: result.shared == true,
            reference: result.bookmarkReference,
        ]
        Map provenance = result.provenance as Map
        if (provenance) {
            e.provenance = provenance
            e.subset = provenance.subset ?: 'none: all the data'
        }
        return e
    }

    /** Where an entry's data came from, in words: production and masked snapshots, masking, subset, build. */
    @NonCPS
    static String origin(Map provenance) {
        List<String> parts = []
        if (provenance.sourceSnapshot) {
            String time = provenance.sourceDataTime ? " of ${provenance.sourceDataTime}" : ''
            parts << "production ${provenance.sourceSnapshot}${time}".toString()
        }
        if (provenance.maskedSnapshot) {
            parts << "masked ${provenance.maskedSnapshot}".toString()
        }
        List evidence = (provenance.maskingEvidence ?: []) as List
        parts << (evidence ? "masking: ${evidence.join('; ')}" : 'masking: no evidence recorded').toString()
        parts << "subset ${provenance.subset ?: 'none: all the data'}".toString()
        if (provenance.build) {
            parts << "build ${provenance.build}".toString()
        }
        return parts.join(' | ')
    }

    /** The entries by name, so the catalog reads the same whatever order the lanes ended in. */
    @NonCPS
    static List sorted(List entries) {
        List copy = []
        copy.addAll(entries)
        return copy.sort { Map a, Map b -> (a.name as String) <=> (b.name as String) }
    }

    /** The build description: one line per bookmark, with what a QA user picks it by. */
    @NonCPS
    static String summary(List entries, String artifact) {
        List<String> lines = ["Delphix bookmarks created: ${entries.size()} (artifact ${artifact})".toString()]
        for (Object item in entries) {
            Map e = item as Map
            String tags = (e.tags as List).join(', ')
            String shared = e.shared ? 'shared' : 'private'
            lines << "${e.name} | on ${e.pod} | tags ${tags} | data ${e.dataTime} | ${shared}".toString()
            if (e.provenance) {
                lines << "  from: ${origin(e.provenance as Map)}".toString()
            }
        }
        return lines.join('\n')
    }

    /** The pipeline script: the source of findFiles, readJSON, writeJSON, archiveArtifacts, dir. */
    private final Object script

    Catalog(Object script) {
        this.script = script
    }

    /** Publishes the build's bookmarks, cleans its output folder and returns the bookmarks. */
    List publish(Map config) {
        Map cfg = settle(config)
        String folder = BuildOutput.dir(script.env)
        List bookmarks = []
        script.dir(folder) {
            for (Object file in script.findFiles(glob: 'delphixBookmark-*.json', excludes: '*.error.json')) {
                Map entry = entry(DxStep.plain(script.readJSON(file: file.name as String)) as Map)
                if (entry) {
                    bookmarks << entry
                }
            }
            bookmarks = sorted(bookmarks)
            script.writeJSON(file: cfg.artifact, json: [build: script.env.BUILD_TAG, bookmarks: bookmarks], pretty: 2)
            script.archiveArtifacts(artifacts: cfg.artifact)
        }
        String text = summary(bookmarks, cfg.artifact as String)
        script.echo(text)
        if (cfg.description) {
            String before = script.currentBuild.description
            script.currentBuild.description = before ? "${before}\n${text}" : text
        }
        if (cfg.keepOutput || BuildOutput.keepAsked(script.env)) {
            script.echo("delphixCatalog: kept ${folder}")
        } else {
            script.dir(folder) {
                script.deleteDir()
            }
        }
        return bookmarks
    }

    /** The caller's config over the defaults; fails the build on an unknown key or a wrong type. */
    private Map settle(Map config) {
        Map cfg = [:]
        cfg.putAll(DEFAULTS)
        for (Map.Entry item in config.entrySet()) {
            if (!DEFAULTS.containsKey(item.key)) {
                script.error("delphixCatalog: ${Config.unknownKey(item.key, DEFAULTS.keySet())}")
            }
            String wrongType = Config.typeProblem(item.key as String, DEFAULTS[item.key], item.value)
            if (wrongType) {
                script.error("delphixCatalog: ${wrongType}")
            }
            cfg[item.key] = item.value
        }
        if (!cfg.artifact || (cfg.artifact as String).contains('/')) {
            script.error("delphixCatalog: artifact must be a file name, not '${cfg.artifact}'")
        }
        return cfg
    }

}

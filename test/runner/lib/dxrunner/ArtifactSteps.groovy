package dxrunner

import hudson.AbortException

import java.nio.file.Files
import java.nio.file.StandardCopyOption

/**
 * findFiles and archiveArtifacts. Archived files are copied, with their path relative to the
 * current directory, into the build's artifacts directory (--artifacts DIR), as Jenkins copies
 * them into the build record, and listed at the end of the run.
 */
class ArtifactSteps extends FileSteps {

    ArtifactSteps(Build build) {
        super(build)
    }

    /** pipeline-utility-steps' findFiles: the files matching glob (default: the current directory's). */
    List<FoundFile> findFiles(Map args = [:]) {
        File cwd = ctx().cwd
        String glob = args.glob ?: '*'
        Globs.match(cwd, glob.toString(), (String) args.excludes).collect { String rel ->
            File f = new File(cwd, rel)
            new FoundFile(name: f.name, path: rel, directory: false, length: f.length(), lastModified: f.lastModified())
        }
    }

    void archiveArtifacts(String artifacts) {
        archiveArtifacts([artifacts: artifacts])
    }

    /** artifacts: and excludes: as Ant globs; no match fails unless allowEmptyArchive: true. */
    void archiveArtifacts(Map args) {
        if (!args.artifacts) {
            throw new AbortException('archiveArtifacts: artifacts is required')
        }
        if (args.onlyIfSuccessful && build.result != 'SUCCESS') {
            return
        }
        build.log('Archiving artifacts')
        List<String> files = Globs.match(ctx().cwd, args.artifacts.toString(), (String) args.excludes)
        if (files.isEmpty()) {
            if (args.allowEmptyArchive) {
                build.log("No artifacts found that match the file pattern \"${args.artifacts}\"")
                return
            }
            throw new AbortException("No artifacts found that match the file pattern \"${args.artifacts}\". Configuration error?")
        }
        for (String rel : files) {
            File target = new File(build.artifactsDir, rel)
            target.parentFile.mkdirs()
            Files.copy(new File(ctx().cwd, rel).toPath(), target.toPath(), StandardCopyOption.REPLACE_EXISTING)
            build.artifacts.add(rel)
        }
    }
}

package dxrunner

/** The `currentBuild` global: result, currentResult, number, displayName and friends. */
class CurrentBuild {
    private final Build build
    String description

    CurrentBuild(Build build) {
        this.build = build
    }

    /** Null while the build is doing fine and nobody set it, as in Jenkins. */
    String getResult() {
        build.resultSet ? build.result : null
    }

    /** Like Jenkins, a result can only get worse. */
    void setResult(String r) {
        build.worsen(r)
    }

    String getCurrentResult() {
        build.result
    }

    int getNumber() {
        build.number
    }

    String getId() {
        String.valueOf(build.number)
    }

    String getDisplayName() {
        build.displayName
    }

    void setDisplayName(String name) {
        build.displayName = name
    }

    String getProjectName() {
        build.jobName.tokenize('/').last()
    }

    String getFullProjectName() {
        build.jobName
    }

    long getStartTimeInMillis() {
        build.startMillis
    }

    long getDuration() {
        System.currentTimeMillis() - build.startMillis
    }

    String getDurationString() {
        GraphPrinter.format(getDuration())
    }

    /** The runner keeps no build history. */
    Object getPreviousBuild() {
        null
    }

    List getBuildCauses() {
        [[_class: 'hudson.model.Cause$UserIdCause', shortDescription: 'Started by the local runner']]
    }

    boolean resultIsBetterOrEqualTo(String other) {
        Results.BUILD.indexOf(build.result) <= Results.BUILD.indexOf(Results.checkBuild(other))
    }

    boolean resultIsWorseOrEqualTo(String other) {
        Results.BUILD.indexOf(build.result) >= Results.BUILD.indexOf(Results.checkBuild(other))
    }
}

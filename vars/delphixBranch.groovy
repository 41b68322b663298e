import io.dxsteps.DxStep

/**
 * Creates, activates, deletes or lists the branches of a data pod (dx-branch).
 * Keys, credentials and exit codes: vars/delphixBranch.txt.
 *
 * @param config the step's keys, for example
 *        [credentialsId: 'delphix', operation: 'create', container: 'dev-pod', name: 'bug-1234',
 *         fromBookmark: 'Bug 1234 data']
 * @return dx-branch's result
 */
def call(Map config = [:]) {
    return new DxStep(this).run('delphixBranch', config)
}

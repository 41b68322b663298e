import io.dxsteps.DxStep

/**
 * Refreshes, resets, restores, enables, disables, locks or unlocks a data pod (dx-datapod).
 * Keys, credentials and exit codes: vars/delphixDataPod.txt.
 *
 * @param config the step's keys, for example
 *        [credentialsId: 'delphix', template: 'Patients', container: 'prep1']
 * @return dx-datapod's result: container, template, operation, created, activeBranch, dataTime, job
 */
def call(Map config = [:]) {
    return new DxStep(this).run('delphixDataPod', config)
}

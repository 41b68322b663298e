import io.dxsteps.DxStep

/**
 * Subsets a data pod's data to a percentage of its rows (dx-subset).
 * Keys, credentials and exit codes: vars/delphixSubset.txt.
 *
 * @param config the step's keys, for example
 *        [credentialsId: 'delphix', container: 'prep1', percent: 50, exec: env.SUBSET_TOOL]
 * @return dx-subset's result: container, percent, mode
 */
def call(Map config = [:]) {
    return new DxStep(this).run('delphixSubset', config)
}

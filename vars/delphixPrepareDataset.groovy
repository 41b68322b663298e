import io.dxsteps.DxStep

/**
 * Prepares one dataset: refreshes a data pod from its template, subsets it, bookmarks it.
 * Keys, credentials and exit codes: vars/delphixPrepareDataset.txt.
 *
 * @param config the step's keys, for example
 *        [credentialsId: 'delphix', template: 'Patients', container: 'prep1', percent: 50, bookmarkName: 'x 50']
 * @return the three results: [dataPod: ..., subset: ..., bookmark: ...]
 */
def call(Map config = [:]) {
    return new DxStep(this).prepareDataset(config)
}

import io.dxsteps.DxStep

/**
 * Refreshes a VDB from a snapshot or its source's latest one (dx-refresh).
 * Keys, credentials and exit codes: vars/delphixRefresh.txt.
 *
 * @param config the step's keys, for example
 *        [credentialsId: 'delphix', vdb: 'Patients Masked Master', snapshot: sync.snapshot]
 * @return dx-refresh's result: vdb, source, snapshot, snapshotTime, snapshotDataTime, masked, maskingEvidence, job
 */
def call(Map config = [:]) {
    return new DxStep(this).run('delphixRefresh', config)
}

import io.dxsteps.DxStep

/**
 * Snapshots a dSource now (dx-sync), so a refresh can use exactly that snapshot.
 * Keys, credentials and exit codes: vars/delphixSync.txt.
 *
 * @param config the step's keys, e.g. [credentialsId: 'delphix', database: 'Patients Prod']
 * @return dx-sync's result: database, snapshot, snapshotName, snapshotTime, snapshotDataTime, job
 */
def call(Map config = [:]) {
    return new DxStep(this).run('delphixSync', config)
}

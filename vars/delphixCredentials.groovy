import io.dxsteps.DxStep

/**
 * Resets, locks or drops a VDB's database accounts by a policy file (dx-credentials).
 * Keys, credentials and exit codes: vars/delphixCredentials.txt.
 *
 * @param config the step's keys, for example
 *        [credentialsId: 'delphix', vdb: 'Patients Masked Master', policy: 'accounts.yaml', exec: env.ACCOUNT_TOOL]
 * @return dx-credentials' result: vdb, mode, accounts, passwordFile
 */
def call(Map config = [:]) {
    return new DxStep(this).run('delphixCredentials', config)
}

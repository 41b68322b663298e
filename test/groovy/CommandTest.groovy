// What each var runs: the exact sh text, its label, the environment the binary gets, the result.

import static TestKit.test

Map login = [credentialsId: 'delphix-engine']

/** The lines of the script a var ran that run the binary (from the last set -x), with the run id as ID. */
String ran(StepStub stub, int index = -1) {
    String text = StepStub.normalized(stub.shCalls[index].script as String)
    return text.substring(text.lastIndexOf('set -x\n'))
}

/**
 * The lines every run ends with, around the binary's own arguments: the binary the install check
 * found (the step's script starts with the check, see InstallTest), run with its result and error
 * files and the build's API versions folder.
 */
String expected(String step, String binary, String arguments) {
    return """set -x
DXSTEPS_CALLER=jenkins DXSTEPS_API_VERSIONS='.dxsteps/7/api-versions' "\$dxsteps_bin" ${arguments} """ +
        """--error-file '.dxsteps/7/${step}-ID.error.json' >'.dxsteps/7/${step}-ID.json'
"""
}

test('delphixSync snapshots the named dSource and returns the binary\'s JSON as a Map') {
    StepStub stub = new StepStub()
    stub.env.FAKE_DX_OUTPUT = '{"database":"Patients Prod","snapshot":"APPDATA_SNAPSHOT-3","job":null}'
    Map result = stub.call('delphixSync', login + [database: 'Patients Prod'])
    assert ran(stub) == expected('delphixSync', 'dx-sync', "--database 'Patients Prod' --engine 'http://engine.test'")
    assert stub.shCalls[-1].label == 'delphixSync: Patients Prod' + " (dx-sync ${StepStub.VERSION})"
    assert result == [database: 'Patients Prod', snapshot: 'APPDATA_SNAPSHOT-3', job: null]
}

test('delphixRefresh passes the snapshot, the masking check and the timeout') {
    StepStub stub = new StepStub()
    stub.call('delphixRefresh', login + [vdb: 'Patients Masked Master', snapshot: 'APPDATA_SNAPSHOT-3',
                                         requireMasked: true, timeout: '45m'])
    assert ran(stub) == expected('delphixRefresh', 'dx-refresh',
        "--vdb 'Patients Masked Master' --snapshot 'APPDATA_SNAPSHOT-3' --require-masked --engine 'http://engine.test' --timeout '45m'")
    assert stub.shCalls[-1].label == 'delphixRefresh: Patients Masked Master from APPDATA_SNAPSHOT-3' + " (dx-refresh ${StepStub.VERSION})"
}

test('delphixRefresh leaves out the flags of keys left at their defaults') {
    StepStub stub = new StepStub()
    stub.call('delphixRefresh', login + [vdb: 'Patients Masked Master', requireMasked: false])
    assert ran(stub) == expected('delphixRefresh', 'dx-refresh', "--vdb 'Patients Masked Master' --engine 'http://engine.test'")
}

test('delphixCredentials runs an exec tool, or installs a hook') {
    StepStub stub = new StepStub()
    Map keys = login + [vdb: 'Patients Masked Master', policy: 'accounts.yaml']
    stub.call('delphixCredentials', keys + [exec: 'tools/accounts --apply', passwordOutput: 'out.yaml'])
    assert ran(stub) == expected('delphixCredentials', 'dx-credentials',
        "--vdb 'Patients Masked Master' --policy 'accounts.yaml' --exec 'tools/accounts --apply' --password-output 'out.yaml' --engine 'http://engine.test'")
    stub.call('delphixCredentials', keys + [installHook: true, hookCommand: '/opt/hook.sh'])
    assert ran(stub) == expected('delphixCredentials', 'dx-credentials',
        "--vdb 'Patients Masked Master' --policy 'accounts.yaml' --install-hook --hook-command '/opt/hook.sh' --engine 'http://engine.test'")
}

test('delphixDataPod runs the refresh subcommand by default and others when asked') {
    StepStub stub = new StepStub()
    stub.call('delphixDataPod', login + [template: 'Patients', container: 'prep1', create: true, vdb: 'prep1 DB'])
    assert ran(stub) == expected('delphixDataPod', 'dx-datapod',
        "'refresh' --container 'prep1' --template 'Patients' --create --vdb 'prep1 DB' --engine 'http://engine.test'")
    assert stub.shCalls[-1].label == 'delphixDataPod: refresh prep1' + " (dx-datapod ${StepStub.VERSION})"
    stub.call('delphixDataPod', login + [operation: 'restore', container: 'qa-pod', bookmark: 'after edge', busyWait: '10m'])
    assert ran(stub) == expected('delphixDataPod', 'dx-datapod',
        "'restore' --container 'qa-pod' --bookmark 'after edge' --busy-wait '10m' --engine 'http://engine.test'")
}

test('delphixSubset passes the percentage and the subsetting tool') {
    StepStub stub = new StepStub()
    stub.call('delphixSubset', login + [container: 'prep1', percent: 50, exec: 'subsetter --fast'])
    assert ran(stub) == expected('delphixSubset', 'dx-subset',
        "--container 'prep1' --percent '50' --exec 'subsetter --fast' --engine 'http://engine.test'")
    assert stub.shCalls[-1].label == 'delphixSubset: prep1 to 50%' + " (dx-subset ${StepStub.VERSION})"
}

test('delphixBookmark repeats --tag per tag and shares only when asked') {
    StepStub stub = new StepStub()
    stub.call('delphixBookmark', login + [container: 'prep1', name: '2019-03-14 101502 50',
                                          tags: ['2019-03-14 101502', '50%', 'jenkins-x-1'], shared: true])
    assert ran(stub) == expected('delphixBookmark', 'dx-bookmark',
        "'create' --container 'prep1' --name '2019-03-14 101502 50' --tag '2019-03-14 101502' --tag '50%' --tag 'jenkins-x-1' --shared --build 'jenkins-job-7' --engine 'http://engine.test'")
    assert stub.shCalls[-1].label == "delphixBookmark: create '2019-03-14 101502 50' on prep1" + " (dx-bookmark ${StepStub.VERSION})"
    stub.call('delphixBookmark', login + [operation: 'list', tags: ['bug-1']])
    assert ran(stub) == expected('delphixBookmark', 'dx-bookmark', "'list' --tag 'bug-1' --engine 'http://engine.test'")
}

test('delphixBranch creates a branch from a bookmark and lists branches') {
    StepStub stub = new StepStub()
    stub.call('delphixBranch', login + [operation: 'create', container: 'dev-pod', name: 'bug-1234', fromBookmark: 'Bug 1234 data'])
    assert ran(stub) == expected('delphixBranch', 'dx-branch',
        "'create' --container 'dev-pod' --name 'bug-1234' --from-bookmark 'Bug 1234 data' --engine 'http://engine.test'")
    assert stub.shCalls[-1].label == 'delphixBranch: create bug-1234 on dev-pod' + " (dx-branch ${StepStub.VERSION})"
    stub.call('delphixBranch', login + [operation: 'list', container: 'dev-pod'])
    assert ran(stub) == expected('delphixBranch', 'dx-branch', "'list' --container 'dev-pod' --engine 'http://engine.test'")
}

test('delphixPrepareDataset refreshes, subsets then bookmarks, handing on the connection keys') {
    StepStub stub = new StepStub()
    Map result = stub.call('delphixPrepareDataset', login + [template: 'Patients', container: 'prep1', percent: 50,
        bookmarkName: 'd 50', tags: ['d', '50%'], shared: true, subsetExec: 'subsetter',
        engine: 'https://engine.example', apiVersion: '1.11.9', caCert: '/ca.pem', insecure: true, timeout: '1h'])
    String connection = "--engine 'https://engine.example' --api-version '1.11.9' --ca-cert '/ca.pem' --insecure --timeout '1h'"
    assert stub.shCalls.size() == 3
    assert ran(stub, 0) == expected('delphixDataPod', 'dx-datapod', "'refresh' --container 'prep1' --template 'Patients' ${connection}")
    assert ran(stub, 1) == expected('delphixSubset', 'dx-subset', "--container 'prep1' --percent '50' --exec 'subsetter' ${connection}")
    assert ran(stub, 2) == expected('delphixBookmark', 'dx-bookmark',
        "'create' --container 'prep1' --name 'd 50' --tag 'd' --tag '50%' --shared --build 'jenkins-job-7' ${connection}")
    assert result == [dataPod: [step: 'dx-datapod'], subset: [step: 'dx-subset'], bookmark: [step: 'dx-bookmark']]
}

test('delphixPrepareDataset with dryRun plans each of its three calls') {
    StepStub stub = new StepStub()
    stub.call('delphixPrepareDataset', login + [template: 'Patients', container: 'prep1', percent: 50,
        bookmarkName: 'd 50', simulate: true, dryRun: true])
    assert stub.shCalls.size() == 3
    (0..2).each { int i -> assert ran(stub, i).contains('--dry-run') }
}

test('the binary gets the engine user and password from the credential, through its environment') {
    StepStub stub = new StepStub()
    stub.call('delphixSync', login + [database: 'Patients Prod'])
    assert stub.received('dx-sync', 'user') == 'delphix_admin'
    assert stub.received('dx-sync', 'password') == StepStub.SECRET
    assert stub.shCalls[-1].env.DELPHIX_PASSWORD == StepStub.SECRET
}

test('the engine key wins over DELPHIX_ENGINE, and dxstepsHome over PATH') {
    StepStub stub = new StepStub()
    stub.binariesOnPath = false
    stub.call('delphixSync', login + [database: 'P', engine: 'https://other.example', dxstepsHome: stub.fakeBin.path + '/'])
    String binary = stub.fakeBin.path + '/dx-sync'
    assert ran(stub) == expected('delphixSync', binary, "--database 'P' --engine 'https://other.example'")
    assert stub.argv('dx-sync')[0..1] == ['--database', 'P']
    assert stub.shCalls[-1].script.contains("given_home='${stub.fakeBin.path}/'")
}

test('DXSTEPS_HOME in the environment locates the binaries') {
    StepStub stub = new StepStub()
    stub.binariesOnPath = false
    stub.env.DXSTEPS_HOME = stub.fakeBin.path
    assert stub.call('delphixSync', login + [database: 'P']) == [step: 'dx-sync']
    assert stub.argv('dx-sync')[0..1] == ['--database', 'P']
}

test('each run writes its result and error file under a name of its own, in the build\'s folder') {
    StepStub stub = new StepStub()
    stub.call('delphixSync', login + [database: 'P'])
    stub.call('delphixSync', login + [database: 'P'])
    assert stub.shCalls[0].script != stub.shCalls[1].script
    assert new File(stub.workspace, '.dxsteps').list() as List == ['7']
    assert new File(stub.workspace, '.dxsteps/7').list().size() == 2
    stub.env.BUILD_NUMBER = '8'
    stub.call('delphixSync', login + [database: 'P'])
    assert new File(stub.workspace, '.dxsteps').list().sort() == ['7', '8']
}

test('a step is one sh step: the values, the install check, then the line that runs the binary') {
    StepStub stub = new StepStub()
    stub.call('delphixSync', login + [database: 'Patients Prod'])
    assert stub.shCalls.size() == 1
    assert StepStub.normalized(stub.shCalls[0].script as String) == """set +x
version='${StepStub.VERSION}'
binary='dx-sync'
given_home=''
given_dist=''
step='delphixSync'
error_file='.dxsteps/7/delphixSync-ID.error.json'
mkdir -p '.dxsteps/7'
""" + new File('resources/io/dxsteps/install.sh').text +
        expected('delphixSync', 'dx-sync', "--database 'Patients Prod' --engine 'http://engine.test'")
}

// The engine password never shows in a script text, a label or a message: it only reaches the
// binary's environment through withCredentials.

import static TestKit.stepError
import static TestKit.test

Map login = [credentialsId: 'delphix-engine']

/** Everything a Jenkins log or Blue Ocean could show of the stub's run. */
List<String> shown(StepStub stub) {
    List<String> texts = []
    for (Map call in stub.shCalls) {
        texts << (call.script as String) << (call.label as String)
    }
    texts.addAll(stub.messages)
    return texts
}

test('no var puts the password in a script, a label or a message, on success or failure') {
    StepStub stub = new StepStub()
    Map<String, Map> configs = [
        delphixSync: [database: 'Patients Prod'],
        delphixRefresh: [vdb: 'Patients Masked Master', requireMasked: true],
        delphixCredentials: [vdb: 'Patients Masked Master', policy: 'p.yaml', exec: 'tool'],
        delphixDataPod: [template: 'Patients', container: 'prep1'],
        delphixSubset: [container: 'prep1', percent: 10],
        delphixBookmark: [container: 'prep1', name: 'n', tags: ['t'], shared: true],
        delphixBranch: [operation: 'create', container: 'dev-pod', name: 'b'],
        delphixPrepareDataset: [template: 'Patients', container: 'prep1', percent: 10, bookmarkName: 'n', simulate: true],
    ]
    for (Map.Entry<String, Map> entry in configs.entrySet()) {
        stub.call(entry.key, login + entry.value)
    }
    stub.env.FAKE_DX_EXIT = '3'
    stub.env.FAKE_DX_ERROR = '{"category":"auth","exitCode":3,"message":"login refused for delphix_admin"}'
    for (Map.Entry<String, Map> entry in configs.entrySet()) {
        stepError { stub.call(entry.key, login + entry.value) }
    }
    int runs = stub.shCalls.size()
    assert runs == (7 + 3) + (7 + 1) // delphixPrepareDataset runs three binaries, or stops at the first failing one
    for (String text in shown(stub)) {
        assert !text.contains(StepStub.SECRET)
        assert !text.contains('w0rd')
    }
    assert stub.received('dx-sync', 'password') == StepStub.SECRET
}

test('the credentials are bound only while the binary runs') {
    StepStub stub = new StepStub()
    stub.call('delphixSync', login + [database: 'P'])
    assert !stub.env.containsKey('DELPHIX_PASSWORD')
    assert !stub.env.containsKey('DELPHIX_USER')
}

test('an unknown credential id fails before anything runs') {
    StepStub stub = new StepStub()
    assert stepError { stub.call('delphixSync', [credentialsId: 'nope', database: 'P']) } ==
        "Could not find credentials entry with ID 'nope'"
    assert stub.shCalls.empty
}

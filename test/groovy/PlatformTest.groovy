// The platform key: engine (the default) binds the engine user's username/password credential, dct
// binds a Secret text credential holding the DCT API key to DELPHIX_API_KEY. Either way the secret
// reaches only the binary's environment: never a script text, a label or a message.

import static TestKit.stepError
import static TestKit.test

Map engineLogin = [credentialsId: 'delphix-engine']
Map dctLogin = [credentialsId: 'dct-api-key', platform: 'dct']

/** Everything a Jenkins log or Blue Ocean could show of the stub's run. */
List<String> shown(StepStub stub) {
    List<String> texts = []
    for (Map call in stub.shCalls) {
        texts << (call.script as String) << (call.label as String)
    }
    texts.addAll(stub.messages)
    return texts
}

/** One config per var that runs binaries. */
Map<String, Map> everyVar() {
    return [
        delphixSync: [database: 'Patients Prod'],
        delphixRefresh: [vdb: 'Patients Masked Master', requireMasked: true],
        delphixCredentials: [vdb: 'Patients Masked Master', policy: 'p.yaml', exec: 'tool'],
        delphixDataPod: [template: 'Patients', container: 'prep1'],
        delphixSubset: [container: 'prep1', percent: 10],
        delphixBookmark: [container: 'prep1', name: 'n', tags: ['t'], shared: true],
        delphixBranch: [operation: 'create', container: 'dev-pod', name: 'b'],
        delphixPrepareDataset: [template: 'Patients', container: 'prep1', percent: 10, bookmarkName: 'n', simulate: true],
    ]
}

test('on dct every var binds the secret text credential to DELPHIX_API_KEY and passes --platform dct') {
    StepStub stub = new StepStub()
    for (Map.Entry<String, Map> entry in everyVar().entrySet()) {
        stub.call(entry.key, dctLogin + entry.value)
    }
    assert stub.shCalls.size() == 7 + 3
    for (Map call in stub.shCalls) {
        assert call.env.DELPHIX_API_KEY == StepStub.API_KEY
        assert !call.env.containsKey('DELPHIX_USER')
        assert !call.env.containsKey('DELPHIX_PASSWORD')
        assert (call.script as String).contains(" --platform 'dct' ")
    }
    for (String binary in StepStub.BINARIES) {
        assert stub.received(binary, 'apikey') == StepStub.API_KEY
        assert stub.received(binary, 'password') == ''
        List<String> argv = stub.argv(binary)
        assert argv[argv.indexOf('--platform') + 1] == 'dct'
    }
}

test('the API key never shows in a script, a label or a message, on success or failure') {
    StepStub stub = new StepStub()
    for (Map.Entry<String, Map> entry in everyVar().entrySet()) {
        stub.call(entry.key, dctLogin + entry.value)
    }
    stub.env.FAKE_DX_EXIT = '3'
    stub.env.FAKE_DX_ERROR = '{"category":"auth","exitCode":3,"message":"DCT refused the API key"}'
    for (Map.Entry<String, Map> entry in everyVar().entrySet()) {
        assert stepError { stub.call(entry.key, dctLogin + entry.value) }.contains('DCT refused the API key (exit 3, auth)')
    }
    assert stub.shCalls.size() == (7 + 3) + (7 + 1)
    for (String text in shown(stub)) {
        assert !text.contains(StepStub.API_KEY)
        assert !text.contains('delphix_admin-k')
    }
}

test('the API key is bound only while the binary runs') {
    StepStub stub = new StepStub()
    stub.call('delphixSync', dctLogin + [database: 'P'])
    assert !stub.env.containsKey('DELPHIX_API_KEY')
}

test('without the platform key the agent\'s DELPHIX_PLATFORM chooses, in any case, and is passed on') {
    StepStub stub = new StepStub()
    stub.env.DELPHIX_PLATFORM = ' DCT '
    stub.call('delphixSync', [credentialsId: 'dct-api-key', database: 'P'])
    assert stub.shCalls[-1].env.DELPHIX_API_KEY == StepStub.API_KEY
    assert stub.argv('dx-sync')[4..5] == ['--platform', 'dct']
}

test('the platform key wins over DELPHIX_PLATFORM') {
    StepStub stub = new StepStub()
    stub.env.DELPHIX_PLATFORM = 'dct'
    stub.call('delphixSync', engineLogin + [database: 'P', platform: 'engine'])
    assert stub.received('dx-sync', 'password') == StepStub.SECRET
    assert stub.received('dx-sync', 'apikey') == ''
    assert stub.argv('dx-sync')[4..5] == ['--platform', 'engine']
}

test('with no platform anywhere the engine credential is bound and no --platform is passed') {
    StepStub stub = new StepStub()
    stub.call('delphixSync', engineLogin + [database: 'P'])
    assert stub.received('dx-sync', 'user') == 'delphix_admin'
    assert stub.received('dx-sync', 'password') == StepStub.SECRET
    assert !stub.shCalls[-1].env.containsKey('DELPHIX_API_KEY')
    assert !stub.argv('dx-sync').contains('--platform')
}

test('dctBasePath reaches the binary as --dct-base-path') {
    StepStub stub = new StepStub()
    stub.call('delphixSync', dctLogin + [database: 'P', dctBasePath: '/v3', engine: 'https://dct.example'])
    assert stub.argv('dx-sync')[0..7] ==
        ['--database', 'P', '--engine', 'https://dct.example', '--platform', 'dct', '--dct-base-path', '/v3']
}

test('an unknown platform fails before anything runs, naming the platforms') {
    StepStub stub = new StepStub()
    assert stepError { stub.call('delphixSync', engineLogin + [database: 'P', platform: 'jetstream']) } ==
        "delphixSync: platform 'jetstream' is not one of engine, dct (key platform, else the environment variable DELPHIX_PLATFORM)"
    assert stub.shCalls.empty
}

test('on dct a username/password credential is refused as Jenkins refuses it, and nothing runs') {
    StepStub stub = new StepStub()
    String message = stepError { stub.call('delphixSync', [credentialsId: 'delphix-engine', platform: 'dct', database: 'P']) }
    assert message.startsWith("Credentials 'delphix-engine' is of type 'Username with password'")
    assert stub.shCalls.empty
}

test('on dct with no URL the error asks for the Data Control Tower URL') {
    StepStub stub = new StepStub()
    stub.env.remove('DELPHIX_ENGINE')
    assert stepError { stub.call('delphixSync', dctLogin + [database: 'P']) } ==
        'delphixSync: no Data Control Tower URL: set the engine key or the environment variable DELPHIX_ENGINE'
}

test('on Windows the API key is bound the same way and stays out of the PowerShell text') {
    StepStub stub = new StepStub()
    stub.unix = false
    stub.writeResult = '{"step":"dx-sync"}'
    stub.call('delphixSync', dctLogin + [database: 'P'])
    String text = stub.powershellCalls[-1].script as String
    assert text.contains('"--platform" "dct"')
    assert !text.contains(StepStub.API_KEY)
}

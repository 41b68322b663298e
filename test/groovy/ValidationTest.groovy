// The vars refuse a config they cannot run, before running anything, with one line naming the key.

import static TestKit.stepError
import static TestKit.test

Map login = [credentialsId: 'delphix-engine']
String syncKeys = 'allowed keys: database, dryRun, credentialsId, engine, platform, dctBasePath, apiVersion, caCert, insecure, timeout, dxstepsHome, distUrl'

test('an unknown key is refused, naming it, the key meant and the allowed keys') {
    StepStub stub = new StepStub()
    String message = stepError { stub.call('delphixSync', login + [databse: 'Patients Prod']) }
    assert message == "delphixSync: unknown key 'databse'; did you mean 'database'? ${syncKeys}"
    assert stepError { stub.call('delphixBookmark', login + [operation: 'prune', tag: ['ci'], keep: 1]) }
        .startsWith("delphixBookmark: unknown key 'tag'; did you mean 'tags'? allowed keys: ")
    assert stepError { stub.call('delphixBookmark', login + [operation: 'prune', tags: ['ci'], keep: 1, Container: 'prep1']) }
        .startsWith("delphixBookmark: unknown key 'Container'; did you mean 'container'? allowed keys: ")
    assert stepError { stub.call('delphixSync', login + [zzzzzzzz: 'x']) } == "delphixSync: unknown key 'zzzzzzzz'; ${syncKeys}"
    assert stub.shCalls.empty
}

test('an unknown operation is refused with the operation meant') {
    StepStub stub = new StepStub()
    assert stepError { stub.call('delphixBookmark', login + [operation: 'prnue', tags: ['ci'], keep: 1]) } ==
        "delphixBookmark: operation 'prnue' is not one of create, share, unshare, delete, list, prune; did you mean 'prune'?"
    assert stepError { stub.call('delphixDataPod', login + [operation: 'Refresh', container: 'c']) }.endsWith("did you mean 'refresh'?")
    assert stub.shCalls.empty
}

test('prune refuses a filter given empty, as the binary does, before running anything') {
    StepStub stub = new StepStub()
    Map prune = login + [operation: 'prune', tags: ['ci'], keep: 1]
    assert stepError { stub.call('delphixBookmark', prune + [container: null]) } ==
        "delphixBookmark: operation prune: key 'container' is empty (null): prune refuses an empty filter, " +
        'which would widen what it deletes; give it a value or leave the key out'
    assert stepError { stub.call('delphixBookmark', prune + [template: ' ']) }.contains("key 'template' is empty (' ')")
    assert stepError { stub.call('delphixBookmark', prune + [namePattern: '']) }.contains("key 'namePattern' is empty")
    assert stepError { stub.call('delphixBookmark', login + [operation: 'prune', keep: 1, tags: []]) }.contains("key 'tags' is empty")
    assert stepError { stub.call('delphixBookmark', login + [operation: 'prune', keep: 1, tags: ['ci', null]]) }
        .contains("key 'tags' is empty")
    assert stub.shCalls.empty
    stub.call('delphixBookmark', prune + [container: 'prep1'])
    assert stub.lastScript().contains("'prune' --container 'prep1' --tag 'ci' --keep '1'")
    stub.call('delphixBookmark', login + [container: null, name: 'n', template: 'Patients'])
    assert !stub.lastScript().contains('--container'), 'other operations still leave a null key out'
}

test('a missing mandatory key is refused, naming it and the allowed keys') {
    StepStub stub = new StepStub()
    assert stepError { stub.call('delphixSync', login) } == "delphixSync: missing mandatory key 'database'; ${syncKeys}"
    assert stepError { stub.call('delphixSync', [database: 'P']) } ==
        "delphixSync: missing mandatory key 'credentialsId'; ${syncKeys}"
    assert stepError { stub.call('delphixSync', login + [database: '']) } ==
        "delphixSync: missing mandatory key 'database'; ${syncKeys}"
    assert stub.shCalls.empty
}

test('every var refuses an unknown key and no config at all') {
    StepStub stub = new StepStub()
    for (String step in ['delphixSync', 'delphixRefresh', 'delphixCredentials', 'delphixDataPod', 'delphixSubset',
                         'delphixBookmark', 'delphixBranch', 'delphixPrepareDataset']) {
        assert stepError { stub.call(step, [zzzzzzzz: 1]) }.startsWith("${step}: unknown key 'zzzzzzzz'; allowed keys: ")
        assert stepError { stub.load(step).call() } =~ "^${step}: missing mandatory key '\\w+'; allowed keys: "
    }
    assert stub.shCalls.empty
}

test('a boolean given as a string is refused: \'false\' would be true') {
    StepStub stub = new StepStub()
    assert stepError { stub.call('delphixRefresh', login + [vdb: 'V', requireMasked: 'false']) } ==
        "delphixRefresh: key 'requireMasked' must be true or false, not String 'false'"
}

test('tags must be a list') {
    StepStub stub = new StepStub()
    assert stepError { stub.call('delphixBookmark', login + [container: 'c', name: 'n', tags: 'a,b']) } ==
        "delphixBookmark: key 'tags' must be a list such as ['a', 'b'], not String 'a,b'"
}

test('an operation the binary does not have is refused') {
    StepStub stub = new StepStub()
    assert stepError { stub.call('delphixDataPod', login + [operation: 'drop', container: 'c']) } ==
        "delphixDataPod: operation 'drop' is not one of refresh, reset, restore, enable, disable, lock, unlock"
    assert stepError { stub.call('delphixBranch', login + [operation: 'merge', container: 'c', name: 'b']) } ==
        "delphixBranch: operation 'merge' is not one of create, activate, delete, list"
}

test('rules between keys are the binary\'s: the var passes the keys on and the binary checks them') {
    StepStub stub = new StepStub()
    stub.call('delphixBookmark', login + [operation: 'share', name: 'n'])
    assert stub.lastScript().contains("'share' --name 'n'")
    stub.call('delphixCredentials', login + [vdb: 'V', policy: 'p.yaml', exec: 'x', hookCommand: 'h'])
    assert stub.lastScript().contains("--exec 'x' --hook-command 'h'")
}

test('delphixBranch defaults to create, as dx-branch does') {
    StepStub stub = new StepStub()
    stub.call('delphixBranch', login + [container: 'dev-pod', name: 'b', fromBookmark: 'bm'])
    assert stub.lastScript().contains("'create' --container 'dev-pod'")
}

test('a null value leaves the default, so env.X that is not set can be passed as it is') {
    StepStub stub = new StepStub()
    stub.call('delphixSubset', login + [container: 'prep1', percent: 5, exec: null])
    assert !stub.lastScript().contains('--exec')
}

test('without an engine key or DELPHIX_ENGINE the step says what to set') {
    StepStub stub = new StepStub()
    stub.env.remove('DELPHIX_ENGINE')
    assert stepError { stub.call('delphixSync', login + [database: 'P']) } ==
        'delphixSync: no engine: set the engine key or the environment variable DELPHIX_ENGINE'
    assert stub.shCalls.empty
}

test('an empty engine key falls back to DELPHIX_ENGINE, as an empty build parameter does') {
    StepStub stub = new StepStub()
    stub.call('delphixSync', login + [database: 'P', engine: ''])
    assert stub.lastScript().contains("--engine 'http://engine.test'")
}

test('delphixPrepareDataset needs a subsetter or simulate: true, before it refreshes anything') {
    StepStub stub = new StepStub()
    Map lane = login + [template: 'Patients', container: 'prep1', percent: 5, bookmarkName: 'n']
    assert stepError { stub.call('delphixPrepareDataset', lane) } ==
        'delphixPrepareDataset: no subsetter: set subsetExec (your subsetting command; it gets DX_CONTAINER, ' +
        'DX_SUBSET_PERCENT and DX_DB_*) or simulate: true to leave the data whole'
    assert stepError { stub.call('delphixPrepareDataset', lane + [subsetExec: 'tool', simulate: true]) } ==
        'delphixPrepareDataset: set subsetExec or simulate, not both'
    assert stub.shCalls.empty
    stub.call('delphixPrepareDataset', lane + [simulate: true])
    assert stub.argv('dx-subset').contains('--simulate')
}

test('delphixSubset passes simulate: true as --simulate') {
    StepStub stub = new StepStub()
    stub.call('delphixSubset', login + [container: 'prep1', percent: 5, simulate: true])
    assert stub.argv('dx-subset')[0..4] == ['--container', 'prep1', '--percent', '5', '--simulate']
}

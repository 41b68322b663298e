// A failed binary becomes one error(...) line: the binary's own message from its error file, else
// what its exit code means.

import static TestKit.stepError
import static TestKit.test

Map login = [credentialsId: 'delphix-engine']

test('the error file\'s message and category make the error line') {
    StepStub stub = new StepStub()
    stub.env.FAKE_DX_EXIT = '1'
    stub.env.FAKE_DX_ERROR = '{"step":"dx-refresh","category":"engine","exitCode":1,' +
        '"message":"refresh of VDB \\"Patients Masked Master\\" failed: masking job failed",' +
        '"engineErrorId":"exception.executor.job.failed"}'
    assert stepError { stub.call('delphixRefresh', login + [vdb: 'Patients Masked Master']) } ==
        'delphixRefresh: refresh of VDB "Patients Masked Master" failed: masking job failed (exit 1, engine)'
}

test('without an error file the exit code says what happened') {
    StepStub stub = new StepStub()
    Map<String, String> meanings = [
        '1': 'the engine operation failed (job FAILED or CANCELED) or a check the step makes failed',
        '2': 'usage or bad input: a flag or key refused, or a name that matches no object or several',
        '3': 'authentication or permission refused',
        '4': 'the timeout passed (the job the step started is cancelled; on DCT, abandoned)',
        '5': 'engine unreachable after retries',
        '6': 'the TLS certificate failed verification: unknown CA, expired, or another host (not retried; see caCert)',
        '130': 'aborted by SIGINT (the job the step started is cancelled; on DCT, abandoned)',
        '143': 'aborted by SIGTERM, e.g. the build was aborted (the job is cancelled; on DCT, abandoned)',
        '9': 'not a dxsteps exit code',
    ]
    for (Map.Entry<String, String> entry in meanings.entrySet()) {
        stub.env.FAKE_DX_EXIT = entry.key
        assert stepError { stub.call('delphixSync', login + [database: 'P']) } ==
            "delphixSync: dx-sync failed with exit ${entry.key}: ${entry.value} (no error file; see the log above)"
    }
}

test('an unreadable error file falls back to the exit code') {
    StepStub stub = new StepStub()
    stub.env.FAKE_DX_EXIT = '5'
    stub.env.FAKE_DX_ERROR = 'not json {'
    assert stepError { stub.call('delphixSync', login + [database: 'P']) } ==
        'delphixSync: dx-sync failed with exit 5: engine unreachable after retries (no error file; see the log above)'
}

test('a missing binary says how to make it found') {
    StepStub stub = new StepStub()
    stub.binariesOnPath = false
    assert stepError { stub.call('delphixSync', login + [database: 'P']) } ==
        'delphixSync: dx-sync not found: set DXSTEPS_DIST_URL (where make dist archives are published) so the ' +
        'library installs the binaries, or set DXSTEPS_HOME, or put the binaries on PATH'
    stub.env.DXSTEPS_HOME = '/nonexistent'
    assert stepError { stub.call('delphixBookmark', login + [container: 'c', name: 'n']) } ==
        'delphixBookmark: dx-bookmark not found in /nonexistent (dxstepsHome or DXSTEPS_HOME): put the dxsteps ' +
        "${StepStub.VERSION} binaries there, or unset it and set DXSTEPS_DIST_URL so the library installs them"
    assert stub.shCalls.size() == 2, 'one step each: the install check ends it before anything runs'
    assert stub.shCalls.every { it.status == 127 }
}

test('delphixPrepareDataset stops at the first failing binary') {
    StepStub stub = new StepStub()
    File subset = new File(stub.fakeBin, 'dx-subset')
    subset.text = '#!/bin/sh\n[ "$1" = --version ] && exec echo "dx-subset version $(cat "${0%/*}/version")"\necho \'{"category":"engine","message":"subsetter failed"}\' >"${10}"\nexit 1\n'
    String message = stepError {
        stub.call('delphixPrepareDataset', login + [template: 'Patients', container: 'prep1', percent: 5, bookmarkName: 'n', subsetExec: 'subsetter'])
    }
    assert message == 'delphixSubset: subsetter failed (exit 1, engine)'
    assert stub.shCalls.collect { it.label } == ['delphixDataPod: refresh prep1 (dx-datapod ' + StepStub.VERSION + ')',
                                                 'delphixSubset: prep1 to 5% (dx-subset ' + StepStub.VERSION + ')']
}

test('a JSON null in the result is a Groovy null') {
    StepStub stub = new StepStub()
    stub.env.FAKE_DX_OUTPUT = '{"snapshot":null,"tags":["a",null],"nested":{"x":null}}'
    Map result = stub.call('delphixSync', login + [database: 'P'])
    assert result == [snapshot: null, tags: ['a', null], nested: [x: null]]
    assert !result.snapshot
}

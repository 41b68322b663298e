// delphixBookmark create passes where the data came from, read from the build's own results; the
// catalog shows it, and says that a simulated subset holds all the data.

import groovy.json.JsonOutput
import groovy.json.JsonSlurper

import static TestKit.test

Map login = [credentialsId: 'delphix-engine']

/** Runs var with config, the fake binary answering result (a Map). */
Object answer(StepStub stub, String var, Map config, Map result) {
    stub.env.FAKE_DX_OUTPUT = JsonOutput.toJson(result)
    return stub.call(var, config)
}

/** The value after flag in argv, or null. */
String flagValue(List<String> argv, String flag) {
    int at = argv.indexOf(flag)
    return at < 0 ? null : argv[at + 1]
}

/** A build that synced, refreshed the master (masking proven) and subset prep1 (simulate) and prep2 (exec). */
StepStub pipelineSoFar(Map login) {
    StepStub stub = new StepStub()
    stub.env.BUILD_URL = 'https://jenkins.test/job/p/7/'
    answer(stub, 'delphixSync', login + [database: 'Patients Prod'],
        [database: 'Patients Prod', snapshot: 'SNAP-OLD', snapshotDataTime: '2026-12-01T09:00:00.000Z'])
    File old = new File(stub.workspace, '.dxsteps/7').listFiles().find { it.name.startsWith('delphixSync-') }
    old.setLastModified(old.lastModified() - 60000)
    answer(stub, 'delphixSync', login + [database: 'Patients Prod'],
        [database: 'Patients Prod', snapshot: 'SNAP-PROD', snapshotDataTime: '2026-12-05T09:00:00.000Z'])
    answer(stub, 'delphixRefresh', login + [vdb: 'Patients Masked Master', requireMasked: true],
        [vdb: 'Patients Masked Master', snapshot: 'SNAP-PROD', snapshotDataTime: '2026-12-05T09:00:00.000Z',
         maskedSnapshot: 'SNAP-MASKED', masked: true,
         maskingEvidence: ['masking job "Mask; all" is attached', 'the engine marks the VDB masked']])
    answer(stub, 'delphixSubset', login + [container: 'prep1', percent: 50, simulate: true],
        [container: 'prep1', percent: 50, mode: 'simulated'])
    answer(stub, 'delphixSubset', login + [container: 'prep2', percent: 25, exec: './subset.sh'],
        [container: 'prep2', percent: 25, mode: 'exec', tool: 'subset.sh'])
    return stub
}

test('delphixBookmark create passes the build\'s latest sync, its refresh and the subset of the same pod') {
    StepStub stub = pipelineSoFar(login)
    answer(stub, 'delphixBookmark', login + [container: 'prep1', name: 'd 50', tags: ['d', '50%']], [bookmark: 'd 50', created: true])
    List<String> argv = stub.argv('dx-bookmark')
    assert flagValue(argv, '--source-snapshot') == 'SNAP-PROD'
    assert flagValue(argv, '--source-data-time') == '2026-12-05T09:00:00.000Z'
    assert flagValue(argv, '--masked-snapshot') == 'SNAP-MASKED'
    assert flagValue(argv, '--masking-evidence') == 'masking job "Mask, all" is attached; the engine marks the VDB masked'
    assert flagValue(argv, '--subset-percent') == '50'
    assert flagValue(argv, '--subset-mode') == 'simulated' && !argv.contains('--subset-tool')
    assert flagValue(argv, '--build') == 'jenkins-job-7'
    assert flagValue(argv, '--build-url') == 'https://jenkins.test/job/p/7/'

    answer(stub, 'delphixBookmark', login + [container: 'prep2', name: 'd 25'], [bookmark: 'd 25', created: true])
    argv = stub.argv('dx-bookmark')
    assert flagValue(argv, '--subset-percent') == '25' && flagValue(argv, '--subset-mode') == 'exec'
    assert flagValue(argv, '--subset-tool') == 'subset.sh'

    answer(stub, 'delphixBookmark', login + [template: 'Patients', name: 'd FULL'], [bookmark: 'd FULL', created: true])
    argv = stub.argv('dx-bookmark')
    assert flagValue(argv, '--source-snapshot') == 'SNAP-PROD'
    assert !argv.contains('--subset-mode') && !argv.contains('--subset-percent'): 'no subset ran on the template'
}

test('delphixPrepareDataset\'s bookmark carries its own simulated subset') {
    StepStub stub = pipelineSoFar(login)
    stub.env.FAKE_DX_OUTPUT = '{"container":"prep3","percent":15,"mode":"simulated"}'
    stub.call('delphixPrepareDataset', login + [template: 'Patients', container: 'prep3', percent: 15,
                                                bookmarkName: 'd 15', simulate: true])
    List<String> argv = stub.argv('dx-bookmark')
    assert flagValue(argv, '--subset-mode') == 'simulated' && flagValue(argv, '--subset-percent') == '15'
    assert flagValue(argv, '--masked-snapshot') == 'SNAP-MASKED'
}

test('a provenance key the caller gives wins, and other operations get none') {
    StepStub stub = pipelineSoFar(login)
    answer(stub, 'delphixBookmark', login + [container: 'prep1', name: 'x', build: 'nightly-3'], [bookmark: 'x', created: true])
    assert flagValue(stub.argv('dx-bookmark'), '--build') == 'nightly-3'
    answer(stub, 'delphixBookmark', login + [operation: 'list', container: 'prep1'], [bookmarks: []])
    assert !stub.argv('dx-bookmark').any { it.startsWith('--source') || it.startsWith('--subset') || it == '--build' }
}

test('a build with no earlier result passes only the build') {
    StepStub stub = new StepStub()
    answer(stub, 'delphixBookmark', login + [container: 'prep1', name: 'x'], [bookmark: 'x', created: true])
    List<String> argv = stub.argv('dx-bookmark')
    assert flagValue(argv, '--build') == 'jenkins-job-7'
    assert !argv.any { it.startsWith('--source') || it.startsWith('--subset') || it.startsWith('--mask') }
}

test('delphixCatalog shows each bookmark\'s provenance, and that a simulated subset holds all the data') {
    StepStub stub = new StepStub()
    Map provenance = [sourceSnapshot: 'SNAP-PROD', sourceDataTime: '2026-12-05T09:00:00.000Z', maskedSnapshot: 'SNAP-MASKED',
                      maskingEvidence: ['the engine marks the VDB masked'], subsetPercent: 50, subsetMode: 'simulated',
                      subset: '50% simulated: all the data', build: 'jenkins-job-7']
    answer(stub, 'delphixBookmark', login + [container: 'prep1', name: 'd 50'],
        [bookmark: 'd 50', container: 'prep1', template: 'Patients', tags: ['d', '50% simulated'], timestamp: 'T1',
         shared: true, created: true, bookmarkReference: 'BM-2', provenance: provenance])
    answer(stub, 'delphixBookmark', login + [template: 'Patients', name: 'd FULL'],
        [bookmark: 'd FULL', template: 'Patients', tags: ['d'], timestamp: 'T0', shared: true, created: true,
         bookmarkReference: 'BM-1', provenance: [sourceSnapshot: 'SNAP-PROD', build: 'jenkins-job-7']])
    List bookmarks = stub.call('delphixCatalog', [:]) as List
    assert bookmarks[0].provenance == provenance
    assert bookmarks[0].subset == '50% simulated: all the data'
    assert bookmarks[1].subset == 'none: all the data'
    assert stub.currentBuild.description == '''Delphix bookmarks created: 2 (artifact delphix-catalog.json)
d 50 | on prep1 | tags d, 50% simulated | data T1 | shared
  from: production SNAP-PROD of 2026-12-05T09:00:00.000Z | masked SNAP-MASKED | masking: the engine marks the VDB masked | subset 50% simulated: all the data | build jenkins-job-7
d FULL | on Patients | tags d | data T0 | shared
  from: production SNAP-PROD | masking: no evidence recorded | subset none: all the data | build jenkins-job-7'''
    Map artifact = new JsonSlurper().parseText(stub.archived['.dxsteps/7/delphix-catalog.json']) as Map
    assert artifact.bookmarks == bookmarks
}

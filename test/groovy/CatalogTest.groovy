// delphixCatalog: the build's bookmarks in its description and a JSON artifact, then its folder removed.

import groovy.json.JsonSlurper

import static TestKit.stepError
import static TestKit.test

/** A build that bookmarked two data pods (out of name order) and listed bookmarks once. */
StepStub bookmarked() {
    Map login = [credentialsId: 'delphix-engine']
    StepStub stub = new StepStub()
    stub.env.FAKE_DX_OUTPUT = '{"bookmark":"d 50","bookmarkReference":"BM-2","container":"prep1","template":"Patients",' +
        '"branch":"B-1","shared":true,"tags":["d","50%"],"timestamp":"2019-03-14T10:15:02Z","created":true}'
    stub.call('delphixBookmark', login + [container: 'prep1', name: 'd 50', tags: ['d', '50%'], shared: true])
    stub.env.FAKE_DX_OUTPUT = '{"bookmark":"d FULL","bookmarkReference":"BM-1","template":"Patients",' +
        '"branch":"B-0","shared":false,"tags":[],"timestamp":"2019-03-14T10:15:01Z","created":true}'
    stub.call('delphixBookmark', login + [template: 'Patients', name: 'd FULL'])
    stub.env.FAKE_DX_OUTPUT = '{"bookmarks":[{"bookmark":"old","template":"Patients"}]}'
    stub.call('delphixBookmark', login + [operation: 'list', template: 'Patients'])
    stub.env.FAKE_DX_OUTPUT = '{"database":"P","snapshot":"S-1"}'
    stub.call('delphixSync', login + [database: 'P'])
    return stub
}

test('delphixCatalog lists the created bookmarks, by name, in the description and the archived JSON') {
    StepStub stub = bookmarked()
    stub.currentBuild.description = 'Started by QA'
    List bookmarks = stub.call('delphixCatalog', [:]) as List
    assert bookmarks*.name == ['d 50', 'd FULL']
    assert bookmarks[0] == [name: 'd 50', pod: 'prep1', template: 'Patients', tags: ['d', '50%'],
                            dataTime: '2019-03-14T10:15:02Z', shared: true, reference: 'BM-2']
    assert bookmarks[1].pod == 'Patients' && bookmarks[1].shared == false
    assert stub.currentBuild.description == '''Started by QA
Delphix bookmarks created: 2 (artifact delphix-catalog.json)
d 50 | on prep1 | tags d, 50% | data 2019-03-14T10:15:02Z | shared
d FULL | on Patients | tags  | data 2019-03-14T10:15:01Z | private'''
    Map artifact = new JsonSlurper().parseText(stub.archived['.dxsteps/7/delphix-catalog.json']) as Map
    assert artifact == [build: 'jenkins-job-7', bookmarks: bookmarks]
}

test('delphixCatalog removes the build\'s output folder, unless keepOutput or DXSTEPS_KEEP_OUTPUT') {
    StepStub stub = bookmarked()
    stub.call('delphixCatalog', [:])
    assert !new File(stub.workspace, '.dxsteps/7').exists()

    stub = bookmarked()
    stub.call('delphixCatalog', [keepOutput: true, description: false])
    assert new File(stub.workspace, '.dxsteps/7').list().size() == 5
    assert stub.currentBuild.description == null

    stub = bookmarked()
    stub.env.DXSTEPS_KEEP_OUTPUT = 'true'
    stub.call('delphixCatalog', [:])
    assert new File(stub.workspace, '.dxsteps/7/delphix-catalog.json').exists()
}

test('delphixCatalog of a build that made no bookmark archives an empty catalog') {
    StepStub stub = new StepStub()
    assert stub.call('delphixCatalog', [:]) == []
    assert new JsonSlurper().parseText(stub.archived['.dxsteps/7/delphix-catalog.json']).bookmarks == []
    assert stub.currentBuild.description == 'Delphix bookmarks created: 0 (artifact delphix-catalog.json)'
}

test('delphixCatalog refuses unknown keys, wrong types and an artifact in a folder') {
    StepStub stub = new StepStub()
    assert stepError { stub.call('delphixCatalog', [keep: true]) } ==
        "delphixCatalog: unknown key 'keep'; allowed keys: artifact, description, keepOutput"
    assert stepError { stub.call('delphixCatalog', [keepOutput: 'yes']) } ==
        "delphixCatalog: key 'keepOutput' must be true or false, not String 'yes'"
    assert stepError { stub.call('delphixCatalog', [artifact: 'out/c.json']) } ==
        "delphixCatalog: artifact must be a file name, not 'out/c.json'"
}

test('the delphixCatalog help shows it called in post always') {
    String help = new File('vars/delphixCatalog.txt').text
    assert help =~ /(?s)<pre>.*always \{\s*delphixCatalog\(\).*<\/pre>/
}

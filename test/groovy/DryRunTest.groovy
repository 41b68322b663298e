// A plan (dryRun: true): each call's actions in its stage's log and in the build description.

import static TestKit.test

test('a plan is echoed and added to the build description under the stage\'s name, and creates no catalog entry') {
    Map login = [credentialsId: 'delphix-engine', dryRun: true]
    StepStub stub = new StepStub()
    stub.currentBuild.description = 'Started by QA'
    stub.env.STAGE_NAME = 'Refresh Secure Pipeline Master'
    stub.env.FAKE_DX_OUTPUT = '{"vdb":"M","dryRun":true,"plan":[{"action":"refresh","object":"VDB","name":"M",' +
        '"reference":"VDB-1","parameters":{"snapshot":"S-1","from":"P"}}]}'
    Map result = stub.call('delphixRefresh', login + [vdb: 'M']) as Map
    assert result.dryRun == true
    stub.env.STAGE_NAME = 'Add 50% dataset to catalog'
    stub.env.FAKE_DX_OUTPUT = '{"bookmark":"d 50","container":"prep1","created":true,"dryRun":true,"plan":[]}'
    stub.call('delphixBookmark', login + [container: 'prep1', name: 'd 50'])
    assert stub.currentBuild.description == '''Started by QA
Dry run: nothing was changed. What each stage would do:
[Refresh Secure Pipeline Master] refresh VDB "M" (VDB-1) from=P, snapshot=S-1
[Add 50% dataset to catalog] delphixBookmark: nothing to change'''
    assert stub.messages.any { String line -> line.contains('[Refresh Secure Pipeline Master] refresh VDB "M"') }
    assert stub.call('delphixCatalog', [description: false]) == []
}

// A generated password never lands in the Jenkins workspace: delphixCredentials refuses a
// passwordOutput inside it before anything runs, and names passwordCommand as the way to keep
// generated passwords. What only the agent can see (a symlink) the binary refuses.

import static TestKit.stepError
import static TestKit.test

Map keys = [credentialsId: 'delphix-engine', vdb: 'Patients Masked Master', policy: 'accounts.yaml', exec: 'tool']

StepStub inJenkins() {
    StepStub stub = new StepStub()
    stub.env.WORKSPACE = stub.workspace.path
    stub.env.WORKSPACE_TMP = stub.workspace.path + '@tmp'
    return stub
}

test('a relative passwordOutput is in the workspace: refused before the binary runs') {
    StepStub stub = inJenkins()
    for (String path in ['pw.out', './secrets/pw.out', 'a/../pw.out']) {
        String message = stepError { stub.call('delphixCredentials', keys + [passwordOutput: path]) }
        assert message.startsWith("delphixCredentials: passwordOutput '${path}' is inside the workspace (${stub.workspace.path})")
        assert message.contains('give passwordCommand to keep generated passwords in your vault')
    }
    assert stub.shCalls.empty
    assert !new File(stub.workspace, 'pw.out').exists()
}

test('a relative passwordOutput from a dir() inside the workspace is refused too') {
    StepStub stub = inJenkins()
    stub.load('delphixCredentials').with { script ->
        stepError { stub.inDir('sub') { script.call(keys + [passwordOutput: '../pw.out']) } }
    }
    assert stub.messages[-1].contains("passwordOutput '../pw.out' is inside the workspace")
    assert stub.shCalls.empty
}

test('an absolute passwordOutput inside the workspace is refused, however it is spelled') {
    StepStub stub = inJenkins()
    String ws = stub.workspace.path
    for (String path in ["${ws}/pw.out", "${ws}/sub/../pw.out", "${ws}//./pw.out", "${ws}@tmp/../${stub.workspace.name}/pw.out"]) {
        String message = stepError { stub.call('delphixCredentials', keys + [passwordOutput: path]) }
        assert message.contains('is inside the workspace')
        assert message.contains('passwordCommand')
    }
    assert stub.shCalls.empty
}

test('a passwordOutput outside the workspace still works, WORKSPACE_TMP and a relative path out of it included') {
    StepStub stub = inJenkins()
    for (String path in ["${stub.workspace.path}@tmp/passwords.yaml", '/var/lib/secure/pw.out', '../outside/pw.out']) {
        stub.call('delphixCredentials', keys + [passwordOutput: path])
        assert stub.argv('dx-credentials').contains(path)
    }
    assert stub.shCalls.size() == 3
}

test('through a symlink into the workspace: the binary, which sees the link, refuses, and the build says why') {
    StepStub stub = inJenkins()
    File link = new File(stub.workspace.parentFile, 'looks-outside')
    java.nio.file.Files.createSymbolicLink(link.toPath(), stub.workspace.toPath())
    stub.env.FAKE_DX_EXIT = '2'
    stub.env.FAKE_DX_ERROR = '{"category":"usage","exitCode":2,"message":"key \'passwordOutput\' ' + link.path +
        '/pw.out is inside the Jenkins workspace (' + stub.workspace.path + '), which anyone with Workspace permission can browse: ' +
        'give key \'passwordCommand\' COMMAND to keep generated passwords in your vault"}'
    String message = stepError { stub.call('delphixCredentials', keys + [passwordOutput: "${link.path}/pw.out"]) }
    assert message.startsWith("delphixCredentials: key 'passwordOutput' ${link.path}/pw.out is inside the Jenkins workspace")
    assert message.endsWith('(exit 2, usage)')
    // The binary can check only because it gets the workspace in its environment.
    assert stub.shCalls[-1].env.WORKSPACE == stub.workspace.path
}

test('without a workspace (outside a node) the library leaves the path to the binary') {
    StepStub stub = new StepStub()
    stub.call('delphixCredentials', keys + [passwordOutput: 'pw.out'])
    assert stub.argv('dx-credentials').contains('pw.out')
}

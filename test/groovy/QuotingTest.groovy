// Any name reaches the binary unchanged: the generated sh text is run for real by /bin/sh -xe
// against a fake binary that records its argv, and the received arguments are compared.

import static TestKit.test

Map login = [credentialsId: 'delphix-engine']
List<String> hostile = [
    "it's",
    "'",
    "''''",
    'a "double" quote',
    '$HOME and ${PATH} and $(id) and `id`',
    'back\\slash \\n not a newline',
    'two\nlines',
    'trailing newline\n',
    '  spaces  around  ',
    'tab\there',
    '; rm -rf / #',
    '* ? [a-z] ~',
    '-1',
    '--name',
    '\u00e9t\u00e9 \u65e5\u672c \u0444 \ud83d\ude80',
]

test('hostile database names reach dx-sync byte for byte') {
    StepStub stub = new StepStub()
    for (String name in hostile) {
        stub.call('delphixSync', login + [database: name])
        assert stub.argv('dx-sync')[0..1] == ['--database', name]
    }
}

test('hostile bookmark names and tags reach dx-bookmark byte for byte, one argument each') {
    StepStub stub = new StepStub()
    stub.call('delphixBookmark', login + [container: "pod 'x'", name: hostile.join(' | '), tags: hostile, shared: true])
    List<String> expected = ['create', '--container', "pod 'x'", '--name', hostile.join(' | ')]
    for (String tag in hostile) {
        expected += ['--tag', tag]
    }
    expected += ['--shared', '--build', 'jenkins-job-7', '--engine', 'http://engine.test', '--error-file']
    List<String> argv = stub.argv('dx-bookmark')
    assert argv[0..-2] == expected
}

test('hostile values in connection keys and a binary directory with spaces and quotes work too') {
    StepStub stub = new StepStub()
    File odd = new File(stub.fakeBin.parentFile, "bin dir's \$HOME")
    assert stub.fakeBin.renameTo(odd)
    stub.binariesOnPath = false
    stub.env.DXSTEPS_HOME = odd.path
    stub.call('delphixSync', login + [database: 'P', engine: "http://h/'\$x'", timeout: '`1h`'])
    assert new File(odd, 'dx-sync.argv').exists()
}

test('the label is one line even when a name has newlines') {
    StepStub stub = new StepStub()
    stub.call('delphixSync', login + [database: 'two\nlines\r\n'])
    assert stub.shCalls[-1].label == 'delphixSync: two lines (dx-sync ' + StepStub.VERSION + ')'
}

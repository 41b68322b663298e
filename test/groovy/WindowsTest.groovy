// On an agent where isUnix() is false, the steps run through powershell. No PowerShell runs here,
// so these tests read the generated text back with the rules PowerShell and the Windows C runtime
// (CommandLineToArgvW, as Go's runtime) apply, and check that every value comes back unchanged.

import io.dxsteps.PowerShell

import static TestKit.test

Map login = [credentialsId: 'delphix-engine']
List<String> hostile = [
    "it's", "'", 'a "double" quote', '"', '""', 'back\\slash', 'trail\\', 'trail\\\\', 'a\\"b', 'a\\\\"b',
    '%PATH% and %%x and !x!', 'caret ^ and ^^', 'a & b && c | d > e < f', '$env:PATH and $(Get-Date) and `t',
    '  spaces  around  ', 'tab\there', 'two\nlines', '', '-1', '--name',
    '\u00e9t\u00e9 \u65e5\u672c \u0444 \ud83d\ude80', 'smart \u2018quotes\u2019 \u201a\u201b \u201cdouble\u201d',
]

/** The value of a PowerShell expression made by PowerShell.quote, read as PowerShell reads it. */
String evaluate(String expression) {
    String text = expression
    if (text.startsWith('(')) {
        assert text.endsWith(')')
        text = text[1..-2]
    }
    StringBuilder value = new StringBuilder()
    int i = 0
    while (i < text.length()) {
        if (text[i] == "'") {
            int j = i + 1
            while (true) {
                assert j < text.length(): "unterminated literal in ${expression}"
                if (text[j] == "'" && j + 1 < text.length() && text[j + 1] == "'") {
                    value.append("'")
                    j += 2
                } else if (text[j] == "'") {
                    break
                } else {
                    value.append(text[j])
                    j++
                }
            }
            i = j + 1
        } else {
            assert text.startsWith('[char]0x', i): "unexpected ${text.substring(i)} in ${expression}"
            value.append((char) Integer.parseInt(text.substring(i + 8, i + 12), 16))
            i += 12
        }
        if (i < text.length()) {
            assert text[i] == '+'
            i++
        }
    }
    return value.toString()
}

/** The arguments of a Windows command line, split as CommandLineToArgvW splits them. */
List<String> split(String line) {
    List<String> args = []
    StringBuilder arg = null
    boolean quoted = false
    int i = 0
    while (i < line.length()) {
        char c = line.charAt(i)
        if ((c == ' ' as char || c == '\t' as char) && !quoted) {
            if (arg != null) {
                args << arg.toString()
                arg = null
            }
            i++
            continue
        }
        arg = arg ?: new StringBuilder()
        if (c == '\\' as char) {
            int n = 0
            while (i < line.length() && line.charAt(i) == '\\' as char) {
                n++
                i++
            }
            if (i < line.length() && line.charAt(i) == '"' as char) {
                arg.append('\\' * (n.intdiv(2)))
                if (n % 2 == 1) {
                    arg.append('"')
                    i++
                }
            } else {
                arg.append('\\' * n)
            }
        } else if (c == '"' as char) {
            if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"' as char) {
                arg.append('"')
                i += 2
            } else {
                quoted = !quoted
                i++
            }
        } else {
            arg.append(c)
            i++
        }
    }
    if (arg != null) {
        args << arg.toString()
    }
    return args
}

/** The value the line `$name = EXPRESSION` of a generated script gives name. */
String assigned(String script, String name) {
    String line = script.readLines().find { it.startsWith("\$${name} = ") }
    assert line != null: "no \$${name} in the script"
    return evaluate(line.substring(name.length() + 4))
}

test('a PowerShell literal holds any value exactly and is plain ASCII without PowerShell\'s quote characters') {
    for (String value in hostile + [hostile.join('')]) {
        String expression = PowerShell.quote(value)
        assert expression ==~ /[\x20-\x7e]*/
        assert evaluate(expression) == value
    }
    assert PowerShell.quote("it's") == "'it''s'"
    assert PowerShell.quote('caf\u00e9') == "('caf'+[char]0x00e9+'')"
    assert PowerShell.quote('\u00e9') == "(''+[char]0x00e9+'')"
    assert PowerShell.quote('') == "''"
}

test('a Windows command line splits back into the very arguments, whatever they hold') {
    assert split(PowerShell.commandLine(hostile)) == hostile
    for (String value in hostile) {
        assert split(PowerShell.commandLine(['--name', value])) == ['--name', value]
    }
    assert PowerShell.commandLine(['a b', 'say "hi"', 'C:\\dir\\']) == '"a b" "say \\"hi\\"" "C:\\dir\\\\"'
}

test('on Windows a step runs its binary through powershell, never sh, with its arguments unchanged') {
    StepStub stub = new StepStub()
    stub.unix = false
    stub.env.FAKE_DX_OUTPUT = 'ignored on Windows'
    String name = hostile.join(' | ')
    stub.writeResult = '{"database":"x"}'
    Map result = stub.call('delphixBookmark', login + [container: 'pod "1"', name: name, tags: hostile, shared: true])
    assert stub.shCalls.isEmpty()
    assert stub.powershellCalls.size() == 1, 'the install check and the run are one powershell step'
    String text = StepStub.normalized(stub.powershellCalls[0].script as String)
    List<String> expected = ['create', '--container', 'pod "1"', '--name', name]
    for (String tag in hostile) {
        expected += ['--tag', tag]
    }
    expected += ['--shared', '--build', 'jenkins-job-7', '--engine', 'http://engine.test', '--error-file',
                 '.dxsteps/7/delphixBookmark-ID.error.json']
    assert split(assigned(text, 'arguments')) == expected
    assert assigned(text, 'result') == '.dxsteps/7/delphixBookmark-ID.json'
    assert text ==~ /(?s)[\x20-\x7e\n]*/
    assert !text.contains(StepStub.SECRET)
    assert stub.powershellCalls[0].label == "delphixBookmark: create '${name.replaceAll(/[\r\n\t]+/, ' ').trim()}' on pod \"1\"" +
        " (dx-bookmark ${StepStub.VERSION})"
    assert stub.powershellCalls[0].returnStatus
    assert result == [database: 'x']
}

test('the powershell script of a simple step, in full: values, the install check, the run') {
    StepStub stub = new StepStub()
    stub.unix = false
    stub.writeResult = '{}'
    stub.call('delphixSync', login + [database: 'Patients Prod'])
    assert StepStub.normalized(stub.powershellCalls[0].script as String) == '''$ErrorActionPreference = 'Stop'
$version = ''' + "'${StepStub.VERSION}'" + '''
$binary = 'dx-sync'
$givenHome = ''
$givenDist = ''
$step = 'delphixSync'
$errorFile = '.dxsteps/7/delphixSync-ID.error.json'
New-Item -ItemType Directory -Force -Path '.dxsteps/7' | Out-Null
''' + new File('resources/io/dxsteps/install.ps1').text + '''$env:DXSTEPS_CALLER = 'jenkins'
$env:DXSTEPS_API_VERSIONS = '.dxsteps/7/api-versions'
$arguments = '"--database" "Patients Prod" "--engine" "http://engine.test" "--error-file" ".dxsteps/7/delphixSync-ID.error.json"'
$result = '.dxsteps/7/delphixSync-ID.json'
''' + PowerShell.RUN
}

test('on Windows the install check gets the library\'s version and the caller\'s values, quoted') {
    StepStub stub = new StepStub()
    stub.unix = false
    stub.writeResult = '{}'
    String dist = "\\\\files\\it's 100%\\dxsteps \u00e9"
    stub.call('delphixSync', login + [database: 'P', distUrl: dist, dxstepsHome: 'D:\\x & y'])
    String text = stub.powershellCalls[0].script as String
    assert assigned(text, 'version') == StepStub.VERSION
    assert assigned(text, 'binary') == 'dx-sync'
    assert assigned(text, 'givenDist') == dist
    assert assigned(text, 'givenHome') == 'D:\\x & y'
    assert text ==~ /(?s)[\x20-\x7e\n]*/
}

test('on Windows an install failure is the build\'s one error line') {
    StepStub stub = new StepStub()
    stub.unix = false
    stub.powershellStatus = 127
    stub.writeError = '{"category":"setup","message":"cannot fetch https://x/SHA256SUMS: (404) Not Found."}'
    assert TestKit.stepError { stub.call('delphixSync', login + [database: 'P']) } ==
        'delphixSync: cannot fetch https://x/SHA256SUMS: (404) Not Found.'
    assert stub.powershellCalls.size() == 1
}

test('on Windows a failing binary fails the build as on Unix') {
    StepStub stub = new StepStub()
    stub.unix = false
    stub.powershellStatus = 127
    assert TestKit.stepError { stub.call('delphixSync', login + [database: 'P']) } ==
        'delphixSync: dx-sync not found: set DXSTEPS_HOME or put the dxsteps binaries on PATH'
}

package io.dxsteps

import com.cloudbees.groovy.cps.NonCPS

// groovylint-disable DuplicateNumberLiteral

/**
 * The powershell text that runs one dxsteps binary on a Windows agent, with the guarantees of the
 * sh text: any value reaches the binary unchanged and no secret is part of the text.
 *
 * No shell parses the arguments. PowerShell only sees string literals made by quote: ASCII text in
 * single quotes, every other character as [char]0xXXXX, so neither the script file's encoding nor
 * PowerShell's own quote characters (it also takes U+2018..U+201B as single quotes) can change a
 * value. The binary is started with System.Diagnostics.Process and one command line built by
 * commandLine with the quoting rules the binary's runtime parses it by (CommandLineToArgvW's), so
 * cmd.exe never sees it and quotes, %, ^, &, !, spaces and non-ASCII are plain characters.
 */
class PowerShell implements Serializable {

    private static final long serialVersionUID = 1L

    /** The first and last characters that quote keeps as they are: printable ASCII. */
    private static final char FIRST_PLAIN = ' '
    private static final char LAST_PLAIN = '~'
    private static final char APOSTROPHE = "'"

    /** A PowerShell expression whose value is value exactly: 'it''s', ('caf'+[char]0x00e9+''). */
    @NonCPS
    static String quote(Object value) {
        String text = value as String
        StringBuilder out = new StringBuilder("'")
        boolean joined = false
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i)
            if (c >= FIRST_PLAIN && c <= LAST_PLAIN) {
                out.append(c == APOSTROPHE ? "''" : c as String)
            } else {
                out.append("'+[char]0x").append(hex(c as int)).append("+'")
                joined = true
            }
        }
        out.append("'")
        return joined ? "(${out})" : out.toString()
    }

    /** Four lowercase hex digits of a UTF-16 code unit. */
    @NonCPS
    static String hex(int code) {
        String digits = ''
        for (int shift = 12; shift >= 0; shift -= 4) {
            digits += '0123456789abcdef'.charAt((code >> shift) & 0xf)
        }
        return digits
    }

    /**
     * One Windows command line whose arguments, split as CommandLineToArgvW and Go's runtime
     * split them, are args exactly: each is quoted, a quote is escaped with a backslash, and the
     * backslashes just before a quote (or before the closing quote) are doubled.
     */
    @NonCPS
    static String commandLine(List<String> args) {
        List<String> words = []
        for (String arg in args) {
            words << commandWord(arg)
        }
        return words.join(' ')
    }

    /** One argument of commandLine, quoted. */
    @NonCPS
    static String commandWord(String arg) {
        StringBuilder word = new StringBuilder('"')
        int backslashes = 0
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i)
            if (c == '\\' as char) {
                backslashes++
            } else if (c == '"' as char) {
                appendBackslashes(word, backslashes + 1)
                backslashes = 0
            } else {
                backslashes = 0
            }
            word.append(c)
        }
        appendBackslashes(word, backslashes)
        return word.append('"').toString()
    }

    /**
     * The part of the powershell script that runs the binary the install check found ($exe, see
     * Installer) with args (unquoted values) and writes its stdout, its JSON result, to resultFile
     * as UTF-8; errorFile is passed with --error-file, apiVersions as DXSTEPS_API_VERSIONS (see
     * Command.script). Its stderr goes to the log.
     */
    @NonCPS
    static String script(List<String> args, String resultFile, String errorFile, String apiVersions) {
        List<String> all = []
        all.addAll(args)
        all.addAll(['--error-file', errorFile])
        // DXSTEPS_CALLER=jenkins: the binary's error line names the step's keys, not its flags.
        return '$env:DXSTEPS_CALLER = \'jenkins\'\n' +
            "\$env:DXSTEPS_API_VERSIONS = ${quote(apiVersions)}\n" +
            "\$arguments = ${quote(commandLine(all))}\n" +
            "\$result = ${quote(resultFile)}\n" +
            RUN
    }

    /** The fixed part of the run: start the binary, keep its stdout, exit with its code. */
    static final String RUN = '''$psi = New-Object System.Diagnostics.ProcessStartInfo
$psi.FileName = $exe
$psi.Arguments = $arguments
$psi.UseShellExecute = $false
$psi.RedirectStandardOutput = $true
$psi.StandardOutputEncoding = [System.Text.Encoding]::UTF8
$psi.WorkingDirectory = (Get-Location).ProviderPath
$p = [System.Diagnostics.Process]::Start($psi)
$out = $p.StandardOutput.ReadToEnd()
$p.WaitForExit()
$utf8 = New-Object System.Text.UTF8Encoding $false
[System.IO.File]::WriteAllText((Join-Path $psi.WorkingDirectory $result), $out, $utf8)
exit $p.ExitCode
'''

    /** Appends count backslashes to word. */
    @NonCPS
    private static void appendBackslashes(StringBuilder word, int count) {
        for (int i = 0; i < count; i++) {
            word.append('\\')
        }
    }

}

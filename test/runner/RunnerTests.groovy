// Tests of the local pipeline runner, the syntax check and the stage-tree extractor. Each test runs
// the real wrappers on the Jenkinsfiles in testdata/ and asserts the exit code, the console and the
// --graph-json stage graph. Run with run-tests.sh; prints "N passed, M failed" last.

import groovy.json.JsonSlurperClassic

import java.util.concurrent.Callable
import java.util.concurrent.Executors
import java.util.concurrent.Future

File here = new File(getClass().protectionDomain.codeSource.location.path).parentFile
File data = new File(here, 'testdata')
File repo = here.parentFile.parentFile
File tmp = File.createTempDir('runner-tests', '')

/** A new empty directory under tmp. */
File newDir(File tmp, String prefix) {
    File d = File.createTempFile(prefix, '', tmp)
    d.delete()
    d.mkdirs()
    d
}

/** One run of a wrapper: exit status, console, and the graph JSON if one was asked for. */
class Run {
    int status
    String out
    Map graph

    /** The stage at a path of names, e.g. stage('Lanes', 'Breaks'). */
    Map stage(String... names) {
        List level = graph.stages
        Map found = null
        for (String n : names) {
            found = level.find { it.name == n }
            assert found != null: "no stage ${names.join(' / ')} in the graph"
            level = found.stages ?: found.parallel ?: []
        }
        found
    }

    String status(String... names) {
        stage(names).status
    }

    /** Index of the first output line containing text, -1 if none. */
    int line(String text) {
        out.readLines().findIndexOf { it.contains(text) }
    }
}

Run exec(List<String> cmd, File dir) {
    Process p = new ProcessBuilder(cmd).directory(dir).redirectErrorStream(true).start()
    p.outputStream.close()
    String out = p.inputStream.getText('UTF-8')
    new Run(status: p.waitFor(), out: out)
}

/** Runs a testdata Jenkinsfile in a fresh workspace with the fake library and credentials. */
Run runner(File here, File data, File tmp, String jenkinsfile, List<String> extra = []) {
    File ws = newDir(tmp, 'workspace')
    File graph = new File(ws.path + '.graph.json')
    List<String> cmd = [new File(here, 'jenkinsfile-runner').path, '--workspace', ws.path, '--graph-json', graph.path,
                        '--library', new File(data, 'lib').path, '--credentials', new File(data, 'credentials.yaml').path] + extra +
            [new File(data, jenkinsfile).path]
    Run r = exec(cmd, ws)
    r.graph = graph.isFile() ? (Map) new JsonSlurperClassic().parse(graph) : null
    r
}

/** The graph without statuses and durations: the shape stage-tree prints. */
Map shape(Map graph) {
    Closure strip
    strip = { List stages ->
        stages.collect { Map s ->
            Map m = [name: s.name]
            if (s.stages) {
                m.stages = strip(s.stages)
            }
            if (s.parallel) {
                m.parallel = strip(s.parallel)
            }
            m
        }
    }
    [stages: strip(graph.stages)]
}

Map<String, Closure> tests = new LinkedHashMap<String, Closure>()

tests['declarative stages see parameters, environment, sh results, files and JSON'] = {
    Run r = runner(here, data, tmp, 'Jenkinsfile.basics', ['--job-name', 'folder/demo', '--build-number', '7', '--param', 'TARGET=prep9', '--param', 'SHARED=true'])
    assert r.status == 0
    assert r.out.contains('[Identity] tag=jenkins-folder-demo-7 number=7 name=#7 job=folder/demo')
    assert r.out.contains('[Identity] params TARGET=prep9 SHARED=true (Boolean) SIZE=50')
    assert r.out.contains('[Identity] env LABEL=pod-prep9/7 unix=true workspace-set=true')
    assert r.out.contains('[Shell] sh sees POD=pod-prep9 STAGE_ONLY=only here')
    assert r.out.contains('[Shell] stdout=[pod-prep9] status=7')
    assert r.out.contains("[Shell] + true --database 'Patients Prod'"): 'the trace shows the quotes the script has'
    assert r.out.contains('[Files] json snapshot=SNAP-3 tags=[a, b] n=2 types=LinkedHashMap,ArrayList,ArrayList')
    assert r.out.contains('[Files] exists=true missing=false')
    assert r.out.contains('[Files] sh in dir: out')
    assert r.out.contains('[Files] withEnv EXTRA=added')
    assert r.out.contains('[Files] after withEnv EXTRA=null')
    assert r.out.contains('[Later] later sees SET_IN_SCRIPT=kept and STAGE_ONLY=unset')
    assert r.graph.result == 'SUCCESS'
    assert r.graph.stages*.status == ['SUCCESS'] * 4
    assert r.out.readLines().last() == 'Finished: SUCCESS'
}

tests['isUnix() is true and powershell fails with one line, as bat does'] = {
    Run r = runner(here, data, tmp, 'Jenkinsfile.windows-steps')
    assert r.status == 2
    assert r.out.contains('[Branch] ran sh')
    assert !r.out.contains('ran powershell')
    assert r.out.contains('powershell is not available: the local runner runs on Unix, where isUnix() is true (use sh)')
    assert r.status('Branch') == 'SUCCESS'
    assert r.status('Powershell') == 'FAILED'
}

tests['parameters take their declared defaults when not given'] = {
    Run r = runner(here, data, tmp, 'Jenkinsfile.basics')
    assert r.status == 0
    assert r.out.contains('[Identity] params TARGET=prep1 SHARED=false (Boolean) SIZE=50')
    assert r.out.contains('[Identity] tag=jenkins-local-1 number=1 name=#1 job=local')
}

tests['parallel lanes run on real threads and keep their own env'] = {
    Run r = runner(here, data, tmp, 'Jenkinsfile.concurrency')
    assert r.status == 0
    assert r.out.contains('[Lane A » A waits for B] A saw B')
    assert r.out.contains('[Lane B] B saw A')
    assert r.out.contains('[Lane A » A waits for B] A has LANE=a')
    assert r.out.contains('[Lane B] B has LANE=b')
    assert r.status('Both Lanes', 'Lane A', 'A after') == 'SUCCESS'
    assert r.stage('Both Lanes').parallel*.name == ['Lane A', 'Lane B']
}

tests['a failing lane fails the build while its sibling finishes'] = {
    Run r = runner(here, data, tmp, 'Jenkinsfile.failing-lane')
    assert r.status == 2
    assert r.out.contains('[Breaks] ERROR: script returned exit code 3')
    assert r.out.contains('[Survives » Waits] sibling still running')
    assert r.out.contains('[Survives » Finishes] sibling finished')
    assert !r.out.contains('must not run')
    assert r.out.contains('post failure: currentResult=FAILURE')
    assert r.graph.result == 'FAILURE'
    assert r.status('Lanes') == 'FAILED'
    assert r.status('Lanes', 'Breaks') == 'FAILED'
    assert r.stage('Lanes', 'Breaks').error == 'script returned exit code 3'
    assert r.status('Lanes', 'Survives') == 'SUCCESS'
    assert r.status('Lanes', 'Survives', 'Finishes') == 'SUCCESS'
    assert r.status('After') == 'SKIPPED'
    assert r.out.readLines().last() == 'Finished: FAILURE'
}

tests['failFast aborts the sibling lanes'] = {
    Run r = runner(here, data, tmp, 'Jenkinsfile.failfast')
    assert r.status == 2
    assert r.graph.result == 'FAILURE'
    assert r.status('Lanes', 'Breaks') == 'FAILED'
    assert r.status('Lanes', 'Long') == 'ABORTED'
}

tests['post conditions run in Jenkins order for stages and the pipeline'] = {
    Run r = runner(here, data, tmp, 'Jenkinsfile.post')
    assert r.status == 1
    assert r.graph.result == 'UNSTABLE'
    assert r.out.contains('[Good] stage Good post success')
    assert r.line('[Good] stage Good post always') < r.line('[Good] stage Good post success')
    assert !r.out.contains('stage Good post failure')
    assert r.out.contains('[Caught] still running after catchError')
    assert r.out.contains('[Caught] stage Caught post failure')
    assert r.out.contains('[Wobbly] stage Wobbly post unstable')
    assert r.line('pipeline post always') < r.line('pipeline post unstable result=UNSTABLE')
    assert r.line('pipeline post unstable') < r.line('pipeline post cleanup')
    assert !r.out.contains('pipeline post success') && !r.out.contains('pipeline post failure')
    assert !r.out.contains('pipeline post changed')
    assert r.graph.stages*.status == ['SUCCESS', 'FAILED', 'UNSTABLE']
}

tests['post changed runs when the previous result differs'] = {
    Run r = runner(here, data, tmp, 'Jenkinsfile.post', ['--previous-result', 'SUCCESS'])
    assert r.out.contains('pipeline post changed')
}

tests['when conditions skip stages and everything inside them'] = {
    Run r = runner(here, data, tmp, 'Jenkinsfile.when')
    assert r.status == 0
    assert r.graph.stages.collectEntries { [(it.name): it.status] } == [
            'Expression false'    : 'SKIPPED', 'Expression true': 'SUCCESS', 'Environment match': 'SUCCESS',
            'Environment mismatch': 'SKIPPED', 'Branch': 'SKIPPED', 'Combined': 'SUCCESS', 'Skipped nested': 'SKIPPED']
    assert r.status('Skipped nested', 'Never') == 'SKIPPED'
    assert !r.out.contains('ran Never') && !r.out.contains('ran Expression false')
    assert r.out.contains('[Combined » Inner] ran Inner')
}

tests['when branch matches BRANCH_NAME'] = {
    File ws = newDir(tmp, 'workspace')
    Process p = new ProcessBuilder([new File(here, 'jenkinsfile-runner').path, '--workspace', ws.path,
                                    new File(data, 'Jenkinsfile.when').path]).redirectErrorStream(true)
            .with { environment().BRANCH_NAME = 'release/2.0'; it }.start()
    String out = p.inputStream.getText('UTF-8')
    assert p.waitFor() == 0
    assert out.contains('[Branch] ran Branch')
}

tests['bound secrets are printed as **** everywhere'] = {
    Run r = runner(here, data, tmp, 'Jenkinsfile.credentials')
    for (String secret : ['pa55-w0rd', 'tok-9f8e7d']) {
        assert !r.out.contains(secret)
    }
    assert r.out.contains('[Bindings] echo of the password: ****')
    assert r.out.contains('[Bindings] sh of the token: ****')
    assert r.out.contains('[Bindings] user is fake_admin')
    assert r.out.contains('[Bindings] config file readable')
    assert r.out.contains('[Bindings] returned: **** length 9')
    assert r.out.contains('[Bindings] config file removed')
    assert r.out.contains('[Bindings] environment TOKEN=**** LOGIN_USR=fake_admin LOGIN_PSW=****')
    assert r.out.contains("[Missing] ERROR: Could not find credentials entry with ID 'no-such-id'")
    assert r.status == 2
    assert r.status('Bindings') == 'SUCCESS' && r.status('Missing') == 'FAILED'
}

tests['a credential bound as another type fails its step as in Jenkins; as its own type it binds, masked'] = {
    Run r = runner(here, data, tmp, 'Jenkinsfile.credential-types')
    assert r.out.contains('[Secret text as string] key: ****')
    assert !r.out.contains('tok-9f8e7d')
    assert r.out.contains("[Secret text as username/password] ERROR: Credentials 'api-token' is of type 'Secret text' where " +
        "'com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials' was expected")
    assert r.out.contains("[Username/password as string] ERROR: Credentials 'engine-login' is of type 'Username with password' " +
        "where 'org.jenkinsci.plugins.plaincredentials.StringCredentials' was expected")
    assert !r.out.contains('unreachable')
    assert r.status == 2
    assert r.status('Bind', 'Secret text as string') == 'SUCCESS'
    assert r.status('Bind', 'Secret text as username/password') == 'FAILED'
}

tests['a var and a src class reach steps, env and credentials through the script'] = {
    Run r = runner(here, data, tmp, 'Jenkinsfile.library', ['--job-name', 'lib-job'])
    assert r.out.contains("[Greet] greeting: hello O'Brien from fake_admin, job lib-job, password ****")
    assert r.out.contains('[Greet] greeter saw BUILD_TAG=jenkins-lib-job-1')
    assert r.out.contains('[Greet] tag: jenkins-lib-job-1')
    assert r.out.contains('[Greet] shouting QUIET')
    assert r.out.contains('[Greet] shout: hello QUIET from fake_admin')
    assert r.out.contains('[Greet] \u25b6 greet')
    assert r.out.contains('[Library error] ERROR: fakeGreet: name is required')
    assert r.stage('Library error').error == 'fakeGreet: name is required'
    assert r.status == 2
}

tests['the runner counts the durable steps (sh, bat, powershell) of each library call and outside the library'] = {
    Run r = runner(here, data, tmp, 'Jenkinsfile.library', ['--job-name', 'lib-job'])
    // fakeGreet runs one sh; fakeShout calls fakeGreet: one call of fakeShout; the failing call runs none.
    assert r.graph.nodeSteps == [total: 2, outsideLibrary: 0,
                                 library: [fakeGreet: [calls: 2, steps: 1], fakeShout: [calls: 1, steps: 1]]]
    assert r.out.contains('Node-side steps (sh, bat, powershell): 2\n  fakeGreet: 2 calls, 1 step\n' +
        '  fakeShout: 1 call, 1 step\n  library: 3 calls, 2 steps\n  outside the library: 0\n')
    Run basics = runner(here, data, tmp, 'Jenkinsfile.basics')
    assert basics.graph.nodeSteps.library == [:]
    assert basics.graph.nodeSteps.total == basics.graph.nodeSteps.outsideLibrary
}

tests['credentials can come from a JSON file'] = {
    Run r = runner(here, data, tmp, 'Jenkinsfile.library', ['--credentials', new File(data, 'credentials.json').path])
    assert r.out.contains('from fake_admin, job local, password ****')
    assert !r.out.contains('json-pa55')
}

tests['a Jenkinsfile that loads a library fails clearly when none is found'] = {
    File dir = newDir(tmp, 'nolib')
    File jf = new File(dir, 'Jenkinsfile')
    jf.text = new File(data, 'Jenkinsfile.library').text
    Run r = exec([new File(here, 'jenkinsfile-runner').path, jf.path], dir)
    assert r.status == 2
    assert r.out.contains('loads a library but none was found; pass --library DIR')
}

tests['a scripted pipeline runs node, stage and parallel'] = {
    Run r = runner(here, data, tmp, 'Jenkinsfile.scripted')
    assert r.status == 1
    assert r.graph.result == 'UNSTABLE'
    assert r.out.contains('[Checkout] scripted in local #1')
    assert r.out.contains('[left] left branch')
    assert r.out.contains('[right » Right inner] right branch')
    assert r.out.contains('[Test] caught: script returned exit code 4')
    assert r.stage('Build').parallel*.name == ['left', 'right']
    assert r.status('Build', 'right', 'Right inner') == 'SUCCESS'
}

tests['retry, timestamps, writeJSON, usernameColonPassword, libraryResource and var methods work'] = {
    Run r = runner(here, data, tmp, 'Jenkinsfile.more')
    assert r.status == 0
    assert r.out =~ /(?m)^\d\d:\d\d:\d\d\.\d{3} \[Retried\] try 1$/
    assert r.out =~ /(?m)^\d\d:\d\d:\d\d\.\d{3} \[Retried\] Retrying \(2\/3\)$/
    assert r.out.contains('[Retried] try 2') && !r.out.contains('try 3')
    assert r.out.contains('[Misc] written: {"b":1,"a":[true,null]}')
    assert r.out.contains('[Misc] colon: ****') && !r.out.contains('fake_admin:pa55-w0rd')
    assert r.out.contains('[Misc] resource: greeting: from resources')
    assert r.out.contains('[Misc] whisper: quiet')
    assert r.out.readLines().last() == 'Finished: SUCCESS'
}

tests['a timeout aborts the stage and the build'] = {
    Run r = runner(here, data, tmp, 'Jenkinsfile.timeout')
    assert r.status == 4
    assert r.graph.result == 'ABORTED'
    assert r.status('Slow') == 'ABORTED'
    assert r.status('Next') == 'SKIPPED'
    assert r.out.contains('post aborted')
    assert r.out.readLines().last() == 'Finished: ABORTED'
}

tests['findFiles, archiveArtifacts and currentBuild.description show in the console and the graph JSON'] = {
    File artifacts = newDir(tmp, 'artifacts')
    Run r = runner(here, data, tmp, 'Jenkinsfile.artifacts', ['--artifacts', artifacts.path])
    assert r.status == 0
    assert r.out.contains('[Produce] found: a.json=a b.json=b in stage Produce') // env.STAGE_NAME, as Jenkins sets it
    assert r.out.contains('[Produce] all: [out/deep/c.txt]')
    assert r.out.contains('No artifacts found that match the file pattern "missing/*". Configuration error?')
    assert r.status('Nothing to archive') == 'UNSTABLE'
    assert r.graph.description == 'first line\nnames: a.json=a, b.json=b'
    assert r.graph.artifacts == ['a.json', 'b.json', 'deep/c.txt']
    assert new File(artifacts, 'a.json').text == '{"name":"a"}'
    assert new File(artifacts, 'deep/c.txt').text == 'c'
    assert !new File(artifacts, 'a.error.json').exists()
    List<String> lines = r.out.readLines()
    int d = lines.indexOf('Description:')
    assert d > 0 && lines[d + 1] == '  first line' && lines[d + 2] == '  names: a.json=a, b.json=b'
    assert lines.contains("Archived artifacts (in ${artifacts.canonicalFile}):".toString()) || lines.contains("Archived artifacts (in ${artifacts}):".toString())
}

tests['stopping the runner aborts sh as Jenkins does: SIGTERM to the process tree, SIGKILL after the wait'] = {
    File ws = newDir(tmp, 'workspace')
    List<String> cmd = [new File(here, 'jenkinsfile-runner').path, '--workspace', ws.path,
                        new File(data, 'Jenkinsfile.abort').path]
    Process p = new ProcessBuilder(cmd).directory(ws).redirectErrorStream(true).start()
    p.outputStream.close()
    StringBuffer out = new StringBuffer()
    Thread reader = Thread.start {
        p.inputStream.eachLine('UTF-8') { String l -> out.append(l).append('\n') }
    }
    while (!out.toString().contains('[Long] started') && p.alive) {
        Thread.sleep(100)
    }
    assert p.alive: out.toString()
    while (!new File(ws, 'stubborn.pid').isFile()) {
        Thread.sleep(100)
    }
    long stubborn = new File(ws, 'stubborn.pid').text.trim() as long
    // SIGTERM to the runner, as a service manager would stop it (Process.destroy would also close its output)
    assert ['kill', '-TERM', p.pid() as String].execute().waitFor() == 0
    int status = p.waitFor()
    reader.join()
    assert status == 143
    assert new File(ws, 'term.txt').text.trim() == 'got TERM': 'the script got SIGTERM, not SIGKILL at once'
    File stat = new File("/proc/${stubborn}/stat")
    boolean running = stat.exists() && !(stat.text =~ /\) [ZX] /)
    assert !running: "the child that ignores SIGTERM was killed: ${stat.exists() ? stat.text : 'gone'}"
    assert out.toString().contains('Aborting: sending SIGTERM to the running sh steps')
    assert out.toString().readLines().last() == 'Finished: ABORTED'
}

tests['a Jenkinsfile that does not compile fails the build with its line'] = {
    Run r = runner(here, data, tmp, 'broken-pipeline.txt')
    assert r.status == 2
    assert r.out.contains('does not compile')
    assert r.out =~ /broken-pipeline\.txt: \d+: /
    assert r.out.readLines().last() == 'Finished: FAILURE'
}

tests['bad command lines exit 64 with the usage'] = {
    Run r = exec([new File(here, 'jenkinsfile-runner').path, '--param', 'novalue', 'x'], tmp)
    assert r.status == 64
    assert r.out.contains('usage: jenkinsfile-runner')
}

tests['stage-tree reads the same tree from the syntax tree as the runner runs'] = {
    ['Jenkinsfile.failing-lane', 'Jenkinsfile.when', 'Jenkinsfile.concurrency'].each { String name ->
        Run tree = exec([new File(here, 'stage-tree').path, new File(data, name).path], tmp)
        assert tree.status == 0
        Run run = runner(here, data, tmp, name)
        assert new JsonSlurperClassic().parseText(tree.out) == shape(run.graph)
    }
}

tests['Jenkinsfile.example has the workshop stage tree'] = {
    File example = new File(repo, 'Jenkinsfile.example')
    if (!example.isFile()) {
        return 'SKIP: no Jenkinsfile.example'
    }
    Run tree = exec([new File(here, 'stage-tree').path, example.path], tmp)
    assert tree.status == 0
    assert new JsonSlurperClassic().parseText(tree.out) == new JsonSlurperClassic().parse(new File(data, 'workshop-tree.json'))
}

tests['check-syntax reports file:line of a broken var and an unresolved class'] = {
    File root = newDir(tmp, 'repo')
    new File(root, 'vars').mkdirs()
    new File(root, 'src/io/x').mkdirs()
    new File(root, 'vars/good.groovy').text = 'def call(Map c = [:]) {\n    echo "ok"\n}\n'
    new File(root, 'vars/bad.groovy').text = 'def call(Map c = [:]) {\n    echo "ok"\n    if (c.x {\n}\n'
    new File(root, 'src/io/x/A.groovy').text = 'package io.x\nimport com.cloudbees.groovy.cps.NonCPS\nclass A {\n  @NonCPS\n  def f() { new Missing() }\n}\n'
    new File(root, 'Jenkinsfile').text = "@Library('dxsteps') _\npipeline { agent any\n stages { stage('a') { steps { echo 'x' } } } }\n"
    Run r = exec([new File(here, 'check-syntax').path, root.path], tmp)
    assert r.status == 1
    assert r.out =~ /(?m)^vars\/bad\.groovy:\d+:\d+: /
    assert r.out =~ /(?m)^src\/io\/x\/A\.groovy:5:\d+: unable to resolve class Missing$/
    assert !r.out.contains('good.groovy') && !r.out.contains('Jenkinsfile:')
    new File(root, 'vars/bad.groovy').delete()
    new File(root, 'src/io/x/A.groovy').text = 'package io.x\nimport com.cloudbees.groovy.cps.NonCPS\nclass A {\n  @NonCPS\n  def f() { 1 }\n}\n'
    Run ok = exec([new File(here, 'check-syntax').path, root.path], tmp)
    assert ok.status == 0
    assert ok.out.contains('check-syntax: 3 files parse')
}

// Tests are independent: run a few at a time, report in order.
def pool = Executors.newFixedThreadPool(3)
Map<String, Future> results = new LinkedHashMap<String, Future>()
tests.each { String name, Closure body ->
    results[name] = pool.submit({
        try {
            def r = body.call()
            return r instanceof String && r.startsWith('SKIP') ? r : 'ok'
        } catch (Throwable e) {
            return 'FAIL: ' + e.toString()
        }
    } as Callable)
}
int passed = 0, failed = 0
results.each { String name, Future f ->
    String r = f.get()
    if (r.startsWith('FAIL')) {
        failed++
        println "FAIL ${name}\n${r.substring(6).readLines().collect { '    ' + it }.join('\n')}"
    } else {
        passed++
        println "${r == 'ok' ? 'ok  ' : r} ${name}"
    }
}
pool.shutdown()
tmp.deleteDir()
println "${passed} passed, ${failed} failed"
System.exit(failed ? 1 : 0)

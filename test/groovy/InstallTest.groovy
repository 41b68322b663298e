// The library installs its binaries on a Unix agent by itself: the install script runs for real
// with /bin/sh -xe against make dist-like archives of the fake binaries in a folder, and the
// installed binaries are the ones that run.

import java.security.MessageDigest

import static TestKit.test

Map login = [credentialsId: 'delphix-engine']
String version = StepStub.VERSION

/** This machine's platform as the install script names it, e.g. linux-amd64. */
String platform() {
    String os = ['uname', '-s'].execute().text.trim().toLowerCase()
    String machine = ['uname', '-m'].execute().text.trim()
    return os + '-' + (machine in ['x86_64', 'amd64'] ? 'amd64' : 'arm64')
}

String sha256(File file) {
    return MessageDigest.getInstance('SHA-256').digest(file.bytes).encodeHex().toString()
}

/**
 * A make dist folder for this platform in the stub's temporary root, DIST/VERSION/ with the
 * archive of the fake binaries (answering --version with binaryVersion) and SHA256SUMS.
 */
File dist(StepStub stub, String binaryVersion = StepStub.VERSION) {
    File root = new File(stub.fakeBin.parentFile, 'dist')
    String name = "dxsteps-${StepStub.VERSION}-${platform()}"
    File staging = new File(root, "staging/${name}")
    staging.mkdirs()
    for (String binary in StepStub.BINARIES) {
        File file = new File(staging, binary)
        file.text = StepStub.FAKE_BINARY
        file.setExecutable(true)
    }
    new File(staging, 'version').text = binaryVersion
    File folder = new File(root, StepStub.VERSION)
    folder.mkdirs()
    File archive = new File(folder, name + '.tar.gz')
    Process tar = ['tar', '-C', staging.parent, '-czf', archive.path, name].execute()
    assert tar.waitFor() == 0
    new File(folder, 'SHA256SUMS').text = "${sha256(archive)}  ${archive.name}\n"
    return root
}

/** Where the install script puts the binaries: dxsteps-tools beside the workspace. */
File installed(StepStub stub) {
    return new File(stub.workspace.parentFile, "dxsteps-tools/${StepStub.VERSION}/${platform()}")
}

test('first use installs the archive of the agent\'s platform from a shared folder and runs its binaries') {
    StepStub stub = new StepStub()
    stub.binariesOnPath = false
    stub.env.DXSTEPS_DIST_URL = dist(stub).path
    Map result = stub.call('delphixSync', login + [database: 'Patients Prod'])
    File home = installed(stub)
    assert result == [step: 'dx-sync']
    assert new File(home, '.version').text.trim() == version
    assert new File(home, 'dx-sync.argv').exists()
    assert stub.shCalls.size() == 1, 'the install and the run are one sh step'
    assert stub.shCalls[-1].stderr.contains("dxsteps: installed dxsteps ${version} (${platform()}) from")
}

test('later steps on the agent reuse the installed binaries without fetching anything') {
    StepStub stub = new StepStub()
    stub.binariesOnPath = false
    File root = dist(stub)
    stub.env.DXSTEPS_DIST_URL = 'file://' + root.path
    stub.call('delphixSync', login + [database: 'P'])
    assert root.deleteDir()
    stub.call('delphixRefresh', login + [vdb: 'V'])
    assert !new File(stub.fakeBin, 'dx-sync.argv').exists()
    assert new File(installed(stub), 'dx-refresh.argv').exists()
    assert !stub.shCalls[-1].stderr.contains('installed')
    assert stub.shCalls.size() == 2
}

test('a distribution URL with {version} names the version folder itself') {
    StepStub stub = new StepStub()
    stub.binariesOnPath = false
    File root = dist(stub)
    stub.call('delphixSync', login + [database: 'P', distUrl: root.path + '/{version}/'])
    assert new File(installed(stub), 'dx-sync.argv').exists()
}

test('an archive that does not match SHA256SUMS is refused with one line and not installed') {
    StepStub stub = new StepStub()
    stub.binariesOnPath = false
    File root = dist(stub)
    File archive = new File(root, "${version}/dxsteps-${version}-${platform()}.tar.gz")
    String listed = sha256(archive)
    archive.append('tampered')
    stub.env.DXSTEPS_DIST_URL = root.path
    String message = TestKit.stepError { stub.call('delphixSync', login + [database: 'P']) }
    assert message == "delphixSync: ${root.path}/${version}/${archive.name} does not match SHA256SUMS " +
        "(sha256 ${sha256(archive)}, listed ${listed}): not installed; publish the archives and SHA256SUMS of one make dist together"
    assert !new File(installed(stub), 'dx-sync').exists()
    assert stub.shCalls*.status == [127], 'the install check ended the step: nothing ran'
}

test('an archive that SHA256SUMS does not list is refused') {
    StepStub stub = new StepStub()
    stub.binariesOnPath = false
    File root = dist(stub)
    new File(root, "${version}/SHA256SUMS").text = "${'0' * 64}  dxsteps-${version}-other-os.tar.gz\n"
    stub.env.DXSTEPS_DIST_URL = root.path
    String message = TestKit.stepError { stub.call('delphixSync', login + [database: 'P']) }
    assert message == "delphixSync: dxsteps-${version}-${platform()}.tar.gz is not listed in ${root.path}/${version}/SHA256SUMS: " +
        'publish the archives and SHA256SUMS of one make dist together'
    assert !new File(installed(stub), 'dx-sync').exists()
}

test('a missing archive fails with one line naming what could not be fetched') {
    StepStub stub = new StepStub()
    stub.binariesOnPath = false
    File root = dist(stub)
    new File(root, "${version}/dxsteps-${version}-${platform()}.tar.gz").delete()
    stub.env.DXSTEPS_DIST_URL = root.path
    String message = TestKit.stepError { stub.call('delphixSync', login + [database: 'P']) }
    assert message.startsWith("delphixSync: cannot fetch ${root.path}/${version}/dxsteps-${version}-${platform()}.tar.gz: cp: ")
    assert !message.contains('\n')
}

test('an archive of another version is refused, naming both versions') {
    StepStub stub = new StepStub()
    stub.binariesOnPath = false
    File root = dist(stub, '0.0.9')
    stub.env.DXSTEPS_DIST_URL = root.path
    String message = TestKit.stepError { stub.call('delphixSync', login + [database: 'P']) }
    assert message == "delphixSync: ${root.path}/${version}/dxsteps-${version}-${platform()}.tar.gz holds dxsteps 0.0.9 " +
        "but this library is dxsteps ${version}: publish the make dist archives of dxsteps ${version} there"
    assert !new File(installed(stub), '.version').exists()
}

test('DXSTEPS_HOME wins over the distribution; it and PATH must hold the library\'s version') {
    StepStub stub = new StepStub()
    stub.binariesOnPath = false
    stub.env.DXSTEPS_DIST_URL = '/nonexistent'
    stub.env.DXSTEPS_HOME = stub.fakeBin.path
    stub.call('delphixSync', login + [database: 'P'])
    assert stub.argv('dx-sync')[0..1] == ['--database', 'P']
    new File(stub.fakeBin, 'version').text = '0.0.9'
    assert new File(stub.fakeBin, 'dx-sync.argv').delete()
    String message = TestKit.stepError { stub.call('delphixSync', login + [database: 'P']) }
    assert !new File(stub.fakeBin, 'dx-sync.argv').exists(), 'a binary of another version never runs'
    assert message == "delphixSync: ${stub.fakeBin.path}/dx-sync is dxsteps 0.0.9 but this library is dxsteps ${version}: " +
        "put the dxsteps ${version} binaries in ${stub.fakeBin.path}, or unset dxstepsHome and DXSTEPS_HOME so the " +
        'library installs its own from DXSTEPS_DIST_URL, or load the library at the version of these binaries'
    stub.env.remove('DXSTEPS_HOME')
    stub.env.remove('DXSTEPS_DIST_URL')
    stub.binariesOnPath = true
    message = TestKit.stepError { stub.call('delphixSync', login + [database: 'P']) }
    assert message.startsWith("delphixSync: ${stub.fakeBin.path}/dx-sync is dxsteps 0.0.9 but this library is dxsteps ${version}: " +
        "put the dxsteps ${version} binaries first on PATH")
}

test('a development build through an override runs, with a warning') {
    StepStub stub = new StepStub()
    new File(stub.fakeBin, 'version').text = 'dev'
    stub.call('delphixSync', login + [database: 'P'])
    assert stub.messages.isEmpty()
    assert stub.shCalls[-1].stderr.contains("delphixSync: warning: ${stub.fakeBin.path}/dx-sync is a development build " +
        "(version dev), not dxsteps ${version}: using it as it is\n")
    assert stub.argv('dx-sync')[0..1] == ['--database', 'P']
}

test('the library\'s version is one line of letters, digits, dots and dashes') {
    assert io.dxsteps.Installer.libraryVersion(new File('resources/io/dxsteps/version.txt').text) == version
    assert io.dxsteps.Installer.libraryVersion('1.2.0\n') == '1.2.0'
    assert io.dxsteps.Installer.libraryVersion('') == null
    assert io.dxsteps.Installer.libraryVersion("1.0'; rm -rf /") == null
}

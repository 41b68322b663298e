package io.dxsteps

import com.cloudbees.groovy.cps.NonCPS

/**
 * The text of the scripts Installer runs on an agent: POSIX sh for Unix agents, Windows
 * PowerShell 5.1 for the others. The caller's values (the version, the binary, the override and
 * the distribution) are the first lines, quoted here; the rest is fixed text that reads them and
 * the agent's DXSTEPS_HOME, DXSTEPS_DIST_URL, DXSTEPS_TOOLS_DIR and WORKSPACE. Both print one
 * line dxsteps-home=DIR, dxsteps-error=REASON or dxsteps-warning=TEXT and exit 0.
 */
class InstallScripts implements Serializable {

    private static final long serialVersionUID = 1L

    /** The sh script for plan [version, binary, home, dist] (home and dist may be null). */
    @NonCPS
    static String unix(Map plan) {
        return '#!/bin/sh\n' +
            "version=${Command.quote(plan.version)}\n" +
            "binary=${Command.quote(plan.binary)}\n" +
            "given_home=${Command.quote(plan.home ?: '')}\n" +
            "given_dist=${Command.quote(plan.dist ?: '')}\n" +
            UNIX
    }

    /** The powershell script for the same plan. */
    @NonCPS
    static String windows(Map plan) {
        return "\$version = ${PowerShell.quote(plan.version)}\n" +
            "\$binary = ${PowerShell.quote(plan.binary)}\n" +
            "\$givenHome = ${PowerShell.quote(plan.home ?: '')}\n" +
            "\$givenDist = ${PowerShell.quote(plan.dist ?: '')}\n" +
            WINDOWS
    }

    /**
     * The fixed part of the sh script. It never relies on set -e (Jenkins runs sh -xe; a #! line
     * makes it run plain): every failure goes through fail, which answers and exits 0.
     */
    static final String UNIX = '''
fail() { printf 'dxsteps-error=%s\\n' "$*" | tr -d '\\r'; exit 0; }
oneline() { tr '\\r\\n' '  ' | sed 's/  *$//'; }
# version_of BIN: the last word of the first line BIN --version prints.
version_of() { "$1" --version 2>&1 </dev/null | awk 'NR == 1 { print $NF }'; }
# check BIN WHERE: BIN is of the library's version, or a development build (warned about).
check() {
  got=$(version_of "$1")
  if [ "$got" = "$version" ]; then return 0; fi
  if [ "$got" = dev ]; then
    printf 'dxsteps-warning=%s\\n' "$1 is a development build (version dev), not dxsteps $version: using it as it is"
    return 0
  fi
  fail "$1 is dxsteps ${got:-of no known version} but this library is dxsteps $version: $2"
}
home=${given_home:-${DXSTEPS_HOME:-}}
dist=${given_dist:-${DXSTEPS_DIST_URL:-}}
if [ -n "$home" ]; then
  bin="${home%/}/$binary"
  [ -x "$bin" ] || fail "$binary not found in $home (dxstepsHome or DXSTEPS_HOME): put the dxsteps $version binaries there, or unset it and set DXSTEPS_DIST_URL so the library installs them"
  check "$bin" "put the dxsteps $version binaries in $home, or unset dxstepsHome and DXSTEPS_HOME so the library installs its own from DXSTEPS_DIST_URL, or load the library at the version of these binaries"
  echo "dxsteps-home=${home%/}"
  exit 0
fi
if [ -z "$dist" ]; then
  bin=$(command -v "$binary" 2>/dev/null) || fail "$binary not found: set DXSTEPS_DIST_URL (where make dist archives are published) so the library installs the binaries, or set DXSTEPS_HOME, or put the binaries on PATH"
  check "$bin" "put the dxsteps $version binaries first on PATH, or set DXSTEPS_DIST_URL so the library installs its own"
  echo "dxsteps-home="
  exit 0
fi
case $(uname -s) in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) fail "dxsteps has no binaries for $(uname -s) agents (linux, darwin and windows on amd64 or arm64)" ;;
esac
case $(uname -m) in
  x86_64|amd64) arch=amd64 ;;
  aarch64|arm64) arch=arm64 ;;
  *) fail "dxsteps has no binaries for $(uname -m) agents (amd64 and arm64)" ;;
esac
root=${DXSTEPS_TOOLS_DIR:-${WORKSPACE:-$PWD}/../dxsteps-tools}
mkdir -p "$root" 2>/dev/null || fail "cannot create the dxsteps tools directory $root: set DXSTEPS_TOOLS_DIR to a writable directory"
root=$(cd "$root" && pwd -P)
name="dxsteps-$version-$os-$arch"
home="$root/$version/$os-$arch"
if [ "$(cat "$home/.version" 2>/dev/null)" = "$version" ]; then
  echo "dxsteps-home=$home"
  exit 0
fi
case $dist in
  *'{version}'*) base=$(printf '%s\\n' "$dist" | sed "s/{version}/$version/g") ;;
  *) base="${dist%/}/$version" ;;
esac
mkdir -p "$home" || fail "cannot create $home: set DXSTEPS_TOOLS_DIR to a writable directory"
tmp=$(mktemp -d "$root/$version/.install.XXXXXX") || fail "cannot create a directory in $root/$version"
trap 'rm -rf "$tmp"' EXIT
# fetch FROM TO: a copy of FROM (a URL or a path) in TO; on failure, why says why.
fetch() {
  case $1 in
    http://*|https://*)
      if command -v curl >/dev/null 2>&1; then why=$(curl -fsSL --netrc-optional -o "$2" "$1" 2>&1)
      elif command -v wget >/dev/null 2>&1; then why=$(wget -q -O "$2" "$1" 2>&1 || echo "wget failed")
      else why="neither curl nor wget is installed on this agent"; return 1
      fi ;;
    file://*) why=$(cp "${1#file://}" "$2" 2>&1) ;;
    *) why=$(cp "$1" "$2" 2>&1) ;;
  esac
}
sums="$base/SHA256SUMS"
archive="$name.tar.gz"
fetch "$sums" "$tmp/SHA256SUMS" || fail "cannot fetch $sums: $(printf '%s' "$why" | oneline)"
fetch "$base/$archive" "$tmp/$archive" || fail "cannot fetch $base/$archive: $(printf '%s' "$why" | oneline)"
want=$(awk -v f="$archive" '{ n = $2; sub(/^\\*/, "", n); sub(/^\\.\\//, "", n) } n == f { print tolower($1) }' "$tmp/SHA256SUMS")
[ -n "$want" ] || fail "$archive is not listed in $sums: publish the archives and SHA256SUMS of one make dist together"
if command -v sha256sum >/dev/null 2>&1; then got=$(sha256sum "$tmp/$archive")
elif command -v shasum >/dev/null 2>&1; then got=$(shasum -a 256 "$tmp/$archive")
else got=$(openssl dgst -sha256 -r "$tmp/$archive")
fi
got=${got%% *}
[ "$got" = "$want" ] || fail "$base/$archive does not match SHA256SUMS (sha256 $got, listed $want): not installed; publish the archives and SHA256SUMS of one make dist together"
why=$(tar -xzf "$tmp/$archive" -C "$tmp" 2>&1) || fail "cannot unpack $base/$archive: $(printf '%s' "$why" | oneline)"
[ -x "$tmp/$name/$binary" ] || fail "$base/$archive holds no $name/$binary: publish the archives of make dist as they are"
got=$(version_of "$tmp/$name/$binary")
[ "$got" = "$version" ] || fail "$base/$archive holds dxsteps ${got:-of no known version} but this library is dxsteps $version: publish the make dist archives of dxsteps $version there"
for f in "$tmp/$name"/*; do
  mv -f "$f" "$home/" || fail "cannot move the binaries into $home"
done
printf '%s\\n' "$version" >"$tmp/.version" && mv -f "$tmp/.version" "$home/.version" || fail "cannot write $home/.version"
echo "dxsteps: installed dxsteps $version ($os-$arch) from $base into $home" >&2
echo "dxsteps-home=$home"
'''

    /**
     * The fixed part of the powershell script: the same steps with PowerShell's own commands
     * (Invoke-WebRequest, Get-FileHash, Expand-Archive), .zip archives and .exe binaries.
     */
    static final String WINDOWS = '''$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
function Fail([string]$why) { Write-Output ('dxsteps-error=' + ($why -replace '\\s*[\\r\\n]+\\s*', ' ')); exit 0 }
trap { Fail $_.Exception.Message }
# VersionOf: the last word of the first line the binary prints for --version.
function VersionOf([string]$exe) {
  $psi = New-Object System.Diagnostics.ProcessStartInfo
  $psi.FileName = $exe
  $psi.Arguments = '--version'
  $psi.UseShellExecute = $false
  $psi.RedirectStandardOutput = $true
  $psi.RedirectStandardError = $true
  $p = [System.Diagnostics.Process]::Start($psi)
  $err = $p.StandardError.ReadToEndAsync()
  $text = $p.StandardOutput.ReadToEnd() + $err.Result
  $p.WaitForExit()
  $first = ($text.Trim() -split "`r?`n")[0]
  return ($first -split ' ')[-1]
}
function Check([string]$exe, [string]$todo) {
  $got = VersionOf $exe
  if ($got -eq $version) { return }
  if ($got -eq 'dev') {
    Write-Output "dxsteps-warning=$exe is a development build (version dev), not dxsteps ${version}: using it as it is"
    return
  }
  Fail "$exe is dxsteps $got but this library is dxsteps ${version}: $todo"
}
$exeName = "$binary.exe"
$dir = if ($givenHome) { $givenHome } else { $env:DXSTEPS_HOME }
$dist = if ($givenDist) { $givenDist } else { $env:DXSTEPS_DIST_URL }
if ($dir) {
  $exe = Join-Path $dir $exeName
  if (-not (Test-Path -LiteralPath $exe -PathType Leaf)) {
    Fail "$exeName not found in $dir (dxstepsHome or DXSTEPS_HOME): put the dxsteps $version binaries there, or unset it and set DXSTEPS_DIST_URL so the library installs them"
  }
  Check $exe "put the dxsteps $version binaries in $dir, or unset dxstepsHome and DXSTEPS_HOME so the library installs its own from DXSTEPS_DIST_URL, or load the library at the version of these binaries"
  Write-Output "dxsteps-home=$dir"
  exit 0
}
if (-not $dist) {
  $found = Get-Command -Name $exeName -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
  if (-not $found) {
    Fail "$exeName not found: set DXSTEPS_DIST_URL (where make dist archives are published) so the library installs the binaries, or set DXSTEPS_HOME, or put the binaries on PATH"
  }
  Check $found.Path "put the dxsteps $version binaries first on PATH, or set DXSTEPS_DIST_URL so the library installs its own"
  Write-Output 'dxsteps-home='
  exit 0
}
$cpu = if ($env:PROCESSOR_ARCHITEW6432) { $env:PROCESSOR_ARCHITEW6432 } else { $env:PROCESSOR_ARCHITECTURE }
$arch = switch ($cpu) { 'AMD64' { 'amd64' } 'ARM64' { 'arm64' } default { Fail "dxsteps has no binaries for $cpu agents (amd64 and arm64)" } }
$root = if ($env:DXSTEPS_TOOLS_DIR) { $env:DXSTEPS_TOOLS_DIR } else { Join-Path $env:WORKSPACE '..\\dxsteps-tools' }
New-Item -ItemType Directory -Force -Path $root | Out-Null
$root = (Resolve-Path -LiteralPath $root).ProviderPath
$name = "dxsteps-$version-windows-$arch"
$dir = Join-Path $root "$version\\windows-$arch"
$marker = Join-Path $dir '.version'
if ((Test-Path -LiteralPath $marker) -and ((Get-Content -LiteralPath $marker -Raw).Trim() -eq $version)) {
  Write-Output "dxsteps-home=$dir"
  exit 0
}
$base = if ($dist.Contains('{version}')) { $dist.Replace('{version}', $version) } else { $dist.TrimEnd('/', '\\') + "/$version" }
function Fetch([string]$from, [string]$to) {
  try {
    if ($from -match '^https?://') {
      [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12
      Invoke-WebRequest -UseBasicParsing -Uri $from -OutFile $to
    } else {
      Copy-Item -LiteralPath ($from -replace '^file:///?', '') -Destination $to
    }
  } catch {
    Fail "cannot fetch ${from}: $($_.Exception.Message)"
  }
}
New-Item -ItemType Directory -Force -Path $dir | Out-Null
$tmp = Join-Path $root "$version\\.install-$([guid]::NewGuid())"
New-Item -ItemType Directory -Path $tmp | Out-Null
try {
  $sums = "$base/SHA256SUMS"
  $archive = "$name.zip"
  $zip = Join-Path $tmp $archive
  Fetch $sums (Join-Path $tmp 'SHA256SUMS')
  Fetch "$base/$archive" $zip
  $want = ''
  foreach ($line in Get-Content -LiteralPath (Join-Path $tmp 'SHA256SUMS')) {
    $fields = $line.Trim() -split '\\s+', 2
    if ($fields.Count -eq 2 -and ($fields[1] -replace '^\\*?(\\./)?', '') -eq $archive) { $want = $fields[0].ToLower() }
  }
  if (-not $want) { Fail "$archive is not listed in ${sums}: publish the archives and SHA256SUMS of one make dist together" }
  $got = (Get-FileHash -Algorithm SHA256 -LiteralPath $zip).Hash.ToLower()
  if ($got -ne $want) {
    Fail "$base/$archive does not match SHA256SUMS (sha256 $got, listed $want): not installed; publish the archives and SHA256SUMS of one make dist together"
  }
  Expand-Archive -LiteralPath $zip -DestinationPath $tmp -Force
  $exe = Join-Path $tmp "$name\\$exeName"
  if (-not (Test-Path -LiteralPath $exe -PathType Leaf)) { Fail "$base/$archive holds no $name\\${exeName}: publish the archives of make dist as they are" }
  $got = VersionOf $exe
  if ($got -ne $version) { Fail "$base/$archive holds dxsteps $got but this library is dxsteps ${version}: publish the make dist archives of dxsteps $version there" }
  foreach ($item in Get-ChildItem -LiteralPath (Join-Path $tmp $name)) {
    try {
      Move-Item -LiteralPath $item.FullName -Destination $dir -Force
    } catch {
      # Another build on this agent installed the same file first and may be running it.
      if (-not (Test-Path -LiteralPath (Join-Path $dir $item.Name))) { throw }
    }
  }
  Set-Content -LiteralPath (Join-Path $tmp '.version') -Value $version
  Move-Item -LiteralPath (Join-Path $tmp '.version') -Destination $marker -Force
  [Console]::Error.WriteLine("dxsteps: installed dxsteps $version (windows-$arch) from $base into $dir")
} finally {
  Remove-Item -LiteralPath $tmp -Recurse -Force -ErrorAction SilentlyContinue
}
Write-Output "dxsteps-home=$dir"
'''

}

# Readies the dxsteps binary on a Windows agent (Windows PowerShell 5.1), in the same powershell
# step that then runs it: the library puts it after lines that set $version, $binary, $givenHome,
# $givenDist, $step and $errorFile, and before the part that runs $exe. The same steps as
# install.sh with PowerShell's own commands (Invoke-WebRequest, Get-FileHash, Expand-Archive), .zip
# archives and .exe binaries. Ready sets $exe to the binary's path, or writes the reason to
# $errorFile as {"category":"setup","message":...} and exits 127: nothing runs.
$ProgressPreference = 'SilentlyContinue'
function Fail([string]$why) {
  $text = @{ category = 'setup'; message = ($why -replace '\s*[\r\n]+\s*', ' ') } | ConvertTo-Json -Compress
  $utf8 = New-Object System.Text.UTF8Encoding $false
  [System.IO.File]::WriteAllText((Join-Path (Get-Location).ProviderPath $errorFile), $text, $utf8)
  exit 127
}
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
    Write-Host "${step}: warning: $exe is a development build (version dev), not dxsteps ${version}: using it as it is"
    return
  }
  Fail "$exe is dxsteps $got but this library is dxsteps ${version}: $todo"
}
# Ready: the binary's path; its output is that path alone (the rest goes to the host).
function Ready {
  trap { Fail $_.Exception.Message }
  $exeName = "$binary.exe"
  $dir = if ($givenHome) { $givenHome } else { $env:DXSTEPS_HOME }
  $dist = if ($givenDist) { $givenDist } else { $env:DXSTEPS_DIST_URL }
  if ($dir) {
    $exe = Join-Path $dir $exeName
    if (-not (Test-Path -LiteralPath $exe -PathType Leaf)) {
      Fail "$exeName not found in $dir (dxstepsHome or DXSTEPS_HOME): put the dxsteps $version binaries there, or unset it and set DXSTEPS_DIST_URL so the library installs them"
    }
    Check $exe "put the dxsteps $version binaries in $dir, or unset dxstepsHome and DXSTEPS_HOME so the library installs its own from DXSTEPS_DIST_URL, or load the library at the version of these binaries"
    return $exe
  }
  if (-not $dist) {
    $found = Get-Command -Name $exeName -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $found) {
      Fail "$exeName not found: set DXSTEPS_DIST_URL (where make dist archives are published) so the library installs the binaries, or set DXSTEPS_HOME, or put the binaries on PATH"
    }
    Check $found.Path "put the dxsteps $version binaries first on PATH, or set DXSTEPS_DIST_URL so the library installs its own"
    return $found.Path
  }
  $cpu = if ($env:PROCESSOR_ARCHITEW6432) { $env:PROCESSOR_ARCHITEW6432 } else { $env:PROCESSOR_ARCHITECTURE }
  # Fail only where its output is not assigned: output inside $x = ... would go into $x.
  $arch = switch ($cpu) { 'AMD64' { 'amd64' } 'ARM64' { 'arm64' } default { '' } }
  if (-not $arch) { Fail "dxsteps has no binaries for $cpu agents (amd64 and arm64)" }
  $root = if ($env:DXSTEPS_TOOLS_DIR) { $env:DXSTEPS_TOOLS_DIR } else { Join-Path $env:WORKSPACE '..\dxsteps-tools' }
  New-Item -ItemType Directory -Force -Path $root | Out-Null
  $root = (Resolve-Path -LiteralPath $root).ProviderPath
  $name = "dxsteps-$version-windows-$arch"
  $dir = Join-Path $root "$version\windows-$arch"
  $marker = Join-Path $dir '.version'
  if ((Test-Path -LiteralPath $marker) -and ((Get-Content -LiteralPath $marker -Raw).Trim() -eq $version)) {
    return (Join-Path $dir $exeName)
  }
  $base = if ($dist.Contains('{version}')) { $dist.Replace('{version}', $version) } else { $dist.TrimEnd('/', '\') + "/$version" }
  function Fetch([string]$from, [string]$to) {
    try {
      if ($from -match '^https?://') {
        [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12
        Invoke-WebRequest -UseBasicParsing -Uri $from -OutFile $to
      } else {
        $path = if ($from -match '^file:') { ([Uri]$from).LocalPath } else { $from }
        Copy-Item -LiteralPath $path -Destination $to
      }
    } catch {
      Fail "cannot fetch ${from}: $($_.Exception.Message)"
    }
  }
  New-Item -ItemType Directory -Force -Path $dir | Out-Null
  $tmp = Join-Path $root "$version\.install-$([guid]::NewGuid())"
  New-Item -ItemType Directory -Path $tmp | Out-Null
  try {
    $sums = "$base/SHA256SUMS"
    $archive = "$name.zip"
    $zip = Join-Path $tmp $archive
    Fetch $sums (Join-Path $tmp 'SHA256SUMS')
    Fetch "$base/$archive" $zip
    $want = ''
    foreach ($line in Get-Content -LiteralPath (Join-Path $tmp 'SHA256SUMS')) {
      $fields = $line.Trim() -split '\s+', 2
      if ($fields.Count -eq 2 -and ($fields[1] -replace '^\*?(\./)?', '') -eq $archive) { $want = $fields[0].ToLower() }
    }
    if (-not $want) { Fail "$archive is not listed in ${sums}: publish the archives and SHA256SUMS of one make dist together" }
    $got = (Get-FileHash -Algorithm SHA256 -LiteralPath $zip).Hash.ToLower()
    if ($got -ne $want) {
      Fail "$base/$archive does not match SHA256SUMS (sha256 $got, listed $want): not installed; publish the archives and SHA256SUMS of one make dist together"
    }
    Expand-Archive -LiteralPath $zip -DestinationPath $tmp -Force
    $exe = Join-Path $tmp "$name\$exeName"
    if (-not (Test-Path -LiteralPath $exe -PathType Leaf)) { Fail "$base/$archive holds no $name\${exeName}: publish the archives of make dist as they are" }
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
    Write-Host "dxsteps: installed dxsteps $version (windows-$arch) from $base into $dir"
  } finally {
    Remove-Item -LiteralPath $tmp -Recurse -Force -ErrorAction SilentlyContinue
  }
  return (Join-Path $dir $exeName)
}
$exe = Ready

# Readies the dxsteps binary on a Unix agent, in the same sh step that then runs it: the library
# puts it after lines that set version, binary, given_home, given_dist, step and error_file, and
# before the line that runs "$dxsteps_bin". See src/io/dxsteps/Installer.groovy.
# dxsteps_ready sets dxsteps_bin to the binary's path, or writes the reason to error_file as
# {"category":"setup","message":...} and exits 127: nothing runs. It runs under sh -e (as Jenkins
# runs it, after set +x) but does not rely on it: every expected failure goes through fail.
fail() {
  why=$(printf '%s' "$*" | tr '\r\n\t' '   ' | sed 's/\\/\\\\/g; s/"/\\"/g')
  printf '{"category":"setup","message":"%s"}\n' "$why" >"$error_file" || printf '%s: %s\n' "$step" "$*" >&2
  exit 127
}
oneline() { tr '\r\n' '  ' | sed 's/  *$//'; }
# version_of BIN: the last word of the first line BIN --version prints.
version_of() { "$1" --version 2>&1 </dev/null | awk 'NR == 1 { print $NF }'; }
# check BIN WHERE: BIN is of the library's version, or a development build (warned about).
check() {
  got=$(version_of "$1")
  if [ "$got" = "$version" ]; then return 0; fi
  if [ "$got" = dev ]; then
    printf '%s: warning: %s\n' "$step" "$1 is a development build (version dev), not dxsteps $version: using it as it is" >&2
    return 0
  fi
  fail "$1 is dxsteps ${got:-of no known version} but this library is dxsteps $version: $2"
}
dxsteps_ready() {
  home=${given_home:-${DXSTEPS_HOME:-}}
  dist=${given_dist:-${DXSTEPS_DIST_URL:-}}
  if [ -n "$home" ]; then
    bin="${home%/}/$binary"
    [ -x "$bin" ] || fail "$binary not found in $home (dxstepsHome or DXSTEPS_HOME): put the dxsteps $version binaries there, or unset it and set DXSTEPS_DIST_URL so the library installs them"
    check "$bin" "put the dxsteps $version binaries in $home, or unset dxstepsHome and DXSTEPS_HOME so the library installs its own from DXSTEPS_DIST_URL, or load the library at the version of these binaries"
    dxsteps_bin=$bin
    return 0
  fi
  if [ -z "$dist" ]; then
    bin=$(command -v "$binary" 2>/dev/null) || fail "$binary not found: set DXSTEPS_DIST_URL (where make dist archives are published) so the library installs the binaries, or set DXSTEPS_HOME, or put the binaries on PATH"
    check "$bin" "put the dxsteps $version binaries first on PATH, or set DXSTEPS_DIST_URL so the library installs its own"
    dxsteps_bin=$bin
    return 0
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
    dxsteps_bin="$home/$binary"
    return 0
  fi
  case $dist in
    *'{version}'*) base=$(printf '%s\n' "$dist" | sed "s/{version}/$version/g") ;;
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
  want=$(awk -v f="$archive" '{ n = $2; sub(/^\*/, "", n); sub(/^\.\//, "", n) } n == f { print tolower($1) }' "$tmp/SHA256SUMS")
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
  if ! { printf '%s\n' "$version" >"$tmp/.version" && mv -f "$tmp/.version" "$home/.version"; }; then
    fail "cannot write $home/.version"
  fi
  echo "dxsteps: installed dxsteps $version ($os-$arch) from $base into $home" >&2
  rm -rf "$tmp"
  trap - EXIT
  dxsteps_bin="$home/$binary"
}
dxsteps_ready

#!/bin/sh
# Installs the rampa binary from a GitHub release, verified against the release's SHA256SUMS.
#
#   curl -fsSL https://github.com/rampa-dev/rampa/releases/latest/download/install.sh | sh
#   sh install.sh --version v0.2.0 --prefix /usr/local
#
# Options (environment variables in brackets):
#   --version <v>   release to install, e.g. v0.2.0 or 0.2.0 [RAMPA_VERSION]; default: latest
#   --prefix <dir>  install to <dir>/bin/rampa [RAMPA_PREFIX]; default: $HOME/.local
#   -h, --help      this help
# For tests and mirrors:
#   RAMPA_DOWNLOAD_BASE  releases base URL (default https://github.com/rampa-dev/rampa/releases);
#                        files are fetched from <base>/latest/download/<file> or
#                        <base>/download/v<version>/<file>, GitHub's layout
#   RAMPA_DOWNLOADER     curl or wget (default: curl if present, else wget)
#   RAMPA_UNAME_S, RAMPA_UNAME_M  stand in for `uname -s` and `uname -m`
#
# The archive is downloaded to a temporary directory and checked before anything is written
# under the prefix; a checksum mismatch or any other failure leaves nothing installed.
set -eu

REPO="rampa-dev/rampa"
base="${RAMPA_DOWNLOAD_BASE:-https://github.com/$REPO/releases}"
base="${base%/}"
version="${RAMPA_VERSION:-latest}"
prefix="${RAMPA_PREFIX:-${HOME:-}/.local}"

say() { printf 'rampa install: %s\n' "$*" >&2; }
die() {
  say "error: $*"
  exit 1
}

usage() {
  cat <<'EOF'
usage: install.sh [--version v0.2.0] [--prefix DIR]

Installs rampa to DIR/bin/rampa (default DIR: $HOME/.local), verified against the release's
SHA256SUMS. Without --version (or RAMPA_VERSION) the latest release is installed.
Environment: RAMPA_VERSION, RAMPA_PREFIX, RAMPA_DOWNLOAD_BASE, RAMPA_DOWNLOADER (curl|wget),
RAMPA_UNAME_S, RAMPA_UNAME_M.
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --version)
      [ $# -ge 2 ] || die "--version needs a value, e.g. --version v0.2.0"
      version="$2"
      shift 2
      ;;
    --version=*)
      version="${1#*=}"
      shift
      ;;
    --prefix)
      [ $# -ge 2 ] || die "--prefix needs a directory"
      prefix="$2"
      shift 2
      ;;
    --prefix=*)
      prefix="${1#*=}"
      shift
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) die "unknown option \"$1\" (expected --version, --prefix or --help)" ;;
  esac
done

[ -n "$version" ] || version=latest
[ -n "$prefix" ] || die "no install prefix: set HOME, RAMPA_PREFIX or --prefix"

# --- platform -> target triple -------------------------------------------------------------
os="${RAMPA_UNAME_S:-$(uname -s)}"
arch="${RAMPA_UNAME_M:-$(uname -m)}"

case "$arch" in
  x86_64 | amd64 | x64) cpu=x86_64 ;;
  aarch64 | arm64 | armv8*) cpu=aarch64 ;;
  *) cpu="" ;;
esac
# A shell under Rosetta 2 reports x86_64 on Apple silicon: prefer the native binary.
if [ -z "${RAMPA_UNAME_M:-}" ] && [ "$os" = Darwin ] && [ "$cpu" = x86_64 ] &&
  [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || echo 0)" = 1 ]; then
  cpu=aarch64
fi

ext=tar.gz
exe=rampa
case "$os" in
  Linux) sys=unknown-linux-gnu ;;
  Darwin) sys=apple-darwin ;;
  MINGW* | MSYS* | CYGWIN* | Windows_NT)
    sys=pc-windows-msvc
    ext=zip
    exe=rampa.exe
    ;;
  *) sys="" ;;
esac

target=""
if [ -n "$cpu" ] && [ -n "$sys" ]; then target="$cpu-$sys"; fi
case "$target" in
  x86_64-unknown-linux-gnu | aarch64-unknown-linux-gnu | x86_64-apple-darwin | \
    aarch64-apple-darwin | x86_64-pc-windows-msvc) ;;
  *)
    die "unsupported platform: $os $arch (release binaries exist for Linux x86_64/aarch64," \
      "macOS x86_64/arm64 and Windows x86_64); use the container image or build from source"
    ;;
esac
if [ "$sys" = unknown-linux-gnu ] && [ -z "${RAMPA_UNAME_S:-}" ] &&
  ls /lib/ld-musl-* >/dev/null 2>&1 && ! ls /lib*/ld-linux* >/dev/null 2>&1; then
  die "unsupported platform: $os $arch with musl libc (the binaries need glibc);" \
    "use the container image or build from source"
fi

# --- tools -------------------------------------------------------------------------------
downloader="${RAMPA_DOWNLOADER:-}"
if [ -z "$downloader" ]; then
  if command -v curl >/dev/null 2>&1; then
    downloader=curl
  elif command -v wget >/dev/null 2>&1; then
    downloader=wget
  else
    die "neither curl nor wget found: install one of them"
  fi
fi
case "$downloader" in
  curl | wget) command -v "$downloader" >/dev/null 2>&1 || die "$downloader not found" ;;
  *) die "RAMPA_DOWNLOADER must be curl or wget, not \"$downloader\"" ;;
esac

if command -v sha256sum >/dev/null 2>&1; then
  sha256() { sha256sum "$1" | cut -d ' ' -f 1; }
elif command -v shasum >/dev/null 2>&1; then
  sha256() { shasum -a 256 "$1" | cut -d ' ' -f 1; }
else
  die "neither sha256sum nor shasum found: cannot verify the download, so nothing was installed"
fi

if [ "$ext" = zip ]; then
  command -v unzip >/dev/null 2>&1 || die "unzip not found: it is needed to unpack $ext archives"
else
  command -v tar >/dev/null 2>&1 || die "tar not found"
fi

# download URL FILE
download() {
  if [ "$downloader" = curl ]; then
    curl -fsSL --retry 3 -o "$2" "$1"
  else
    wget -q -O "$2" "$1"
  fi
}

# --- download and verify -------------------------------------------------------------------
case "$version" in
  latest) url="$base/latest/download" ;;
  v*) url="$base/download/$version" ;;
  *) url="$base/download/v$version" ;;
esac

tmp="$(mktemp -d 2>/dev/null || mktemp -d -t rampa-install)"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

download "$url/SHA256SUMS" "$tmp/SHA256SUMS" ||
  die "cannot download $url/SHA256SUMS (is \"$version\" a released version?)"

# The latest release's archive name carries its version: read it from SHA256SUMS.
# Lines are "<sha256>  <file>" ("*<file>" in binary mode).
line="$(awk -v t="-$target.$ext" '{ f = $2; sub(/^\*/, "", f) }
  f ~ /^rampa-/ && substr(f, length(f) - length(t) + 1) == t { print $1, f; exit }' \
  "$tmp/SHA256SUMS")"
[ -n "$line" ] || die "the release has no archive for $target (checked $url/SHA256SUMS)"
want="${line%% *}"
file="${line#* }"
case "$file" in
  */* | *..*) die "unexpected file name \"$file\" in SHA256SUMS" ;;
esac
release="${file#rampa-}"
release="${release%"-$target.$ext"}"

say "downloading rampa $release for $target"
download "$url/$file" "$tmp/$file" || die "cannot download $url/$file"

got="$(sha256 "$tmp/$file")"
if [ "$got" != "$want" ]; then
  die "checksum mismatch for $file: expected $want, got $got; nothing was installed"
fi

mkdir "$tmp/x"
if [ "$ext" = zip ]; then
  unzip -q "$tmp/$file" -d "$tmp/x" || die "cannot unpack $file"
else
  tar -xzf "$tmp/$file" -C "$tmp/x" || die "cannot unpack $file"
fi
[ -f "$tmp/x/$exe" ] || die "$file does not contain $exe"
chmod 755 "$tmp/x/$exe"

# --- install -------------------------------------------------------------------------------
bindir="$prefix/bin"
mkdir -p "$bindir" || die "cannot create $bindir"
# Copy next to the destination, then rename: a running rampa is never half overwritten.
cp "$tmp/x/$exe" "$bindir/.$exe.tmp.$$" || die "cannot write to $bindir"
mv -f "$bindir/.$exe.tmp.$$" "$bindir/$exe" || {
  rm -f "$bindir/.$exe.tmp.$$"
  die "cannot write $bindir/$exe"
}

say "installed rampa $release to $bindir/$exe"
case ":${PATH:-}:" in
  *":$bindir:"*) ;;
  *) say "$bindir is not on your PATH; add it, e.g.: export PATH=\"$bindir:\$PATH\"" ;;
esac

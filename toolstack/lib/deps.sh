# SPDX-License-Identifier: MIT
# Sourced by the README commands: install the Debian packages Cloison needs
# when they are missing (only Debian's registry), then configure and build.

CLOISON_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CLOISON_BUILD=${CLOISON_BUILD:-$CLOISON_ROOT/build}

# command-or-file : package
CLOISON_DEPS=(
  "qemu-system-aarch64:qemu-system-arm"
  "aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu"
  "aarch64-linux-gnu-ld:binutils-aarch64-linux-gnu"
  "meson:meson"
  "ninja:ninja-build"
  "dtc:device-tree-compiler"
  "python3:python3"
  "cc:gcc"
  "clang:clang"
  "/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a:libclang-rt-14-dev"
  "gcovr:gcovr"
  "/usr/lib/picolibc/aarch64-linux-gnu/picolibc.specs:picolibc-aarch64-linux-gnu"
  "gdb-multiarch:gdb-multiarch"
  "dot:graphviz"     # the audit report's graph (cloison audit --html)
  "chromium:chromium"  # the tests check the audit report in a headless browser
  "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:fonts-dejavu-core"  # text in its screenshots and PDFs
  "ab:apache2-utils"  # Apache Bench against the web guests (network tests, the README)
)

cloison_install_deps() {
  local missing=() entry what pkg
  for entry in "${CLOISON_DEPS[@]}"; do
    what=${entry%%:*}
    pkg=${entry##*:}
    if [[ $what == /* ]]; then
      [[ -e $what ]] || missing+=("$pkg")
    else
      command -v "$what" >/dev/null 2>&1 || missing+=("$pkg")
    fi
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  echo "cloison: installing missing Debian packages: ${missing[*]}" >&2
  if [[ $(id -u) -ne 0 ]]; then
    echo "cloison: run as root (or install them yourself): apt-get install ${missing[*]}" >&2
    return 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# Configure build/ if needed, then build the ninja targets named (paths
# relative to the build directory, e.g. toolstack/cloison-default.elf), or
# everything (the cross build, native unit tests, fuzzers, benchmarks) when
# none is named.
cloison_build() {
  cloison_fetch_lwip || return 1
  if [[ ! -f $CLOISON_BUILD/build.ninja ]]; then
    echo "cloison: configuring $CLOISON_BUILD (meson setup, once)" >&2
    meson setup "$CLOISON_BUILD" "$CLOISON_ROOT" -Dlwip_dir="$CLOISON_LWIP_DIR" \
      --cross-file "$CLOISON_ROOT/toolstack/cross/aarch64-linux-gnu.ini" >&2 || return 1
  elif ! grep -qF "\"$CLOISON_LWIP_DIR\"" "$CLOISON_BUILD/meson-info/intro-buildoptions.json" 2>/dev/null; then
    # A build directory configured before lwIP (or with another cache):
    # --reconfigure, since `meson configure` refuses an option it has not
    # read yet.
    meson setup --reconfigure "$CLOISON_BUILD" "$CLOISON_ROOT" -Dlwip_dir="$CLOISON_LWIP_DIR" >&2 ||
      return 1
  fi
  local todo
  todo=$(ninja -C "$CLOISON_BUILD" -n "$@" 2>/dev/null | grep -c '^\[' || true)
  if [[ $todo -gt 0 ]]; then
    echo "cloison: building ${*:-everything} in $CLOISON_BUILD: $todo steps" \
      "(ninja; a first build of everything takes minutes)" >&2
  fi
  ninja -C "$CLOISON_BUILD" "$@" >&2
}

# The stock Debian 12 kernel and busybox for Linux guests (docs/linux-guests.md).
# Called only when a Linux guest is needed (the tests that boot one, a system
# with a Linux guest). Private apt lists under the cache directory: the
# machine's apt configuration and architectures are not touched. Every .deb
# is checked against toolstack/lib/linux-guest.pins before use and never
# modified; the kernel Image and the initramfs are derived from them into
# $CLOISON_BUILD/linux-guest (toolstack/cloison/guest/fetch.py).
CLOISON_CACHE=${CLOISON_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cloison}

cloison_fetch_linux_guest() {
  local pins=$CLOISON_ROOT/toolstack/lib/linux-guest.pins
  local apt_dir=$CLOISON_CACHE/apt debs=$CLOISON_CACHE/debs
  local apt_opts=(-o APT::Architecture=arm64 -o APT::Architectures=arm64
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
    -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
  local meta pkg ver sum file resolved need_update=0 found=()
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$debs"
  while read -r meta pkg ver sum; do
    [[ -z $meta || $meta == \#* ]] && continue
    file=$debs/${pkg}_${ver/:/%3a}_arm64.deb
    if [[ ! -f $file ]]; then
      if [[ $need_update == 0 ]]; then
        echo "cloison: fetching the Linux guest packages (private apt lists in $apt_dir)" >&2
        apt-get "${apt_opts[@]}" -qq update >&2 || return 1
        need_update=1
      fi
      if [[ $meta != - ]]; then
        resolved=$(apt-cache "${apt_opts[@]}" depends "$meta" |
          awk '/Depends: linux-image-/ { print $2; exit }')
        if [[ $resolved != "$pkg" ]]; then
          echo "cloison: $meta now depends on '$resolved', pinned: $pkg ($pins)" >&2
          return 1
        fi
      fi
      (cd "$debs" && apt-get "${apt_opts[@]}" -qq download "$pkg=$ver" >&2) || return 1
    fi
    if ! echo "$sum  $file" | sha256sum --quiet -c - >&2; then
      echo "cloison: $file does not match its pinned SHA-256 ($pins)" >&2
      return 1
    fi
    found+=("$file")
  done <"$pins"
  PYTHONPATH=$CLOISON_ROOT/toolstack python3 -m cloison.guest.fetch \
    --out "$CLOISON_BUILD/linux-guest" "${found[@]}" >&2
}

# lwIP, the TCP/IP stack of the network guests (docs/net-guests.md): Debian
# 12's source package `lwip`, its upstream tarball exactly as Debian ships it
# (the Debian patches touch PPP and the Unix port, which are not built),
# fetched with apt-get source through private lists (deb-src of the same
# mirror the machine uses), checked against the pin below and never
# modified; unpacked into the cache once. Meson builds the parts the guests
# use (domains/lib/lwip/meson.build). Every build needs it, so cloison_build
# calls this; it downloads only when the cache lacks the pinned tarball.
CLOISON_LWIP_SRC_VERSION=2.1.3+dfsg1-2
CLOISON_LWIP_TARBALL=lwip_2.1.3+dfsg1.orig.tar.xz
CLOISON_LWIP_SHA256=0a8276d09fc4e97bbba2f953d74af2388fc2195ea156be9d7589e297a68fde24
CLOISON_LWIP_DIR=$CLOISON_CACHE/lwip-${CLOISON_LWIP_SHA256:0:16}/lwip-2.1.3

cloison_fetch_lwip() {
  local top=${CLOISON_LWIP_DIR%/*} srcs=$CLOISON_CACHE/src apt_dir=$CLOISON_CACHE/apt-src
  local file=$CLOISON_CACHE/src/$CLOISON_LWIP_TARBALL tmp
  [[ -f $top/.complete ]] && return 0
  mkdir -p "$srcs"
  if [[ ! -f $file ]]; then
    echo "cloison: fetching lwIP's Debian source ($CLOISON_LWIP_SRC_VERSION; private apt lists in $apt_dir)" >&2
    mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
    local mirror
    mirror=$(grep -rhoE 'https?://deb\.debian\.org/debian/?' /etc/apt/sources.list /etc/apt/sources.list.d 2>/dev/null | head -1)
    echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${mirror:-http://deb.debian.org/debian} bookworm main" \
      >"$apt_dir/sources.list"
    local apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/nonexistent
      -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
      -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
    apt-get "${apt_opts[@]}" -qq update >&2 || return 1
    tmp=$(mktemp -d "$srcs/.fetch.XXXXXX")
    # The pinned Debian revision, or, once a stable update replaced it,
    # the current one: the upstream tarball (and its pin) stays the same.
    (cd "$tmp" && { apt-get "${apt_opts[@]}" -qq source --download-only \
        "lwip=$CLOISON_LWIP_SRC_VERSION" >&2 ||
      apt-get "${apt_opts[@]}" -qq source --download-only lwip >&2; }) || {
      rm -rf "$tmp"; return 1; }
    if [[ ! -f $tmp/$CLOISON_LWIP_TARBALL ]]; then
      echo "cloison: Debian's lwip source no longer ships $CLOISON_LWIP_TARBALL" \
        "(toolstack/lib/deps.sh pins it)" >&2
      rm -rf "$tmp"; return 1
    fi
    mv "$tmp/$CLOISON_LWIP_TARBALL" "$file" && rm -rf "$tmp"
  fi
  if ! echo "$CLOISON_LWIP_SHA256  $file" | sha256sum --quiet -c - >&2; then
    echo "cloison: $file does not match its pinned SHA-256 (toolstack/lib/deps.sh)" >&2
    return 1
  fi
  rm -rf "$top" && mkdir -p "$top" && tar -xJf "$file" -C "$top" && [[ -d $CLOISON_LWIP_DIR/src/core ]] &&
    touch "$top/.complete"
}

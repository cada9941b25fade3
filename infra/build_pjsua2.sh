#!/usr/bin/env bash
# Build pjsua2 (pjproject + SWIG Python binding) from source with PBX-sized limits and
# install it into a venv. The PyPI wheels are compiled with PJSUA_MAX_CALLS=4 (see
# shared/PITFALLS.md), so ProBox builds its own. The build is cached outside the repo,
# keyed by the source tarball, this script and the Python version, so it runs once per machine.
#
# usage: infra/build_pjsua2.sh <venv-python>
set -euo pipefail
PY=${1:?usage: build_pjsua2.sh <venv-python>}
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE_ROOT=${PROBOX_CACHE:-/var/cache/probox}
JOBS=${JOBS:-$(nproc)}
mkdir -p "$CACHE_ROOT"
# configure writes into /dev/null; on a machine where it became a regular file the build
# fails with shell garbage in config.status, so say so plainly.
[ -c /dev/null ] || { echo "build_pjsua2: /dev/null is not a character device (as root: rm /dev/null; mknod -m 666 /dev/null c 1 3)" >&2; exit 1; }

pyver=$("$PY" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
site=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')

# 1. The source: Debian sid's asterisk source package bundles a recent pjproject.
SRC_DIR=$CACHE_ROOT/src
mkdir -p "$SRC_DIR"
tarball=$(ls "$SRC_DIR"/asterisk_*.orig-*pjproject.tar.* 2>/dev/null | head -n1 || true)
if [ -z "$tarball" ]; then
  APT=$CACHE_ROOT/apt
  mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial"
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main" > "$APT/sources.list"
  aptopts=(-o "Dir::Etc::sourcelist=$APT/sources.list" -o "Dir::Etc::sourceparts=-"
           -o "Dir::State::Lists=$APT/lists" -o "Dir::Cache=$APT/cache"
           -o "APT::Get::List-Cleanup=0")
  apt-get "${aptopts[@]}" update -qq
  (cd "$SRC_DIR" && apt-get "${aptopts[@]}" source --download-only -qq asterisk)
  tarball=$(ls "$SRC_DIR"/asterisk_*.orig-*pjproject.tar.* | head -n1)
fi
src_sum=$(sha256sum "$tarball" | cut -c1-16)
script_sum=$(cat "$0" "$HERE"/pjproject/*.patch | sha256sum | cut -c1-12)
KEY="pj-$src_sum-$script_sum-py$pyver-$(uname -m)"
OUT=$CACHE_ROOT/$KEY

# Already installed in this venv, from this source, script and patches?
if [ "$(cat "$site/.probox_pjsua2_key" 2>/dev/null)" = "$KEY" ] && "$PY" -c 'import pjsua2' 2>/dev/null; then
  exit 0
fi

# 2. Build once per key.
if [ ! -f "$OUT/ok" ]; then
  BUILD=$CACHE_ROOT/build-$KEY
  rm -rf "$BUILD"; mkdir -p "$BUILD"
  tar -C "$BUILD" -xf "$tarball"
  PJ=$(find "$BUILD" -maxdepth 2 -name configure -path '*pjproject*' -printf '%h\n' | head -n1)
  [ -n "$PJ" ] || { echo "build_pjsua2: no pjproject in $tarball" >&2; exit 1; }
  cat > "$PJ/pjlib/include/pj/config_site.h" <<'H'
/* ProBox: sized for a B2BUA media worker, not a phone. */
#define PJ_IOQUEUE_MAX_HANDLES      8192
#define PJSUA_MAX_CALLS             1024
#define PJSUA_MAX_ACC               64
#define PJSUA_MAX_PLAYERS           256
#define PJSUA_MAX_RECORDERS         2048
#define PJSUA_MAX_CONF_PORTS        4096
#define PJSIP_MAX_TSX_COUNT         (16*1024-1)
#define PJSIP_MAX_DIALOG_COUNT      (16*1024-1)
#define PJ_LOG_MAX_LEVEL            5
#define PJMEDIA_HAS_VIDEO           0
#define PJ_DEBUG                    0
/* One media thread reads ~50k RTP packets/s: more events per epoll_wait, and keep the
 * read interest set between packets (patch below) instead of two epoll_ctl per packet. */
#define PJ_IOQUEUE_MAX_EVENTS_IN_SINGLE_POLL 64
#define PROBOX_IOQUEUE_LAZY_READ_UNSET 1
/* The bridge clock sleeps to the tick, not to the millisecond before it (patch below). */
#define PROBOX_CLOCK_USEC_SLEEP     1
/* Recorders write 1 s of audio per write() instead of 125 ms (16k syscalls/s at 1,000
 * calls otherwise, on the bridge clock's thread); 32 KB per recorder. */
#define PJMEDIA_FILE_PORT_BUFSIZE   32000
H
  for p in "$HERE"/pjproject/*.patch; do
    patch -d "$PJ" -p1 -s <"$p" || { echo "build_pjsua2: $p does not apply" >&2; exit 1; }
  done
  (cd "$PJ" && ./configure -q --disable-shared --disable-sound --disable-video --enable-epoll \
      --with-external-srtp --with-external-gsm --with-external-speex \
      --disable-ilbc-codec --disable-g7221-codec --enable-speex-resample \
      --disable-opencore-amr --disable-silk --disable-opus --disable-bcg729 \
      --disable-libyuv --disable-libwebrtc --disable-sdl --disable-ffmpeg --disable-v4l2 \
      --disable-openh264 --disable-upnp CFLAGS="-O3 -fPIC" >"$BUILD/configure.log" 2>&1)
  # Debian's repack strips the bdimad sound device sources.
  sed -i 's/ bdimad_dev\.o//' "$PJ/pjmedia/build/Makefile"
  (cd "$PJ" && make dep >"$BUILD/dep.log" 2>&1 && make -j"$JOBS" lib >"$BUILD/make.log" 2>&1) \
    || { tail -n 40 "$BUILD/make.log" >&2; exit 1; }
  (cd "$PJ/pjsip-apps/src/swig/python" && make PYTHON_EXE="$PY" >"$BUILD/swig.log" 2>&1) \
    || { tail -n 40 "$BUILD/swig.log" >&2; exit 1; }
  mkdir -p "$OUT.tmp"
  cp "$PJ"/pjsip-apps/src/swig/python/build/lib.*/_pjsua2*.so "$OUT.tmp/"
  cp "$PJ"/pjsip-apps/src/swig/python/pjsua2.py "$OUT.tmp/"
  touch "$OUT.tmp/ok"
  rm -rf "$OUT"; mv "$OUT.tmp" "$OUT"
  rm -rf "$BUILD"
fi

# 3. Install into the venv.
cp "$OUT"/_pjsua2*.so "$OUT"/pjsua2.py "$site/"
echo "$KEY" > "$site/.probox_pjsua2_key"
"$PY" -c 'import pjsua2' && echo "build_pjsua2: installed $KEY" >&2

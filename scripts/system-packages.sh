#!/usr/bin/env bash
# The Debian packages the hall needs beyond Python, installed where they are missing:
#   espeak-ng           the voice: every call spoken in Mandarin (hardware/voice), offline
#   alsa-utils          aplay, which plays the calls where the machine has a sound card
#   fonts-wqy-microhei  a CJK font: tickets printed as images and their PNG previews, and Chinese
#                       on the TV board and the browser kiosk (hardware/printer/fonts.py)
#   chromium, sox       for the tests: headless Chromium drives the web pages, sox measures audio
#
#   bash scripts/system-packages.sh demo   what `make demo` needs (the first three)
#   bash scripts/system-packages.sh        what `make test` needs (all of them)
#
# As root, apt-get installs what is missing; otherwise the command to run is printed and this
# goes on: what needs a missing package says so (the demo: voice off; a test: skipped, with why).
set -u
need=()
command -v espeak-ng >/dev/null || need+=(espeak-ng)
command -v aplay >/dev/null || need+=(alsa-utils)
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
if [ "${1:-test}" != demo ]; then
  command -v chromium >/dev/null || need+=(chromium)
  command -v sox >/dev/null || need+=(sox)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing system packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq "${need[@]}" >/dev/null \
    || echo "warning: apt-get could not install ${need[*]}; what needs them will say so"
else
  echo "note: missing system packages; install them with: sudo apt-get install ${need[*]}"
fi
exit 0

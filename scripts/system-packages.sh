#!/usr/bin/env bash
# System packages the hall needs beyond Python: espeak-ng (voice), a CJK font (tickets printed
# as images, previews), chromium (browser tests, kiosk mode), sox (measuring audio).
# Installs them where we are root with apt-get; elsewhere says what is missing and goes on:
# the tests that need a missing one are skipped with that reason.
set -u
need=()
command -v espeak-ng >/dev/null || need+=(espeak-ng)
command -v chromium >/dev/null || need+=(chromium)
command -v sox >/dev/null || need+=(sox)
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing system packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq "${need[@]}" >/dev/null \
    || echo "warning: apt-get could not install ${need[*]}; tests needing them will be skipped"
else
  echo "note: missing system packages (${need[*]}); install them with apt-get to run every test"
fi
exit 0

#!/usr/bin/env bash
# Makes sure a Chromium-family browser and CJK fonts are present (rule: README, first section).
# Order: Playwright's own Chromium, an installed Chrome/Edge, /usr/bin/chromium.
# With none found and running as root, installs Debian's chromium and fonts-noto-cjk with apt.
set -euo pipefail
cd "$(dirname "$0")/.."
found=$(.venv/bin/python -m robot.session.browser_path 2>/dev/null || true)
need_fonts=0
if command -v fc-list >/dev/null 2>&1; then
  fc-list :lang=zh 2>/dev/null | grep -q . || need_fonts=1
else
  need_fonts=1
fi
if [ -n "$found" ] && [ "$need_fonts" = 0 ]; then
  echo "browser: $found"
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  pkgs=""
  [ -z "$found" ] && pkgs="chromium"
  [ "$need_fonts" = 1 ] && pkgs="$pkgs fonts-noto-cjk"
  echo "installing with apt:$pkgs"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs >/dev/null
  found=$(.venv/bin/python -m robot.session.browser_path)
  echo "browser: $found"
elif [ -z "$found" ]; then
  echo "No Chromium, Chrome or Edge found. Install one (Debian: apt-get install chromium fonts-noto-cjk)." >&2
  exit 1
else
  echo "browser: $found (CJK fonts missing: install fonts-noto-cjk for readable screenshots)"
fi

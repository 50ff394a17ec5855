#!/usr/bin/env bash
# Re-vendors the mock portal's front-end libraries at the exact versions of
# mock_portal/static/vendor/package.json (and its package-lock.json): installs them with npm into a
# temporary folder and copies only the dist files the pages load, with each library's licence.
# Only maintainers run this (to change a version); set-up never needs npm: the copies are committed.
set -euo pipefail
cd "$(dirname "$0")/.."
vendor=mock_portal/static/vendor
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$vendor/package.json" "$work/"
if [ -f "$vendor/package-lock.json" ]; then cp "$vendor/package-lock.json" "$work/"; fi
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund 2>/dev/null || npm install --ignore-scripts --no-audit --no-fund --save-exact)
# no registry addresses in the repository: the lock keeps versions and integrity hashes only
sed '/"resolved":/d' "$work/package-lock.json" > "$vendor/package-lock.json"
nm="$work/node_modules"

rm -rf "$vendor/jquery" "$vendor/bootstrap" "$vendor/bootstrap-table" "$vendor/layui"
mkdir -p "$vendor/jquery" "$vendor/bootstrap/css" "$vendor/bootstrap/js" "$vendor/bootstrap/fonts" \
  "$vendor/bootstrap-table/locale" "$vendor/layui/css" "$vendor/layui/font"

cp "$nm/jquery/dist/jquery.min.js" "$nm/jquery/LICENSE.txt" "$vendor/jquery/"

cp "$nm/bootstrap/dist/css/bootstrap.min.css" "$vendor/bootstrap/css/"
cp "$nm/bootstrap/dist/js/bootstrap.min.js" "$vendor/bootstrap/js/"
cp "$nm/bootstrap/dist/fonts/"glyphicons-halflings-regular.* "$vendor/bootstrap/fonts/"
cp "$nm/bootstrap/LICENSE" "$vendor/bootstrap/"

cp "$nm/bootstrap-table/dist/bootstrap-table.min.js" "$nm/bootstrap-table/dist/bootstrap-table.min.css" \
  "$nm/bootstrap-table/LICENSE" "$vendor/bootstrap-table/"
cp "$nm/bootstrap-table/dist/locale/bootstrap-table-zh-CN.min.js" "$vendor/bootstrap-table/locale/"

cp "$nm/layui/dist/layui.js" "$nm/layui/LICENSE" "$vendor/layui/"
cp "$nm/layui/dist/css/layui.css" "$vendor/layui/css/"
cp "$nm/layui/dist/font/"iconfont.* "$vendor/layui/font/"

for lib in jquery bootstrap bootstrap-table layui; do
  printf '%-16s %s\n' "$lib" "$(node -p "require('$nm/$lib/package.json').version")"
done

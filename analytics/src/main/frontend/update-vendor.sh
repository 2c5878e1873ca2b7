#!/usr/bin/env bash
# Re-fetches the dashboard's charting library from the npm registry at exactly the pinned version,
# checks the sha256 of every file taken from it, and copies them into the jar's resources. Run it
# after changing the version (and the sums below, from a fetch you reviewed). The page loads these
# files from the app itself: no CDN, so the dashboard works offline.
#
#   analytics/src/main/frontend/update-vendor.sh
set -euo pipefail

PACKAGE=uplot
VERSION=1.6.32
DEST="$(cd "$(dirname "$0")/../resources/dashboard" && pwd)"
declare -A SHA256=(
  [dist/uPlot.iife.min.js]=19c8d4c6ad88929a79f4ae49d6f7161566dfd0ba3d15cc495e974f787eb78f1f
  [dist/uPlot.min.css]=df630c6a8d6f8eeaff264b50f73ce5b114f646ffd9a0bb74f049b0a00135fa04
  [LICENSE]=8f989229699b4fe2f1a0432d0e9edc338a8a911e250e2d1b01ecd770a5f5b1bd
)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null && tar xzf "$PACKAGE-$VERSION.tgz")

for file in "${!SHA256[@]}"; do
  got="$(sha256sum "$work/package/$file" | cut -d' ' -f1)"
  if [[ "$got" != "${SHA256[$file]}" ]]; then
    echo "update-vendor: $PACKAGE@$VERSION $file has sha256 $got, expected ${SHA256[$file]}" >&2
    exit 1
  fi
done

cp "$work/package/dist/uPlot.iife.min.js" "$DEST/uPlot.iife.min.js"
cp "$work/package/dist/uPlot.min.css" "$DEST/uPlot.min.css"
cp "$work/package/LICENSE" "$DEST/uPlot.LICENSE"
echo "update-vendor: $PACKAGE@$VERSION copied to $DEST (sha256 checked)"

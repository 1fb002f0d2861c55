#!/usr/bin/env bash
# Make dist/Curator-VERSION-ARCH.dmg from dist/Curator.app with hdiutil.
# Signs with a Developer ID and notarizes when the credentials are in the environment:
#   MACOS_SIGN_IDENTITY   "Developer ID Application: Name (TEAMID)"
#   MACOS_NOTARY_APPLE_ID, MACOS_NOTARY_TEAM_ID, MACOS_NOTARY_PASSWORD (an app-specific password)
# Without them the .dmg is built unsigned, and the script says so.
set -euo pipefail
app=${1:?usage: build_dmg.sh path/to/Curator.app VERSION}
version=${2:?usage: build_dmg.sh path/to/Curator.app VERSION}
here=$(cd "$(dirname "$0")" && pwd)
dist=$(cd "$(dirname "$app")" && pwd)
dmg="$dist/Curator-$version-$(uname -m).dmg"

if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
  # sign inside out: libraries and plugins first, then the app, with the hardened runtime
  find "$app/Contents" -type f \( -name '*.so' -o -name '*.dylib' -o -perm -u+x \) -print0 |
    xargs -0 -n 20 codesign --force --timestamp --options runtime --sign "$MACOS_SIGN_IDENTITY"
  codesign --force --timestamp --options runtime --entitlements "$here/entitlements.plist" \
    --sign "$MACOS_SIGN_IDENTITY" "$app"
  codesign --verify --deep --strict --verbose=2 "$app"
else
  echo "MACOS_SIGN_IDENTITY not set: building an unsigned .dmg (Gatekeeper will warn users)"
fi

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
rm -f "$dmg"
hdiutil create -volname "Curator $version" -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$dmg"

if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
  codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$dmg"
  if [ -n "${MACOS_NOTARY_APPLE_ID:-}" ] && [ -n "${MACOS_NOTARY_TEAM_ID:-}" ] && [ -n "${MACOS_NOTARY_PASSWORD:-}" ]; then
    xcrun notarytool submit "$dmg" --apple-id "$MACOS_NOTARY_APPLE_ID" --team-id "$MACOS_NOTARY_TEAM_ID" \
      --password "$MACOS_NOTARY_PASSWORD" --wait
    xcrun stapler staple "$dmg"
  else
    echo "notarization credentials not set: signed but not notarized"
  fi
fi
echo "built $dmg"

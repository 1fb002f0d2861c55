#!/usr/bin/env bash
# Make dist/Curator-VERSION-ARCH.dmg from dist/Curator.app with hdiutil.
# Signs with a Developer ID and notarizes when the credentials are in the environment:
#   MACOS_SIGN_IDENTITY   "Developer ID Application: Name (TEAMID)"
#   MACOS_NOTARY_APPLE_ID, MACOS_NOTARY_TEAM_ID, MACOS_NOTARY_PASSWORD (an app-specific password)
# Without them the .dmg is built unsigned, and the script says so.
# Never run on a Mac here: test_build_dmg.sh runs it with stand-ins for hdiutil, codesign and xcrun.
set -euo pipefail
app=${1:?usage: build_dmg.sh path/to/Curator.app VERSION}
version=${2:?usage: build_dmg.sh path/to/Curator.app VERSION}
here=$(cd "$(dirname "$0")" && pwd)
dist=$(cd "$(dirname "$app")" && pwd)
dmg="$dist/Curator-$version-$(uname -m).dmg"

sign() { # the hardened runtime (--options runtime) and a secure timestamp, as notarization requires
  codesign --force --timestamp --options runtime --sign "$MACOS_SIGN_IDENTITY" "$@"
}

is_macho() { # Mach-O, thin (64- or 32-bit, either byte order) or universal
  case $(head -c 4 "$1" | od -An -tx1 | tr -d ' \n') in
    cffaedfe | cefaedfe | feedfacf | feedface | cafebabe | bebafeca) return 0 ;;
    *) return 1 ;;
  esac
}

deepest_first() { # paths on stdin, one a line: the most deeply nested first
  awk -F/ '{ print NF "\t" $0 }' | sort -t "$(printf '\t')" -k1,1nr -k2 | cut -f2-
}

if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
  # Inside out, as Apple requires: the code nested deepest is signed first, and each bundle after what it holds.
  # 1. Mach-O files (libraries, Python extensions, Qt plugins) not inside a framework bundle, but the app's own
  #    executable, which step 3 signs with the app's entitlements
  main=$(sed -n '/<key>CFBundleExecutable<\/key>/{n;s/.*<string>\(.*\)<\/string>.*/\1/p;}' "$app/Contents/Info.plist")
  find "$app/Contents" -type f ! -path '*.framework/*' ! -path "$app/Contents/MacOS/${main:?no CFBundleExecutable}" |
    while IFS= read -r file; do if is_macho "$file"; then echo "$file"; fi; done |
    deepest_first | while IFS= read -r file; do sign "$file"; done
  # 2. framework bundles (Qt's) as bundles, never their binaries as loose files
  find "$app/Contents" -type d -name '*.framework' | deepest_first | while IFS= read -r framework; do
    sign "$framework"
  done
  # 3. the app, which seals its main executable, Info.plist and resources, with its entitlements
  sign --entitlements "$here/entitlements.plist" "$app"
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

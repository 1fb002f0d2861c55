#!/usr/bin/env bash
# build_dmg.sh, run here on a stand-in Curator.app with stand-ins for macOS's hdiutil, codesign and xcrun that log
# their calls. Checks the order Apple requires: inside out (each nested library, extension, plugin and framework
# before what holds it; Qt's frameworks as bundles, not their binaries as loose files; the app last, with its
# entitlements), all with the hardened runtime and a timestamp; then the .dmg made, signed, notarized, stapled.
# It proves the calls and their order, not that Apple accepts the result: nothing here has run on a Mac.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
app=$tmp/dist/Curator.app
contents=$app/Contents

macho() { mkdir -p "$(dirname "$1")" && printf '\317\372\355\376 stand-in Mach-O' >"$1" && chmod 755 "$1"; } # 64-bit magic
macho "$contents/MacOS/curator"
macho "$contents/Frameworks/libpython3.11.dylib"
macho "$contents/Frameworks/PySide6/QtCore.abi3.so"
macho "$contents/Frameworks/PySide6/Qt/plugins/platforms/libqcocoa.dylib"
framework=$contents/Frameworks/PySide6/Qt/lib/QtCore.framework
macho "$framework/Versions/A/QtCore"
mkdir -p "$framework/Versions/A/Resources"
echo '<plist/>' >"$framework/Versions/A/Resources/Info.plist"
ln -s A "$framework/Versions/Current"
ln -s Versions/Current/QtCore "$framework/QtCore"
ln -s Versions/Current/Resources "$framework/Resources"
mkdir -p "$contents/Resources"
printf '#!/bin/sh\n' >"$contents/Resources/run.sh" # executable, not Mach-O: not signed
chmod +x "$contents/Resources/run.sh"
cat >"$contents/Info.plist" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict>
  <key>CFBundleExecutable</key>
  <string>curator</string>
</dict></plist>
EOF

mkdir -p "$tmp/bin"
for tool in hdiutil codesign xcrun; do
  cat >"$tmp/bin/$tool" <<EOF
#!/usr/bin/env bash
{ printf '%s' "$tool"; printf ' %q' "\$@"; echo; } >>"$tmp/calls.log"
EOF
  chmod +x "$tmp/bin/$tool"
done

# unsigned: no codesign, no xcrun
PATH=$tmp/bin:$PATH bash "$here/build_dmg.sh" "$app" 9.9.9 >"$tmp/unsigned.out"
grep -q 'building an unsigned .dmg' "$tmp/unsigned.out"
[ "$(cut -d' ' -f1-2 "$tmp/calls.log")" = "hdiutil create" ] || { cat "$tmp/calls.log"; exit 1; }
rm "$tmp/calls.log"

PATH=$tmp/bin:$PATH MACOS_SIGN_IDENTITY="Developer ID Application: Stand-in (TEAMID)" MACOS_NOTARY_APPLE_ID=a@b.c \
  MACOS_NOTARY_TEAM_ID=TEAMID MACOS_NOTARY_PASSWORD=secret bash "$here/build_dmg.sh" "$app" 9.9.9 >"$tmp/signed.out"

python3 - "$tmp/calls.log" "$app" <<'EOF'
import shlex, sys

log, app = sys.argv[1], sys.argv[2]
calls = [shlex.split(line) for line in open(log)]
print("\n".join(" ".join(c).replace(app, "Curator.app") for c in calls))


def targets(call):
    """The paths a codesign call signs (one or many)."""
    paths, args = [], iter(call[1:])
    for arg in args:
        if arg in ("--sign", "--entitlements", "--options"):
            next(args)
        elif not arg.startswith("-"):
            paths.append(arg)
    return paths


signs = [(i, c, path) for i, c in enumerate(calls) if c[0] == "codesign" and "--sign" in c for path in targets(c)]
signed = [path for _, _, path in signs]
contents = f"{app}/Contents"
framework = f"{contents}/Frameworks/PySide6/Qt/lib/QtCore.framework"
loose = {f"{contents}/Frameworks/libpython3.11.dylib", f"{contents}/Frameworks/PySide6/QtCore.abi3.so",
         f"{contents}/Frameworks/PySide6/Qt/plugins/platforms/libqcocoa.dylib"}
dmg = signed[-1]
problems = []
if not dmg.endswith("-9.9.9-" + dmg.rsplit("-", 1)[-1]) or not dmg.endswith(".dmg"):
    problems.append(f"the last signature is not the .dmg's: {dmg}")
bundle_signs = signed[:-1]
if set(bundle_signs) != loose | {framework, app}:
    problems.append(f"signed {sorted(bundle_signs)}, expected the loose libraries, the framework and the app")
if len(bundle_signs) != len(set(bundle_signs)):
    problems.append("something was signed twice")
for i, earlier in enumerate(bundle_signs):  # inside out: nothing is signed after the bundle that holds it
    for later in bundle_signs[i + 1:]:
        if later.startswith(earlier + "/"):
            problems.append(f"{later} was signed after {earlier}, which holds it")
if bundle_signs and bundle_signs[-1] != app:
    problems.append("the app is not signed last")
for _, c, _ in signs[:-1]:
    if not {"--options", "runtime", "--timestamp"} <= set(c) or c[c.index("--options") + 1] != "runtime":
        problems.append(f"no hardened runtime or timestamp: {c}")
app_sign = next(c for _, c, path in signs if path == app)
if "--entitlements" not in app_sign:
    problems.append("the app is signed without its entitlements")
if any(path.startswith(framework + "/") for path in signed):
    problems.append("a file inside the framework was signed as a loose file")
order = [" ".join(c[:2]) for c in calls]
verify = next(i for i, c in enumerate(calls) if "--verify" in c)
expected = ["hdiutil create", "codesign --force", "xcrun notarytool", "xcrun stapler"]
tail = order[verify + 1:]
if tail != expected:
    problems.append(f"after --verify: {tail}, expected {expected}")
if verify < max(i for i, _, path in signs if path == app):
    problems.append("--verify ran before the app was signed")
for p in problems:
    print("FAILED:", p, file=sys.stderr)
sys.exit(1 if problems else 0)
EOF
echo "build_dmg.sh stand-in run: signs inside out with the hardened runtime, then makes, signs, notarizes and staples the .dmg"

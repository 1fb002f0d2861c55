#!/usr/bin/env bash
# Quick checks of the installer scripts, so a broken one fails CI in seconds: the NSIS script is compiled with
# makensis against a stand-in app folder (the real Windows installer is built and installed under Wine by
# `make package-windows`), every packaging script passes shellcheck, and build_dmg.sh runs with stand-ins for
# macOS's hdiutil, codesign and xcrun (macos/test_build_dmg.sh). None of this proves the macOS build works.
set -euo pipefail
cd "$(dirname "$0")"
stand_in=$(mktemp -d)
trap 'rm -rf "$stand_in"' EXIT
mkdir -p "$stand_in/app/_internal"
printf 'MZ stand-in' > "$stand_in/app/curator.exe"
printf 'MZ stand-in' > "$stand_in/app/curator-cli.exe"
printf 'library' > "$stand_in/app/_internal/python311.dll"
version=$(python3 -c "import re; print(re.search(r'^version = \"(.+)\"', open('../pyproject.toml').read(), re.M).group(1))")
(cd windows && makensis -V2 -DVERSION="$version" -DAPPDIR="$stand_in/app" -DOUTFILE="$stand_in/curator-setup.exe" curator.nsi)
test -s "$stand_in/curator-setup.exe"
echo "NSIS script compiled: $(stat -c %s "$stand_in/curator-setup.exe") bytes (stand-in app)"
cd ..
scripts=(packaging/*.sh packaging/linux/*.sh packaging/macos/*.sh packaging/windows/*.sh .ci/run)
shellcheck -x "${scripts[@]}" # -x: follows windows/wine.sh, which the Windows scripts source
echo "shellcheck: ${scripts[*]} clean"
cd packaging
bash macos/test_build_dmg.sh >/dev/null
echo "macos/test_build_dmg.sh: build_dmg.sh signs inside out with the hardened runtime, then notarizes and staples"

#!/usr/bin/env bash
# The installers that cannot run here are at least checked here, so a broken script fails CI:
# the NSIS script is compiled with makensis against a stand-in app folder, the macOS script is
# read by shellcheck. Neither proves the installer works on Windows or macOS (see README.md).
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
shellcheck macos/build_dmg.sh
shellcheck linux/test_deb.sh check_installers.sh
echo "shellcheck: macos/build_dmg.sh, linux/test_deb.sh, check_installers.sh clean"

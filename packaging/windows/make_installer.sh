#!/usr/bin/env bash
# Make dist/curator-VERSION-setup.exe (64-bit NSIS) from a frozen Windows app folder:
#   bash packaging/windows/make_installer.sh dist/curator VERSION
# Needs makensis 3 with the amd64-unicode stubs, which Debian's and Ubuntu's nsis package has (the NSIS download
# for Windows does not): build_wine.sh runs it here, the release workflow on an Ubuntu runner.
set -euo pipefail
app=$(realpath "${1:?usage: make_installer.sh APP_FOLDER VERSION}")
version=${2:?usage: make_installer.sh APP_FOLDER VERSION}
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$root/dist/curator-$version-setup.exe
for exe in curator.exe curator-cli.exe; do [ -f "$app/$exe" ] || { echo "no $exe in $app" >&2; exit 1; }; done
mkdir -p "$root/dist"
rm -f "$out"
started=$SECONDS
(cd "$root/packaging/windows" && makensis -V2 -DVERSION="$version" -DAPPDIR="$app" -DOUTFILE="$out" curator.nsi)
pe_header=$(od -An -tu4 -j60 -N4 "$out" | tr -d ' ')
machine=$(od -An -tx2 -j$((pe_header + 4)) -N2 "$out" | tr -d ' ')
[ "$machine" = 8664 ] || { echo "$out is not an x86-64 program (PE machine $machine)" >&2; exit 1; }
echo "built $out: $(($(stat -c %s "$out") / 1000000)) MB in $((SECONDS - started)) s"

#!/usr/bin/env bash
# Install the .deb with apt (so Depends: are resolved), use it as a user would, remove it.
set -euo pipefail
deb=$(find "$(dirname "$0")/../../dist" -maxdepth 1 -name 'curator_*.deb' | sort | head -n 1)
deb=$(realpath "$deb")
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -qq "$deb" >/dev/null
trap '$SUDO apt-get remove -y -qq curator >/dev/null || true' EXIT
echo "installed: $(dpkg-query -W -f='${Package} ${Version} ${Installed-Size}KB' curator)"
[ "$(command -v curator)" = /usr/bin/curator ]
/usr/bin/curator --version
env -u DISPLAY -u WAYLAND_DISPLAY /usr/bin/curator --smoke-test
/usr/bin/curator list /opt/curator/_internal/resources/sample --where published:no --format csv | head -n 3
desktop-file-validate /usr/share/applications/io.github.curator.Curator.desktop
[ -f /usr/share/icons/hicolor/256x256/apps/curator.png ]
[ -f /usr/share/metainfo/io.github.curator.Curator.metainfo.xml ]
$SUDO apt-get remove -y -qq curator >/dev/null
trap - EXIT
[ ! -e /opt/curator ] && [ ! -e /usr/bin/curator ]
echo "deb test passed: installed, ran, validated and removed"

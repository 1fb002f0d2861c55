#!/usr/bin/env bash
# Install dist/curator-VERSION-setup.exe silently into a throwaway Wine prefix, use it as a person would, remove it:
# first for the current user (the default, no administrator rights), then for everyone (/AllUsers) and removed with
# /RemoveSettings. Wine's exit codes prove nothing for an installer, so every step is checked by its files, its
# registry keys and what the programs print. Runs after build_wine.sh (`make package-windows` runs both).
# PYTHON (default .venv/bin/python, else python3) runs the CLI from source to compare its output with the frozen one.
# CURATOR_TEST_DISPLAY=:N picks the X display of the Xvfb it starts (default: the first free one from :90).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=packaging/windows/wine.sh
. packaging/windows/wine.sh
if [ -z "${PYTHON:-}" ]; then PYTHON=python3; [ -x .venv/bin/python ] && PYTHON=.venv/bin/python; fi
install_wine_packages --if-missing
setup=$(find dist -maxdepth 1 -name 'curator-*-setup.exe' | sort | tail -n 1)
[ -n "$setup" ] || die "no dist/curator-*-setup.exe: run packaging/windows/build_wine.sh first"
version=$(basename "$setup" | sed 's/^curator-\(.*\)-setup\.exe$/\1/')

tmp=$(mktemp -d)
# Wine links the prefix's Desktop and Documents to $HOME's folders: a throwaway home keeps this machine's clean
export HOME=$tmp/home WINEPREFIX=$tmp/prefix
mkdir -p "$HOME"
xvfb_pid=
cleanup() {
  wineserver -k 2>/dev/null || true # this prefix's processes only
  [ -z "$xvfb_pid" ] || kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
started=$SECONDS
checks=0
ok() { checks=$((checks + 1)); echo "ok $checks: $*"; }
fail() { printf '%s\n' "${2:-}" | tail -n 20 >&2; die "$1"; }
uninstall_key='Software\Microsoft\Windows\CurrentVersion\Uninstall\Curator'
reg_value() { # HIVE NAME: a value of Curator's uninstall key, empty when the key is missing
  win reg query "$1\\$uninstall_key" /v "$2" | sed -n "s/^ *$2 *REG_[A-Z_]* *//p"
}
win_path() { wine cmd /c echo "%$1%" </dev/null 2>/dev/null | timeout 300 stdbuf -oL tr -d '\r'; } # %VAR% as Windows sees it
# An installer's or uninstaller's processes have all ended (uninstall.exe re-runs itself); bounded,
# so that a process that never ends fails the check below it instead of hanging the run.
settle() { timeout 300 wineserver -w || echo "(wine processes still running after 300 s)" >&2; }

say "new Wine prefix"
new_prefix
appdata=$(win_folder APPDATA)
localappdata=$(win_folder LOCALAPPDATA)
desktop=$(win_folder USERPROFILE)/Desktop

say "install for the current user: $setup /S"
win "$setup" /S
settle
inst=$localappdata/Programs/Curator
inst_win="$(win_path LOCALAPPDATA)\\Programs\\Curator"
diff -rq --exclude=uninstall.exe dist/curator "$inst" || die "the installed files differ from dist/curator"
[ -f "$inst/uninstall.exe" ] || die "no uninstall.exe"
ok "the files of dist/curator ($(find "$inst" -type f | wc -l), byte for byte) and uninstall.exe are in %LOCALAPPDATA%\\Programs\\Curator"
if find "$inst" -iname 'icu*.dll' | grep .; then die "the installer carries an ICU library"; fi
ok "no icuuc.dll stand-in in the installed app"
[ -f "$appdata/Microsoft/Windows/Start Menu/Programs/Curator/Curator.lnk" ] || die "no Start-menu entry"
[ -f "$appdata/Microsoft/Windows/Start Menu/Programs/Curator/Uninstall Curator.lnk" ] || die "no Start-menu uninstall"
[ -f "$desktop/Curator.lnk" ] || die "no desktop shortcut"
ok "Start-menu entries (Curator, Uninstall Curator) and the desktop shortcut"
[ "$(reg_value HKCU InstallLocation)" = "$inst_win" ] || die "HKCU uninstall key: InstallLocation is not $inst_win"
[ "$(reg_value HKCU DisplayVersion)" = "$version" ] || die "HKCU uninstall key: DisplayVersion is not $version"
reg_value HKCU QuietUninstallString | grep -qF "$inst_win\\uninstall.exe\" /S" || die "no QuietUninstallString"
[ -z "$(reg_value HKLM InstallLocation)" ] || die "a per-user install wrote HKLM"
ok "uninstall key in HKCU (InstallLocation $inst_win, DisplayVersion $version), none in HKLM"

out=$(win "$inst/curator-cli.exe" --version) || true
[ "$out" = "curator $version" ] || fail "curator-cli --version printed something else" "$out"
ok "curator-cli --version: $out"

# Windows 10 has icuuc.dll in system32, Wine 8 has not: the stand-in goes into this throwaway prefix only.
build_icuuc_stand_in "$inst/_internal/PySide6/Qt6Core.dll" "$tmp/icuuc.dll"
cp "$tmp/icuuc.dll" "$WINEPREFIX/drive_c/windows/system32/icuuc.dll"

out=$(QT_QPA_PLATFORM=offscreen win "$inst/curator-cli.exe" --smoke-test) || true
grep -q '^smoke test passed' <<<"$out" || fail "smoke test (offscreen) failed" "$out"
ok "curator-cli --smoke-test, offscreen: $(grep '^smoke test passed' <<<"$out" | cut -c1-40)"

sample_win="$inst_win\\_internal\\resources\\sample" # a drive letter and backslashes
wine "$inst/curator-cli.exe" list "$sample_win" --format csv </dev/null 2> >(cat >"$tmp/list.err") | cat >"$tmp/windows.csv"
CURATOR_CACHE_DIR=$tmp/source-cache "$PYTHON" -m curator list resources/sample --format csv >"$tmp/source.csv"
cmp "$tmp/windows.csv" "$tmp/source.csv" || fail "curator-cli list --format csv, piped, differs from the CLI run from source" \
  "$(cat "$tmp/list.err"; diff <(od -c "$tmp/windows.csv") <(od -c "$tmp/source.csv") | head -n 8)"
rows=$(($(wc -l <"$tmp/source.csv") - 1))
ok "curator-cli list $sample_win --format csv | ...: the same $rows rows, byte for byte, as from source"
out=$(win "$inst/curator-cli.exe" list "$sample_win" --where 'title:Planar') || true
grep -q $'PoE, \xe2\x80\x9248-V' <<<"$out" || fail "curator-cli list (table), piped, lost the figure dash" "$out"
ok "curator-cli list, piped: a title with a figure dash arrives in UTF-8"

say "Xvfb for Wine's display"
display=${CURATOR_TEST_DISPLAY:-}
if [ -z "$display" ]; then
  for n in $(seq 90 140); do [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || { display=:$n; break; }; done
fi
Xvfb "$display" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
export DISPLAY=$display

out=$(unset QT_QPA_PLATFORM; win "$inst/curator-cli.exe" --smoke-test) || true
grep -q '^smoke test passed' <<<"$out" || fail "smoke test on Wine's display failed" "$out"
ok "curator-cli --smoke-test on Wine's display $DISPLAY (Qt's windows platform)"

wine "$inst/curator.exe" "$sample_win" </dev/null 2>&1 | tr -d '\r' >"$tmp/window.log" &
window=$(timeout 120 xdotool search --sync --onlyvisible --name '^sample .* Curator$' | head -n 1) ||
  fail "the window did not open on the sample within 120 s" "$(cat "$tmp/window.log")"
sleep 5 # let it load and draw
if command -v import >/dev/null; then import -window root build/wine/window.png && echo "screenshot: build/wine/window.png"; fi
xdotool getwindowname "$window" >/dev/null || fail "the window closed by itself" "$(cat "$tmp/window.log")"
ok "curator.exe opened its window \"$(xdotool getwindowname "$window")\" on Wine's display"
# Alt+F4, sent again every 10 s for a minute: on a busy machine the first one can arrive before
# the window takes keys (no window manager: "XGetInputFocus returned 1")
for _ in $(seq 120); do
  [ $((_ % 20)) -eq 1 ] && xdotool key --window "$window" alt+F4 2>/dev/null
  xdotool search --onlyvisible --name 'Curator$' >/dev/null || break
  sleep 0.5
done
xdotool search --onlyvisible --name 'Curator$' >/dev/null || settle
if xdotool search --onlyvisible --name 'Curator$' >/dev/null; then die "the window did not close on Alt+F4"; fi
settings=$appdata/Curator/Curator.ini
{ grep -q '^\[window\]' "$settings" && grep -qF "last=${sample_win//\\/\\\\}" "$settings"; } ||
  fail "closing the window did not save its settings in %APPDATA%\\Curator\\Curator.ini" "$(cat "$settings" "$tmp/window.log")"
[ -d "$localappdata/curator/thumbnails" ] || die "the window made no cache in %LOCALAPPDATA%\\curator"
ok "Alt+F4 closed it; its layout and last folder are saved in %APPDATA%\\Curator\\Curator.ini, its cache is in %LOCALAPPDATA%\\curator"

say "uninstall: uninstall.exe /S"
win "$inst/uninstall.exe" /S
settle
[ ! -e "$inst" ] || die "the program folder is left: $(find "$inst" | head)"
[ ! -e "$appdata/Microsoft/Windows/Start Menu/Programs/Curator" ] || die "the Start-menu folder is left"
[ ! -e "$desktop/Curator.lnk" ] || die "the desktop shortcut is left"
[ -z "$(reg_value HKCU InstallLocation)" ] || die "the HKCU uninstall key is left"
ok "uninstalled: no program folder, Start-menu folder, desktop shortcut or uninstall key"
[ -f "$settings" ] || die "the uninstaller removed the user's settings"
[ -d "$localappdata/curator" ] || die "the uninstaller removed the user's cache"
ok "the user's settings (%APPDATA%\\Curator) and cache (%LOCALAPPDATA%\\curator) are kept"

say "install for everyone: $setup /S /AllUsers (Wine's user is an administrator)"
win "$setup" /S /AllUsers
settle
programfiles=$(win_folder ProgramFiles)/Curator
programfiles_win="$(win_path ProgramFiles)\\Curator"
common_menu="$(win_folder ProgramData)/Microsoft/Windows/Start Menu/Programs/Curator"
cmp dist/curator/curator-cli.exe "$programfiles/curator-cli.exe"
[ -f "$common_menu/Curator.lnk" ] || die "no Start-menu entry for everyone"
[ "$(reg_value HKLM InstallLocation)" = "$programfiles_win" ] || die "HKLM uninstall key: InstallLocation is not $programfiles_win"
[ -z "$(reg_value HKCU InstallLocation)" ] || die "an install for everyone wrote HKCU"
[ ! -e "$inst" ] || die "an install for everyone wrote into the user's folder"
out=$(win "$programfiles/curator-cli.exe" --version) || true
[ "$out" = "curator $version" ] || fail "curator-cli --version (for everyone) printed something else" "$out"
ok "for everyone: $programfiles_win, the common Start menu, HKLM's uninstall key, --version"

say "uninstall for everyone, removing the settings: uninstall.exe /S /RemoveSettings"
win "$programfiles/uninstall.exe" /S /RemoveSettings
settle
{ [ ! -e "$programfiles" ] && [ ! -e "$common_menu" ]; } || die "the program folder or the Start-menu folder is left"
[ -z "$(reg_value HKLM InstallLocation)" ] || die "the HKLM uninstall key is left"
{ [ ! -e "$appdata/Curator" ] && [ ! -e "$localappdata/curator" ]; } || die "/RemoveSettings left the settings or the cache"
ok "uninstalled for everyone; /RemoveSettings removed the settings and the cache"

echo "Windows installer test passed: $checks checks in $((SECONDS - started)) s"

# shellcheck shell=bash
# Sourced by build_wine.sh and test_wine.sh: how Windows programs run here, under Debian's 64-bit Wine.

# Debian's and Ubuntu's packages the Windows build and its test need (Wine 64-bit only: no i386).
WINE_PACKAGES=(
  wine wine64 nsis gcc-mingw-w64-x86-64-win32 binutils-mingw-w64-x86-64 xvfb xdotool
  libxrender1 libxrandr2 libxi6 libxcursor1 libxinerama1 libxcomposite1 libxfixes3 fonts-wine
)
WINE_TOOLS=(wine wineserver makensis x86_64-w64-mingw32-gcc x86_64-w64-mingw32-objdump Xvfb xdotool)

export WINEDEBUG=-all                                        # Wine's fixme lines would bury the programs' output
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d" # no Mono/Gecko prompts, no menu entries on this host

say() { printf '\n== %s\n' "$*"; }
die() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

# As root on Debian or Ubuntu, install the packages (always with --always, else only when a tool is missing).
install_wine_packages() {
  local missing=0 tool
  for tool in "${WINE_TOOLS[@]}"; do command -v "$tool" >/dev/null || missing=1; done
  if [ "${1:-}" = --always ] || [ "$missing" = 1 ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends "${WINE_PACKAGES[@]}" >/dev/null
    fi
  fi
  for tool in "${WINE_TOOLS[@]}"; do
    command -v "$tool" >/dev/null || die "$tool is missing: as root, apt-get install ${WINE_PACKAGES[*]}"
  done
}

# Run a Windows program with /dev/null as its input and a pipe as its output: Python under Wine stops in
# init_sys_streams ([WinError 6] Invalid handle) when a standard stream is a plain file. stdout and stderr merge.
# The reader gives up after 300 s: Wine's services, started by the first program after Wine's server starts,
# inherit its output and live as long as the server, which a process left behind keeps alive; a CI run here hung
# so, tr waiting behind a stray `cmd.exe /c ver`. Line-buffered, so that what came is kept when it gives up.
win() { wine "$@" </dev/null 2>&1 | timeout 300 stdbuf -oL tr -d '\r'; }

# The Unix path of a Windows environment variable's folder in the current prefix (%LOCALAPPDATA%, %APPDATA%...).
win_folder() { winepath -u "$(wine cmd /c echo "%$1%" </dev/null 2>/dev/null | timeout 300 stdbuf -oL tr -d '\r')" 2>/dev/null; }

# A stand-in for Windows 10's system icuuc.dll, which Wine 8 lacks and Qt6Core.dll imports (ucnv_* converters):
# every function Qt6Core imports from it, doing nothing; ucnv_open fails, so Qt uses its own UTF-8/16 and Latin-1
# codecs. It goes into a throwaway prefix's system32 only, never into the app or the installer.
build_icuuc_stand_in() { # QT6CORE_DLL OUT_DLL
  local qtcore=$1 out=$2 source
  source="${out%.dll}.c"
  {
    echo '/* Stand-in for the system icuuc.dll of Windows 10, for Qt under Wine 8: no converters. */'
    echo '__declspec(dllexport) void *ucnv_open(const char *name, int *error)'
    echo '{ (void)name; if (error) *error = 4; /* U_FILE_ACCESS_ERROR */ return 0; }'
    x86_64-w64-mingw32-objdump -p "$qtcore" |
      awk '/DLL Name:/ { f = ($3 == "icuuc.dll"); next } f && NF == 3 && $3 ~ /^[A-Za-z_]/ { print $3 }' |
      grep -vx ucnv_open | sed 's/.*/__declspec(dllexport) long long &(void) { return 0; }/'
  } >"$source"
  x86_64-w64-mingw32-gcc -shared -O2 -s -o "$out" "$source"
}

# A new 64-bit prefix at $WINEPREFIX (made by wineboot; its processes end with `wineserver -k`).
new_prefix() {
  rm -rf "$WINEPREFIX"
  mkdir -p "$(dirname "$WINEPREFIX")"
  wineboot --init </dev/null >/dev/null 2>&1 || true # "failed to open syswow64\rundll32.exe": 64-bit only, harmless
  wineserver -w
  [ -f "$WINEPREFIX/system.reg" ] || die "wineboot made no prefix at $WINEPREFIX"
}

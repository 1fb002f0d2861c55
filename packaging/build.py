"""Build the frozen app with PyInstaller, smoke-test it, then make this system's installers.

    python packaging/build.py            # dist/curator (+ the installers of this OS)
    python packaging/build.py --no-installers

Linux: dist/curator_VERSION_ARCH.deb and dist/curator-VERSION-linux-ARCH.tar.gz.
macOS: dist/Curator-VERSION-ARCH.dmg (signed and notarized when the credentials are set).
Windows: only dist/curator: the 64-bit NSIS installer needs makensis's amd64 stubs, which Debian's and Ubuntu's
nsis have and NSIS for Windows has not, so packaging/windows/make_installer.sh makes it there (under Wine here,
`make package-windows` runs this script and that one).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tarfile
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
BUILD = ROOT / "build"
VERSION = version("curator")
MAX_APP_MB = 150


def run(*cmd: str, env: dict | None = None) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, env=env)


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


def freeze() -> Path:
    run(sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--distpath", str(DIST),
        "--workpath", str(BUILD), str(ROOT / "packaging" / "curator.spec"))  # fmt: skip
    app = DIST / ("Curator.app" if sys.platform == "darwin" else "curator")
    return app


def executable(app: Path) -> Path:
    if sys.platform == "darwin":
        return app / "Contents" / "MacOS" / "curator"
    return app / ("curator-cli.exe" if sys.platform == "win32" else "curator")


def smoke_test(app: Path) -> None:
    """The frozen app must start, decode a JPEG and draw icons (offscreen)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    exe = executable(app)
    run(str(exe), "--version", env=env)
    run(str(exe), "--smoke-test", env=env)


def linux_arch() -> str:
    machine = platform.machine().lower()
    return {"x86_64": "amd64", "aarch64": "arm64"}.get(machine, machine)


def tarball(app: Path) -> Path:
    out = DIST / f"curator-{VERSION}-linux-{platform.machine()}.tar.gz"
    with tarfile.open(out, "w:gz") as tar:
        tar.add(app, arcname=f"curator-{VERSION}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-installers", action="store_true")
    args = parser.parse_args()
    started = time.monotonic()
    app = freeze()
    size = folder_mb(app)
    print(f"frozen app: {app} ({size:.0f} MB) in {time.monotonic() - started:.0f} s")
    if size > MAX_APP_MB:
        print(f"the app is {size:.0f} MB, over the {MAX_APP_MB} MB budget", file=sys.stderr)
        return 1
    smoke_test(app)
    if args.no_installers:
        return 0
    if sys.platform.startswith("linux"):
        deb = DIST / f"curator_{VERSION}_{linux_arch()}.deb"
        run(
            sys.executable,
            str(ROOT / "packaging" / "linux" / "build_deb.py"),
            str(app),
            str(deb),
            VERSION,
            linux_arch(),
        )
        print(f"built {tarball(app)} and {deb}")
    elif sys.platform == "darwin":
        run("bash", str(ROOT / "packaging" / "macos" / "build_dmg.sh"), str(app), VERSION)
    elif sys.platform == "win32":
        print(f"installer: bash packaging/windows/make_installer.sh dist/curator {VERSION} (on Debian or Ubuntu)")
    print(f"done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

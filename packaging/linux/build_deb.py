"""Make a .deb of the frozen app: /opt/curator, /usr/bin/curator, desktop file, icons, metainfo.

    python packaging/linux/build_deb.py APP_DIR OUT.deb VERSION ARCH

`Depends:` lists the packages of the system libraries the app links to but PyInstaller does
not bundle (libc, libGL/libEGL, xcb, fontconfig…), found with ldd and dpkg -S on the build
machine, so build on the oldest distribution you support.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ICONS = HERE.parents[1] / "resources" / "icons" / "hicolor"
APP_ID = "io.github.curator.Curator"
# Loaded with dlopen (invisible to ldd) or needed to show text at all.
ALWAYS = ["libc6", "libgl1", "libegl1", "libfontconfig1", "libxkbcommon-x11-0", "libxcb-cursor0", "fonts-dejavu-core"]


def system_libraries(app: Path) -> set[str]:
    """Paths of the libraries outside the app that its ELF files load."""
    found: set[str] = set()
    bundled = {p.name for p in app.rglob("*.so*")}
    for path in app.rglob("*"):
        if (
            not path.is_file()
            or path.is_symlink()
            or not (path.suffix == ".so" or ".so." in path.name or os.access(path, os.X_OK))
        ):
            continue
        with open(path, "rb") as f:
            if f.read(4) != b"\x7fELF":
                continue
        out = subprocess.run(["ldd", str(path)], capture_output=True, text=True).stdout
        for match in re.finditer(r"(\S+)\s+=>\s+(/\S+)", out):
            soname, lib = match.groups()
            if soname not in bundled and not lib.startswith(str(app)) and os.path.exists(lib):
                found.add(os.path.realpath(lib))
    return found


def packages_of(libraries: set[str]) -> set[str]:
    packages: set[str] = set()
    for lib in sorted(libraries):
        candidates = [lib, lib.replace("/usr/lib/", "/lib/"), lib.replace("/lib/", "/usr/lib/", 1)]
        for candidate in candidates:
            out = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
            if out.returncode == 0:
                packages.add(out.stdout.split(":")[0].strip())
                break
        else:
            print(f"warning: no package owns {lib}", file=sys.stderr)
    return packages


def build(app: Path, out: Path, version: str, arch: str) -> None:
    depends = sorted(packages_of(system_libraries(app)) | set(ALWAYS))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "pkg"
        shutil.copytree(app, root / "opt" / "curator", symlinks=True)
        (root / "usr" / "bin").mkdir(parents=True)
        launcher = root / "usr" / "bin" / "curator"
        launcher.write_text('#!/bin/sh\nexec /opt/curator/curator "$@"\n')
        launcher.chmod(0o755)
        apps = root / "usr" / "share" / "applications"
        apps.mkdir(parents=True)
        shutil.copy(HERE / f"{APP_ID}.desktop", apps)
        meta = root / "usr" / "share" / "metainfo"
        meta.mkdir(parents=True)
        shutil.copy(HERE / f"{APP_ID}.metainfo.xml", meta)
        for size_dir in ICONS.iterdir():
            target = root / "usr" / "share" / "icons" / "hicolor" / size_dir.name / "apps"
            target.mkdir(parents=True)
            shutil.copy(size_dir / "curator.png", target / "curator.png")
        installed_kb = sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink()) // 1024
        control = root / "DEBIAN"
        control.mkdir()
        (control / "control").write_text(
            f"""Package: curator
Version: {version}
Architecture: {arch}
Maintainer: Curator developers <dev@curator.invalid>
Installed-Size: {installed_kb}
Depends: {", ".join(depends)}
Section: editors
Priority: optional
Homepage: https://github.com/curator-app/curator
Description: review, tag and publish a folder of front-matter articles
 Curator opens a folder of articles kept as text files with YAML front matter
 (a Jekyll site, for example), lists them with thumbnails and previews, and
 lets editors change topics, quality and published state on one article or
 many, writing back only the edited lines.
"""
        )
        refresh_menu = "command -v update-desktop-database >/dev/null && update-desktop-database -q || true\n"
        refresh_icons = (
            "command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q /usr/share/icons/hicolor || true\n"
        )
        for name, body in (
            ("postinst", "#!/bin/sh\nset -e\n" + refresh_menu + refresh_icons),
            ("postrm", "#!/bin/sh\nset -e\n" + refresh_menu),
        ):
            script = control / name
            script.write_text(body)
            script.chmod(0o755)
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(out)], check=True)
    print(f"{out}: Depends: {', '.join(depends)}")


if __name__ == "__main__":
    build(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve(), sys.argv[3], sys.argv[4])

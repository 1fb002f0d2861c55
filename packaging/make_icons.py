"""Render the app icon from its one source, resources/icons/curator.svg, into every format we ship.

Writes PNGs at the hicolor sizes, curator.png (256 px, the window icon), a Windows .ico and a
macOS .icns. Both container formats hold PNGs; the .icns is assembled here by hand because
Qt has no writer for it. Run: python packaging/make_icons.py
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09", 1024: b"ic10"}


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QBuffer.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


def write_ico(images: dict[int, bytes], path: Path) -> None:
    """An ICO whose entries are PNGs (supported since Windows Vista)."""
    sizes = [s for s in (16, 24, 32, 48, 64, 128, 256) if s in images]
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries, blobs = b"", b""
    for s in sizes:
        blob = images[s]
        entries += struct.pack("<BBBBHHII", s % 256, s % 256, 0, 0, 1, 32, len(blob), offset + len(blobs))
        blobs += blob
    path.write_bytes(header + entries + blobs)


def write_icns(images: dict[int, bytes], path: Path) -> None:
    body = b"".join(
        kind + struct.pack(">I", len(images[s]) + 8) + images[s] for s, kind in ICNS_TYPES.items() if s in images
    )
    path.write_bytes(b"icns" + struct.pack(">I", len(body) + 8) + body)


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv)  # noqa: F841 - QImage text needs an app
    renderer = QSvgRenderer(str(ICONS / "curator.svg"))
    if not renderer.isValid():
        print("cannot read resources/icons/curator.svg", file=sys.stderr)
        return 1
    pngs = {}
    for size in (*SIZES, 1024):
        pngs[size] = png_bytes(render(renderer, size))
    out = ICONS / "hicolor"
    for size in SIZES:
        folder = out / f"{size}x{size}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "curator.png").write_bytes(pngs[size])
    (ICONS / "curator.png").write_bytes(pngs[256])
    write_ico(pngs, ICONS / "curator.ico")
    write_icns(pngs, ICONS / "curator.icns")
    print(f"wrote {len(SIZES)} PNG sizes, curator.png, curator.ico, curator.icns under {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

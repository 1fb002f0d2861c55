"""A read-only view of a unified diff: plain text (file content is never markup), added and
removed lines tinted in colours that read on light and dark palettes alike."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFontDatabase, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QPlainTextEdit, QWidget


def _format(color: str, bold: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    tint = QColor(color)
    tint.setAlpha(60)  # a tint over the palette's base: readable in light and dark schemes
    fmt.setBackground(tint)
    if bold:
        fmt.setFontWeight(700)
    return fmt


class DiffHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument):
        super().__init__(document)
        self.added, self.removed, self.hunk = _format("#2da44e"), _format("#cf222e"), _format("#8250df", True)

    def highlightBlock(self, text: str) -> None:
        if text.startswith(("+++", "---")):
            return
        fmt = {"+": self.added, "-": self.removed, "@": self.hunk}.get(text[:1])
        if fmt is not None:
            self.setFormat(0, len(text), fmt)


class DiffView(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.highlighter = DiffHighlighter(self.document())

    def show_text(self, text: str) -> None:
        self.setPlainText(text)
        self.moveCursor(self.textCursor().MoveOperation.Start)

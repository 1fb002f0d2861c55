"""The status bar: messages, counts, progress with a cancel button, and the problems button."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QToolButton

from ...core import words
from ..icons import icon


class StatusBar(QStatusBar):
    cancel_requested = Signal()
    problems_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.counts_label = QLabel()
        self.git_label = QLabel()
        self.git_label.hide()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.cancel_button = QToolButton()
        self.cancel_button.setIcon(icon("fa5s.times"))
        self.cancel_button.setToolTip("Cancel")
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.cancel_button.hide()
        self.problems_button = QToolButton()
        self.problems_button.setAutoRaise(True)
        self.problems_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)  # the count shows
        self.problems_button.clicked.connect(self.problems_requested)
        self.problems_button.hide()
        # the site profile in use ("Hugo, detected (hugo.toml)"); its menu picks another
        self.profile_button = QToolButton()
        self.profile_button.setAutoRaise(True)
        self.profile_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.profile_button.hide()
        for widget in (self.problems_button, self.progress, self.cancel_button, self.profile_button, self.git_label,
                       self.counts_label):  # fmt: skip
            self.addPermanentWidget(widget)
        self._said_with: int | None = None  # unsaved articles when the message was said
        self._target = 0  # the progress to show when the timer fires
        self._progress_timer = QTimer(self, singleShot=True, interval=100)
        self._progress_timer.timeout.connect(lambda: self.progress.setValue(self._target))

    def say(self, text: str, timeout_ms: int, unsaved: int) -> None:
        """A message about the state as it is, with `unsaved` articles: see unsaved_changed."""
        self.showMessage(text, timeout_ms)
        self._said_with = unsaved

    def unsaved_changed(self, unsaved: int) -> None:
        """A message ("Saved 3 files", "Nothing to change") goes stale once the unsaved edits
        change after it was said: it is cleared then, not left to its timeout."""
        if self._said_with is not None and unsaved != self._said_with:
            self._said_with = None
            self.clearMessage()

    def show_progress(self, label: str, maximum: int) -> None:
        """New work begins: its progress shows, and what was said of the last is cleared."""
        self.clearMessage()
        self._said_with = None
        self.progress.setFormat(f"{label} %v/%m")
        self.progress.setMaximum(max(1, maximum))
        self._progress_timer.stop()
        self._target = 0
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()

    def loading(self, files: int) -> None:
        self.progress.setMaximum(max(1, files))
        self.showMessage(f"Loading {words.count(files, 'file')}…")

    def checking(self, files: int) -> None:
        """Every file is listed; they are now parsed whole in the background (see library.Checking)."""
        self.progress.setFormat("Checking %v/%m")
        self.progress.setMaximum(max(1, files))
        self._target = 0
        self.set_progress(0)
        self.showMessage(f"Listed; checking {words.count(files, 'file')} in the background…")

    def advance(self, done: int) -> None:
        self.set_progress(self._target + done)

    def set_progress(self, done: int) -> None:
        """Shown at most ten times a second: QProgressBar.setValue repaints at once, and a
        repaint then also paints whatever else of the window waits to be painted (the cards of
        a folder still loading), once per progress report."""
        self._target = done
        if not self._progress_timer.isActive():
            self._progress_timer.start()

    def hide_progress(self) -> None:
        self._progress_timer.stop()
        self.progress.hide()
        self.cancel_button.hide()

    def set_profile(self, profile, problem: str | None = None) -> None:
        """Show the site profile in use (None: no folder open) and what is wrong with its config."""
        self.profile_button.setVisible(profile is not None)
        if profile is not None:
            self.profile_button.setText(f"{profile.label}{' ⚠' if problem else ''}")
            tip = f"Read as a {profile.label} site: {profile.source}. Click to read it as another kind of site."
            self.profile_button.setToolTip(f"{problem}\n\n{tip}" if problem else tip)

    def set_git(self, status) -> None:
        """The branch and ahead/behind (a git.Status), or nothing outside a work tree."""
        self.git_label.setVisible(status is not None)
        if status is not None:
            self.git_label.setText(f"⎇ {status.describe()}")
            self.git_label.setToolTip(f"git: {words.count(len(status.files), 'changed file')} in this folder")

    def set_counts(self, shown: int, total: int) -> None:
        self.counts_label.setText(f"{shown:,} shown / {words.count(total, 'article')}")

    def set_problems(self, errors: int, warnings: int) -> None:
        self.problems_button.setVisible(bool(errors or warnings))
        text = ", ".join(
            ([f"{errors:,} unreadable"] if errors else []) + ([words.count(warnings, "warning")] if warnings else [])
        )
        self.problems_button.setText(text)
        self.problems_button.setToolTip(f"Problems: {text}. Click to show the Problems panel.")
        self.problems_button.setAccessibleName(f"Problems: {text}")
        self.problems_button.setIcon(icon("fa5s.exclamation-triangle", "#c62828" if errors else "#e69500"))

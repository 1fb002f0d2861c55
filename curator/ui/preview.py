"""The preview of the current article.

Every string from a file is escaped before it enters the HTML we build; `featuredContent` is
shown as source, never rendered; the Markdown body is rendered by Qt with raw HTML disabled;
and `loadResource` serves only our own images, so nothing remote or `file://` is ever loaded.
Links open in the system browser, and only http(s) ones.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QDesktopServices, QPixmap, QTextDocument
from PySide6.QtWidgets import QTextBrowser

from ..core.site.article import Details, Summary
from .icons import icon_pixmap
from .theme import css
from .throttle import Throttle

#: The widest the big image is shown (the preview's image cache holds this size).
LARGE_WIDTH = 560

MARKDOWN = QTextDocument.MarkdownFeature(
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub.value | QTextDocument.MarkdownFeature.MarkdownNoHTML.value
)


def is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def esc_text(text: str) -> str:
    """Escape text from the web that may carry HTML entities (&#8217;): decode them first, then escape all."""
    return esc(html.unescape(text))


def markdown_to_html(body: str) -> str:
    doc = QTextDocument()
    doc.setMarkdown(body, MARKDOWN)
    rendered = doc.toHtml()
    start = rendered.find("<body")
    start = rendered.find(">", start) + 1 if start >= 0 else 0
    end = rendered.rfind("</body>")
    return rendered[start : end if end >= 0 else len(rendered)]


def local_date(value: dt.datetime | None) -> str:
    return value.astimezone().strftime("%A %d %B %Y, %H:%M %Z") if value else ""


class PreviewPane(QTextBrowser):
    """Shows one article; images come only from the thumbnail caches."""

    def __init__(self, large, small, parent=None, stories: Any = None):
        super().__init__(parent)
        self.large = large  # Thumbnails for the big image
        self.small = small  # Thumbnails for logos and related articles
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._open_link)
        self.summary: Summary | None = None
        #: the duplicate stories and link checks (mainwindow.stories.Stories): others(path), link_status(path)
        self.stories = stories
        self.details: Details | None = None
        self.dirty = False
        self._images: dict[str, str] = {}  # resource name -> (which cache, url)
        self._fitted_to = -1  # the pane's width the big image was fitted to
        large.ready.connect(self._image_ready)
        small.ready.connect(self._image_ready)
        self.refit = Throttle(lambda: self.summary is not None and self._render(), 80, self)
        self.show_empty("Select an article to preview it.")

    def show_empty(self, message: str) -> None:
        self.summary = self.details = None
        self.setHtml(f"<p style='color:gray; margin:24px'>{esc(message)}</p>")

    def show_article(self, summary: Summary, details: Details | None, dirty: bool = False) -> None:
        self.summary, self.details, self.dirty = summary, details, dirty
        self._render()

    def show_row(self, workspace, path: str | None, details: Details | None = None) -> None:
        """The article at `path` of a Workspace (with its details when read), or the empty state."""
        if path is None or path not in workspace.rows:
            self.show_empty("Select an article to preview it.")
            return
        row = workspace.rows[path]
        self.show_article(workspace.summary(row), details, workspace.is_dirty(row))

    def update_article(self, summary: Summary, dirty: bool) -> None:
        """New values of the article shown (an edit, a reload): the details read before stay."""
        self.show_article(summary, self.details, dirty)

    def _img(self, cache: str, url: str, width: int | None = None, height: int | None = None) -> str:
        if not url or (self.large if cache == "large" else self.small).error(url):
            return ""  # no picture rather than a broken one
        name = f"curator-{cache}:{len(self._images)}"
        self._images[name] = (cache, url)
        size = (f" width='{width}'" if width else "") + (f" height='{height}'" if height else "")
        return f"<img src='{esc(name)}'{size}>"

    def _link(self, url: str, label: str) -> str:
        if is_web_url(url):
            return f"<a href='{esc(url)}'>{esc(label)}</a>"
        return esc(url)

    def _render(self) -> None:
        s, d = self.summary, self.details
        if s is None:
            return
        self._images = {}
        out = []
        self._fitted_to = self.width()
        image = self._img("large", s.image, self._fit_width(s.image))
        if image:
            out.append(f"<p align='center'>{image}</p>")
        out.append(f"<h2>{esc_text(s.title) if s.title else esc(s.path)}</h2>")
        provider = " ".join(
            p for p in (self._img("small", s.provider_logo, 20, 20), esc(s.provider_name or s.provider_domain)) if p
        )
        meta = [provider] if provider else []
        if s.date:
            meta.append(esc(local_date(s.date)))
        if s.type or s.category:
            meta.append(esc(" / ".join(p for p in (s.category, s.type) if p)))
        muted = css("muted")
        out.append(f"<p style='color:{muted}'>" + " &nbsp;·&nbsp; ".join(meta) + "</p>")
        status = [
            f"<b style='color:{css('published')}'>Published</b>"
            if s.published
            else f"<b style='color:{css('unpublished')}'>Unpublished</b>",
            f"Quality <b>{esc(s.quality) if s.quality is not None else '—'}</b>",
            f"Heat <b>{esc(s.heat) if s.heat is not None else '—'}</b>",
        ]
        if self.dirty:
            status.append(f"<i style='color:{css('warning')}'>unsaved changes</i>")
        out.append("<p>" + " &nbsp;|&nbsp; ".join(status) + "</p>")
        if s.topics:
            chip = f"background:{css('chip')}; color:{css('chip_text')}"
            chips = " ".join(f"<span style='{chip}'>&nbsp;{esc(t)}&nbsp;</span>" for t in s.topics)
            out.append(f"<p>{chips}</p>")
        if s.excerpt:
            out.append(f"<p>{esc_text(s.excerpt)}</p>")
        if d is not None:
            links = []
            if d.web_url:
                links.append(self._link(d.web_url, "Open article"))
            if d.original_url and d.original_url != d.web_url:
                links.append(self._link(d.original_url, "Original source"))
            if links:
                out.append("<p>" + " &nbsp;·&nbsp; ".join(links) + "</p>")
            if d.error:
                out.append(f"<p style='color:{css('error')}'>Could not read the file: {esc(d.error)}</p>")
            if d.body.strip():
                out.append("<hr>" + markdown_to_html(d.body))
            if d.related:
                out.append("<h3>Related</h3><table cellspacing='6'>")
                for r in d.related:
                    thumb = self._img("small", r.image, 64, 48)
                    title = self._link(r.url, r.title or r.url) if r.url else esc(r.title)
                    sub = " · ".join(
                        p for p in (esc(r.provider), esc(r.date.strftime("%Y-%m-%d")) if r.date else "") if p
                    )
                    out.append(
                        f"<tr><td>{thumb}</td><td>{title}<br><small style='color:{muted}'>{sub}</small></td></tr>"
                    )
                out.append("</table>")
            if d.featured:
                out.append("<h3>Featured content <small>(HTML source, not rendered)</small></h3>")
                out.append(f"<pre style='white-space:pre-wrap'>{esc(d.featured)}</pre>")
        out.extend(self._stories(s.path))
        if s.warnings:
            items = "".join(
                f"<li>line {esc(line)}: {esc(msg)}</li>" if line else f"<li>{esc(msg)}</li>" for line, msg in s.warnings
            )
            out.append(f"<h3 style='color:{css('error')}'>Problems in this file</h3><ul>{items}</ul>")
        out.append(f"<p style='color:{muted}'><small>{esc(s.path)}</small></p>")
        scroll = self.verticalScrollBar().value()
        self.document().clear()
        self.setHtml("".join(out))
        self.verticalScrollBar().setValue(scroll)

    def _stories(self, path: str) -> list[str]:
        """The others of the article's group of duplicate stories, and its checked links."""
        if self.stories is None:
            return []
        out = []
        muted = css("muted")
        checked = self.stories.link_status(path)
        if checked:
            rows = []
            for link, check in checked:
                said = esc(check.status) + (f" {esc(check.code)}" if check.code else "")
                if check.status == "moved":
                    said += " to " + self._link(check.final_url, check.final_url)
                elif check.detail:
                    said += f" <span style='color:{muted}'>({esc(check.detail)})</span>"
                colour = css("error") if check.status == "dead" else css("warning") if check.status != "ok" else muted
                rows.append(f"<li><span style='color:{colour}'>{esc(link.field)}: {said}</span></li>")
            out.append("<h3>Links</h3><ul>" + "".join(rows) + "</ul>")
        others = self.stories.others(path)
        if others:
            items = "".join(
                f"<li>{esc_text(title) or esc(other)} <small style='color:{muted}'>{esc(other)}</small></li>"
                for title, other in others
            )
            out.append(f"<h3>The same story ({len(others) + 1} articles)</h3><ul>{items}</ul>")
        return out

    def _fit_width(self, url: str) -> int | None:
        """The big image's width: its own, or the pane's when that is narrower (no sideways
        scrolling). The room is counted as if the scroll bar showed, whether it does or not:
        fitted to the room without it, a tall article brought the scroll bar, which narrowed
        the room, which fitted the image again, which made the article shorter, which took the
        scroll bar away... (a render every 80 ms in an idle window)."""
        pixmap = self.large.get(url) if url else None
        natural = pixmap.width() if pixmap is not None else LARGE_WIDTH
        room = self.width() - 2 * self.frameWidth() - self.verticalScrollBar().sizeHint().width()
        room -= int(2 * self.document().documentMargin()) + 12
        return max(64, room) if room < natural else None

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # the image is fitted to the pane's width: a change of height alone (the status bar
        # showing progress), or of the viewport's width alone (the scroll bar coming or going),
        # renders nothing again
        if self.summary is not None and self.summary.image and self.width() != self._fitted_to:
            self.refit()

    def loadResource(self, kind: int, name: QUrl) -> Any:
        """Serve our own images; refuse everything else (remote, file://, data from the body)."""
        entry = self._images.get(name.toString())
        if entry is None:
            return None
        cache, url = entry
        pixmap: QPixmap | None = (self.large if cache == "large" else self.small).get(url)
        if pixmap is None:  # still loading: a quiet placeholder until ready() re-renders
            size = 48 if cache == "small" else 96
            return icon_pixmap("fa5s.image", size, QColor("#bdbdbd"))
        return pixmap

    def _image_ready(self, url: str) -> None:
        if self.summary is not None and any(u == url for _, u in self._images.values()):
            self._render()

    def _open_link(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)

"""Labelled sets for duplicate grouping: the real news queue with its clusters labelled by hand,
plus made-up arrivals (URL variants, syndications, retold copies, near misses) labelled as made."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import yaml

from curator.core.folder import duplicates, fields, opening

#: The real clusters of the queue's _news folder, labelled by hand (keeper first).
REAL_CLUSTERS = [
    [  # one press release syndicated five times (ISTM/ITSM typo, RE-TRANSMISSION:)
        "2021-05-10-provance-releases-serviceteam-a-new-family-of-istm-power-apps-products.md",
        "2021-05-11-provance-releases-serviceteam-a-new-family-of-itsm-power-apps-products.md",
        "2021-05-13-provance-releases-serviceteam-a-new-family-of-istm-power-apps-products.md",
        "2021-05-11-re-transmission-provance-releases-serviceteam-a-new-family-of-itsm-power-apps-products.md",
        "2021-05-13-re-transmission-provance-releases-serviceteam-a-new-family-of-itsm-power-apps-products.md",
    ],
    [  # one IDG story on InfoWorld and Reseller News
        "2021-05-05-microsoft-fleshes-out-power-apps.md",
        "2021-05-06-microsoft-fleshes-out-power-apps.md",
    ],
    [  # a Microsoft post retold by Dataquest under another title, same excerpt
        "2021-05-25-introducing-power-apps-ideas-ai-powered-assistance-now-helps-anyone-create-apps-using-natural-language.md",
        "2021-05-26-microsoft-introduces-power-apps-ai-powered-assistance-to-create-apps-using-natural-language.md",
    ],
    [  # one post ingested twice under two titles, same originalUrl
        "2021-01-14-on-boarding-user-external-user-to-tenant-through-powerapps-portal.md",
        "2021-02-28-user-on-boarding-walkthrough-powerapps-portal-way.md",
    ],
]
#: Different stories that look alike (kept in the set as they are: each its own story).
REAL_NEAR_MISSES = [
    "2019-08-19-microsoft-power-apps-2019-release-wave-2-overview.md",
    "2020-08-04-microsoft-power-apps-2020-release-wave-1-overview.md",
    "2020-09-28-see-all-the-power-apps-updates-at-the-microsoft-business-applications-launch-event.md",
    "2021-03-22-see-all-the-power-apps-updates-at-the-microsoft-business-applications-launch-event-april-6-2021.md",
]
_SWAPS = [("Power Apps", "Power BI"), ("PowerApps", "Power Automate"), ("Microsoft", "Salesforce")]


def measure(root: Path, labels: list[list[str]]) -> tuple[float, float, list[duplicates.Group]]:
    """(precision, recall) over pairs of `duplicates.group` on the folder against the labels
    (the URLs as the loaded summaries hold them: the same values the files give)."""
    summaries = list(opening.load(str(root), None, index=None).summaries)
    urls = fields.values_of(str(root), [s.path for s in summaries], ["originalUrl"])["originalUrl"]
    assert {s.path: s.url for s in summaries if s.url} == {p: u for p, u in urls.items() if isinstance(u, str) and u}
    groups = duplicates.group(summaries)
    got, want = duplicates.pairs(g.paths for g in groups), duplicates.pairs(labels)
    hits = len(got & want)
    return (hits / len(got) if got else 1.0), (hits / len(want) if want else 1.0), groups


def _front(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1])


def _write(path: Path, data: dict) -> None:
    path.write_text("---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n", encoding="utf-8")


def _shift(value, days: int) -> str:
    when = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return (when + dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _typo(title: str) -> str | None:
    """The title with two letters of its longest word swapped (ISTM for ITSM)."""
    found = [w for w in re.findall(r"[A-Za-z]+", title) if len(w) >= 5]
    if len(re.findall(r"\w+", title)) < 4 or not found:
        return None
    word = max(found, key=len)
    mid = len(word) // 2
    swapped = word[: mid - 1] + word[mid] + word[mid - 1] + word[mid + 1 :]
    return None if swapped == word else title.replace(word, swapped, 1)


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0]


def _url_variant(url: str) -> str:
    url = url.replace("https://www.", "http://").replace("https://", "http://www.")
    return url + ("&" if "?" in url else ("/?" if not url.endswith("/") else "?")) + "utm_source=feed&fbclid=abc#top"


def build_queue(source: Path, target: Path, step: int = 5) -> list[list[str]]:
    """Copy the news queue to `target` and add made-up arrivals to every `step`-th article; returns
    the labelled groups (the real clusters and each article with its duplicate arrivals)."""
    shutil.copytree(source, target)
    labels = [list(c) for c in REAL_CLUSTERS]
    taken = {p for c in REAL_CLUSTERS for p in c} | set(REAL_NEAR_MISSES)
    bases = [p for p in sorted(x.name for x in target.glob("*.md")) if p not in taken]
    for n, name in enumerate(bases[::step]):
        data = _front(target / name)
        title, url, excerpt = str(data.get("title", "")), str(data.get("originalUrl", "")), str(data.get("excerpt", ""))
        if not title or not url:
            continue
        when = data.get("publishedDateTime", "2021-01-01T00:00:00Z")
        stem = name[:-3]
        group = [name]

        def arrival(suffix: str, days: int, provider: str, data=data, when=when, stem=stem, **changes) -> str:
            new = {**data, "publishedDateTime": _shift(when, days), "published": False, "quality": 20}
            new["provider"] = {"name": provider, "domain": provider.lower().replace(" ", "") + ".example"}
            new.update(changes)
            out = f"{stem}--{suffix}.md"
            _write(target / out, new)
            return out

        kind = n % 4
        if kind == 0:  # the same page with tracking parameters, www. and scheme changed, retitled
            group.append(arrival("url", 1, "Feed Reader", title="Read later: " + title, originalUrl=_url_variant(url)))
        if kind in (0, 1):  # syndicated: wire prefix or a provider suffix, another URL, the first sentence
            group.append(
                arrival(
                    "wire", 1, "Big News Network.com", title="RE-TRANSMISSION: " + title,
                    originalUrl=f"https://bignewsnetwork.example/news/{n}/{stem}", excerpt=_first_sentence(excerpt),
                )
            )  # fmt: skip
            group.append(
                arrival(
                    "suffix", 2, "Digital Journal", title=title + " | Digital Journal",
                    originalUrl=f"https://digitaljournal.example/pr/{900 + n}", excerpt="Syndicated from the wire.",
                )
            )  # fmt: skip
        if kind == 2:  # syndicated with a typo, another excerpt
            typo = _typo(title)
            if typo:
                group.append(
                    arrival("typo", 3, "Finanznachrichten", title=typo,
                            originalUrl=f"https://finanznachrichten.example/n/{n}.htm", excerpt="Press release.")
                )  # fmt: skip
        if kind == 3 and len(excerpt.split()) >= 8:  # retold under another title, the same excerpt
            group.append(
                arrival("retold", 1, "Dataquest", title="What the news means: " + " ".join(title.split()[:3]),
                        originalUrl=f"https://dqindia.example/{stem}-retold/")
            )  # fmt: skip
        # near misses: a number apart (with the same excerpt), a product apart, another YouTube video
        numbers = re.findall(r"\d+", title)
        if numbers:
            bumped = title.replace(numbers[0], str(int(numbers[0]) + 1), 1)
            arrival("number", 40, "Microsoft", title=bumped, originalUrl=url.rstrip("/") + "-next/")
        for old, new in _SWAPS:
            if old in title:
                other = excerpt.replace(old, new) if old in excerpt else f"The {new} team says what changed."
                arrival("product", 2, "Microsoft", title=title.replace(old, new), excerpt=other,
                        originalUrl=url.rstrip("/") + "-other/")  # fmt: skip
                break
        if "v=" in url:
            arrival("video", 0, "Microsoft", title=title + " (part two)", originalUrl=url + "X",
                    excerpt="The second part of the series.")  # fmt: skip
        if len(group) > 1:
            labels.append(group)
    return labels


def own_labels(folder: Path) -> list[list[str]]:
    return json.loads((folder / "labels.json").read_text(encoding="utf-8"))["groups"]

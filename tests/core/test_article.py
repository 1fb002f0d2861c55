from __future__ import annotations

import datetime as dt

from curator.core.document.frontmatter import load_document
from curator.core.site.article import related_articles, summarize


def summary(text: str):
    return summarize("a.md", load_document(text.encode()).parsed)


def test_fields_of_a_full_article(sample):
    s = summary((sample / "_news" / "000_0f6bed355ea43c67.txt").read_text())
    assert s.title.startswith("China pushes standards")
    assert s.provider_name == "Biometric Companies" and s.provider_domain == "biometricupdate.com"
    assert s.topics == ("Computer Vision", "AI")
    assert s.quality == 24 and s.heat == -1 and s.published is False
    assert s.date == dt.datetime(2021, 4, 28, 15, 53, tzinfo=dt.UTC)
    assert s.image.endswith("face-biometrics.jpg")
    assert not s.warnings


def test_wrong_types_become_warnings_with_lines():
    s = summary('---\ntitle: x\nquality: "high"\ntopics: Power Apps\npublished: "no"\nprovider: [a]\n---\n')
    assert s.quality is None
    assert s.topics == ("Power Apps",)
    assert s.published is True  # as Jekyll: a string is not `false`
    lines = dict(s.warnings)
    assert "quality: expected a whole number, found str 'high'" in lines[3]
    assert "topics: expected a list" in lines[4]
    assert "published: expected true or false" in lines[5]
    assert "provider: expected a mapping" in lines[6]


def test_missing_fields_are_empty_and_published():
    s = summary("---\nname: Only a name\n---\n")
    assert s.title == "Only a name"
    assert s.published is True and s.quality is None and s.date is None and s.topics == ()
    assert not s.warnings


def test_dates_in_other_shapes():
    assert summary("---\npublishedDateTime: 2021-02-03\n---\n").date == dt.datetime(2021, 2, 3, tzinfo=dt.UTC)
    assert summary('---\npublishedDateTime: "2021-02-03T04:05:06Z"\n---\n').date.hour == 4
    bad = summary('---\npublishedDateTime: "soon"\n---\n')
    assert bad.date is None and bad.warnings


def test_related_articles_skip_junk():
    doc = load_document(b"---\nrelated:\n  - title: A\n    webUrl: https://a\n  - 3\n  - title: B\n---\n")
    assert [r.title for r in related_articles(doc.parsed)] == ["A", "B"]

from __future__ import annotations

from pathlib import Path

from curator.core.site import taxonomy
from curator.core.site.root import Site


def test_taxonomy_of_the_real_site(corpus: Path):
    topics = {t.name: t for t in taxonomy.read(corpus).topics}
    assert "Power Apps" in topics and topics["Canvas apps"].parent == "Power Apps"
    assert "canvas app" in topics["Canvas apps"].keywords


def test_site_urls_resolve_to_files_in_the_checkout(corpus: Path):
    site = Site(corpus)
    logo = "https://smartableai.github.io/microsoft-power-apps/assets/images/organizations/microsoft.com-50x50.jpg"
    assert site.resolve_local(logo) == (corpus / "assets/images/organizations/microsoft.com-50x50.jpg").resolve()
    assert site.resolve_local("/assets/images/organizations/microsoft.com-50x50.jpg") is not None
    assert site.resolve_local("https://elsewhere.example/a.jpg") is None
    assert site.resolve_local("/../../etc/passwd") is None


def test_a_folder_without_site_files(tmp_path: Path):
    assert taxonomy.read(tmp_path).topics == []
    assert Site(tmp_path).resolve_local("/x.jpg") is None

from curator.core.words import count


def test_counted_nouns():
    assert count(1, "file") == "1 file"
    assert count(0, "file") == "0 files"
    assert count(1024, "article") == "1,024 articles"
    assert count(2, "article is") == "2 articles are" and count(1, "article is") == "1 article is"

from curator.core.words import count


def test_counted_nouns():
    assert count(1, "file") == "1 file"
    assert count(0, "file") == "0 files"
    assert count(1024, "article") == "1,024 articles"
    assert count(2, "article is") == "2 articles are" and count(1, "article is") == "1 article is"


def test_a_verb_agrees_with_the_count():
    assert count(1, "taxonomy file", "changes") == "1 taxonomy file changes"
    assert count(3, "taxonomy file", "changes") == "3 taxonomy files change"
    assert count(0, "article", "is") == "0 articles are" and count(1, "article", "has") == "1 article has"
    assert count(2, "topic", "has") == "2 topics have"

"""The search text kept in a file (texts.py) reads, searches and copies as a list of str would,
through appends, rows set anew, removals, a full disk, NULs and lone surrogates in a text."""

from __future__ import annotations

import os
from itertools import repeat
from operator import contains

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curator.core.folder import texts
from curator.core.folder.texts import Packed, Texts, encode

#: pieces of text: non-ASCII of every UTF-8 length, a NUL, a lone surrogate, a line break
PIECES = ["chip", "a", "é", "ß", "€", "😀", "\x00", "\udcff", "\n", "Σσ", ""]
TEXT = st.lists(st.sampled_from(PIECES), max_size=5).map("".join)
TERMS = ["", "chip", "a", "é", "😀", "\x00", "\udcff", "\n", "ip\x00a", "aa", "ßa", "zz"]

OP = st.one_of(
    st.tuples(st.just("extend"), st.lists(TEXT, max_size=12)),
    st.tuples(st.just("packed"), st.lists(TEXT, max_size=12)),
    st.tuples(st.just("set"), st.integers(0, 40), TEXT),
    st.tuples(st.just("take"), st.lists(st.booleans(), max_size=40)),
    st.tuples(st.just("shuffle"), st.randoms(use_true_random=False)),
    st.tuples(st.just("snapshot")),
    st.tuples(st.just("written")),  # (the background writes done: read from the file, not memory)
)


@pytest.fixture(autouse=True)
def small_flush(monkeypatch):
    monkeypatch.setattr(texts, "FLUSH", 16)  # the file written every few rows
    monkeypatch.setattr(texts, "GROUP", 5)  # and read in small runs


def check(store: Texts, model: list[str], rng) -> None:
    assert len(store) == len(model)
    assert list(store) == model
    if model:
        assert store[len(model) // 2] == model[len(model) // 2] and store[-1] == model[-1]
        assert store[1:-1] == model[1:-1]
    rows = [rng.randrange(len(model)) for _ in range(rng.randrange(len(model) + 1))] if model else []
    assert store.read(rows) == [model[r] for r in rows]
    for term in TERMS:
        assert store.flags(term) == bytes(map(contains, model, repeat(term))), term
        assert store.containing(rows, term) == [r for r in rows if term in model[r]], term


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(OP, max_size=14), full_disk=st.booleans(), no_pread=st.booleans(), seed=st.integers(0, 1000))
def test_texts_read_and_search_as_a_list_of_str_does(tmp_path, ops, full_disk, no_pread, seed):
    import random

    with pytest.MonkeyPatch.context() as mp:  # (undone after each example, not each test)
        rng = random.Random(seed)
        if full_disk:  # (the file cannot be written: everything stays in memory)

            def full(*args):
                raise OSError(28, "No space left on device")

            mp.setattr(os, "pwrite", full)
        if no_pread:  # (as on Windows: a seek and a read, or a write, under the lock)
            mp.delattr(os, "pread")
            mp.delattr(os, "pwrite", raising=False)
        store, model = Texts(str(tmp_path / "texts")), []
        snapshots: list[tuple[Texts, list[str], set[int], bool]] = []  # copy, its texts, rows set since, rows moved
        for op in ops:
            if op[0] == "extend":
                store.extend(op[1])
                model += op[1]
            elif op[0] == "packed":
                store.extend(Packed.of([encode(t) for t in op[1]]))
                model += op[1]
            elif op[0] == "set" and op[1] < len(model):
                store[op[1]] = model[op[1]] = op[2]
                for _, _, touched, _ in snapshots:
                    touched.add(op[1])
            elif op[0] == "take":
                keep = [r for r, k in zip(range(len(model)), op[1] + [True] * len(model), strict=False) if k]
                store.take(keep)
                model = [model[r] for r in keep]
                snapshots = [(s, t, touched, moved or keep[: len(t)] != list(range(len(t))))
                             for s, t, touched, moved in snapshots]  # fmt: skip
            elif op[0] == "shuffle":  # (kept in another order: written again)
                keep = list(range(len(model)))
                op[1].shuffle(keep)
                store.take(keep)
                model = [model[r] for r in keep]
                snapshots = [(s, t, touched, True) for s, t, touched, _ in snapshots]
            elif op[0] == "snapshot":
                snapshots.append((store.snapshot(), list(model), set(), False))
            elif op[0] == "written":
                texts.written()
            check(store, model, rng)
        for copy, was, touched, moved in snapshots:
            assert list(copy) == was  # a copy reads the texts as they were
            changed = store.changed(copy)
            n = min(len(was), len(model))
            assert {r for r in range(n) if model[r] != was[r]} <= set(changed)  # every row that differs
            if not moved:
                assert set(changed) <= touched  # and, with no row moved, only rows set since
            assert store.changed(copy, range(n)) == changed


def test_a_large_store_reads_from_its_file_and_a_copy_outlives_a_clear(tmp_path):
    store = Texts(str(tmp_path / "texts"))
    model = [f"title {i}\nexcerpt {'é' * (i % 7)}\nprovider\nprovider.com" for i in range(3000)]
    store.extend(model[:1000])
    store.extend(Packed.of([encode(t) for t in model[1000:]]))
    texts.written()
    assert store._spill.file is not None and not store._spill._runs  # noqa: SLF001 (all in the file: FLUSH is 16 bytes here)
    assert list(tmp_path.joinpath("texts").iterdir()) == []  # an unnamed file: nothing left behind
    copy = store.snapshot()
    store[5] = "changed"
    store.clear()
    assert len(store) == 0 and list(copy) == model
    assert copy.containing([7, 2999, 3], "title 7") == [7]

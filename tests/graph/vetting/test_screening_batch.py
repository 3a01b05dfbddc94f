"""Screening many rows at once (match_all, graph.vetting.screening.fuzzy) finds the same candidates, with the
same scores, reasons and verdicts, as matching each row alone with rapidfuzz's extract."""

from __future__ import annotations

import random
import sys

import pytest
from rapidfuzz import fuzz, process

from graph.index.names import fold
from graph.query import sparql
from graph.store import EmbeddedStore
from graph.vetting import audit
from graph.vetting.screening import matching
from graph.vetting.screening.fuzzy import extract, extract_many
from graph.vetting.screening.matching import match, match_all
from graph.vetting.screening.name_index import NameIndex, name_index
from graph.vetting.screening.rows import ScreenInput


@pytest.fixture(scope="module")
def dataset(demo_store: EmbeddedStore) -> sparql.Dataset:
    return sparql.dataset_for(demo_store)


@pytest.fixture(scope="module")
def index(demo_store: EmbeddedStore, dataset: sparql.Dataset) -> NameIndex:
    return name_index(demo_store, dataset, audit.data_version(demo_store, dataset).digest)


def test_extract_many_equals_extract_including_ties_and_the_cutoff() -> None:
    rng = random.Random(3)
    alphabet = "abcde "
    # Short keys over a small alphabet: many equal scores, many keys right at the cut-off.
    keys = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(3000)]
    queries = [*keys[:150], "", "abcde", "zzzz", *("".join(rng.choice(alphabet) for _ in range(8)) for _ in range(150))]
    for limit, cutoff in ((20, 60.0), (5, 88.0), (1, 30.0)):
        expected = [[(float(s), i) for _, s, i in process.extract(q, keys, scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff)] for q in queries]
        if limit == 20:
            assert sum(len(e) == limit for e in expected) > 100  # most rows have more hits than the limit: ties decide
        assert extract_many(queries, keys, limit, cutoff) == expected
        assert [extract(q, keys, limit, cutoff) for q in queries] == expected


def test_without_numpy_extract_many_matches_row_by_row(monkeypatch) -> None:
    keys = ["ana varga", "ana vargas", "oren tallavar", "tallavar oren", "varga"]
    queries = ["ana varga", "tallavar", "nobody"]
    expected = extract_many(queries, keys, 3, 60.0)
    monkeypatch.setitem(sys.modules, "numpy", None)  # import numpy now raises ImportError
    assert extract_many(queries, keys, 3, 60.0) == expected == [extract(q, keys, 3, 60.0) for q in queries]


def test_extract_many_on_no_keys_and_no_queries() -> None:
    assert extract_many(["abc"], [], 20, 60.0) == [[]]
    assert extract_many([], ["abc"], 20, 60.0) == []
    with pytest.raises(ValueError, match="cut-off"):
        extract_many(["abc"], ["abc"], 20, 0.0)  # a zero score would be indistinguishable from no score


def screening_rows(index: NameIndex) -> list[ScreenInput]:
    """Every actor's label, spelt as lists spell it, with and without type and country, plus noise."""
    rng = random.Random(5)
    rows = []
    for number, actor in enumerate(a for a in index.actors.values() if a.label):
        name = actor.label
        variant = number % 5
        if variant == 1:
            name = fold(name).upper()
        elif variant == 2 and len(name) > 6:
            cut = rng.randrange(1, len(name) - 1)
            name = name[:cut] + name[cut + 1 :]
        elif variant == 3 and " " in name:
            first, last = name.split(" ", 1)
            name = f"{last}, {first}"
        kind = "" if number % 3 == 0 else ("person" if actor.kind == "person" else "unit")
        country = index.actors[actor.country].label if actor.country and number % 2 else ""
        rows.append(ScreenInput(number + 2, name, kind, country))
    rows += [ScreenInput(9000, "Nobody Atall", "person", ""), ScreenInput(9001, "72 Mtn Bn", "unit", "Veldoria"),
             ScreenInput(9002, "71 Mountain Battalion", "", "XV"), ScreenInput(9003, "!!", "", "")]
    return rows


def test_match_all_equals_matching_each_row_alone(index, demo_store, dataset, monkeypatch) -> None:
    rows = screening_rows(index)
    alone = [match(index, row, demo_store, dataset).as_dict() for row in rows]
    assert {r["match"] for r in alone} == {"match", "ambiguous", "none"}
    # The demo's blocks are small: count every block as large, so every row goes through cdist.
    monkeypatch.setattr(matching, "LARGE_BLOCK", 1)
    searches: list[int] = []
    real = matching.extract_many

    def counting(queries, keys, limit, cutoff):  # type: ignore[no-untyped-def]
        searches.append(len(queries))
        return real(queries, keys, limit, cutoff)

    monkeypatch.setattr(matching, "extract_many", counting)
    assert [r.as_dict() for r in match_all(index, rows, demo_store, dataset)] == alone
    assert sum(searches) >= len(rows) and max(searches) > 1  # the rows were searched in batches

"""How well screening finds listed people and entities in name variants, and how rarely it matches
names that are not listed. Prints figures; it does not pass or fail.

Method (regenerate with the same --seed to get the same list):
1. A store with the ontology, the demo data and the UN consolidated list in ../shared/data/unsc.
2. Variants with known answers, from `--entries` entries of the list drawn at random (individuals
   and entities in the list's proportion), one variant of each applicable kind per entry:
   - reordered: the last word first ("WON HO RI");
   - dropped middle: a middle word of a person's name of three or more words left out (not of an
     organization's: one missing a word is often another organization);
   - transliteration: another common Latin spelling (ou/u, ee/i, kh/h, y/i, ph/f, oo/u, j/dj,
     Mohammed/Muhammad/Mohamed, Abdul/Abd al, el/al), or the name written in Cyrillic by the
     `cyrillic` table below (persons only: organizations' names are translated, not transliterated);
   - typo: one letter of a word of five or more letters replaced, dropped or swapped with the next;
   - hyphen: each hyphen written as a space, and (a second variant) left out;
   - alias: one of the entry's good-quality aliases as written.
   The type (person or organization) is given, as a screening sheet gives it; no country or date.
3. As many decoys, names that are on no list: half made of given names and family names common
   in many regions, half the first word of one listed name with the last word of another. A
   made-up name that is a form of a name on record is no decoy (screening must flag it), so it is
   dropped and drawn again: one whose comparison key scores DECOY_DISTINCT or more against any key
   on record (rapidfuzz ratio: a spelling or a typo away), or whose words are all in one name.
4. Every row goes through the batched matcher (graph.vetting.screening.matching.match_all), timed.
A confident match is status "match". Precision = confident matches of the right actor / all
confident matches (decoys included); recall = confident matches of the right actor / variants;
ambiguous rate = variants answered "ambiguous" / variants; decoys matched = decoys answered
"match" / decoys.

    .venv/bin/python bench/screening_quality.py --entries 300 --seed 13
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from harness import out
from rapidfuzz import fuzz, process

from graph.ingest import setup
from graph.ingest.importers.unsc import importer as unsc
from graph.ingest.importers.unsc.mapping import actor_iri
from graph.ingest.importers.unsc.records import Entry
from graph.query import sparql
from graph.store import open_store
from graph.vetting.screening.keys import key
from graph.vetting.screening.matching import match_all
from graph.vetting.screening.name_index import NameIndex
from graph.vetting.screening.rows import ScreenInput

DECOY_DISTINCT = 85.0  # a decoy's key scores below this against every key on record
UN_LIST = ROOT.parent / "shared" / "data" / "unsc" / "unsc_consolidated_generated_2018-10-29.xml"
SPELLINGS = [("ou", "u"), ("ee", "i"), ("kh", "h"), ("y", "i"), ("ph", "f"), ("oo", "u"), ("j", "dj"), ("el ", "al "), ("q", "k")]
WORD_SPELLINGS = {"mohammed": "muhammad", "muhammad": "mohamed", "mohamed": "mohammad", "mohammad": "muhammed", "abdul": "abd al", "abd": "abdul"}
CYRILLIC = dict(zip("abvgdezijklmnoprstufhcy", "абвгдезидклмнопрстуфхкй", strict=True))
CYRILLIC_PAIRS = {"sh": "ш", "ch": "ч", "kh": "х", "zh": "ж", "ya": "я", "yu": "ю", "ts": "ц", "j": "дж", "x": "кс", "w": "в", "q": "к"}
GIVEN = ["Maria", "John", "Chen", "Aisha", "Olga", "Pedro", "Fatima", "Kwame", "Yuki", "Ingrid", "Rahul", "Amina", "Luca", "Sofia",
         "Tomasz", "Nkechi", "Diego", "Hana", "Emeka", "Priya", "Mateo", "Zanele", "Lars", "Leila", "Kofi", "Anneke", "Ivan", "Mei"]  # fmt: skip
FAMILY = ["Gonzalez", "Smith", "Wei", "Okafor", "Petrova", "Silva", "Haddad", "Mensah", "Tanaka", "Johansson", "Sharma", "Diallo",
          "Rossi", "Novak", "Adeyemi", "Garcia", "Kim", "Nilsen", "Moreau", "Kowalski", "Osei", "Van Dijk", "Ivanova", "Lindqvist"]  # fmt: skip


@dataclass(frozen=True)
class Variant:
    name: str
    kind: str  # person | organization
    how: str
    expected: str | None  # the actor's IRI; None for a decoy


def cyrillic(name: str) -> str:
    text = name.lower()
    for latin, letter in CYRILLIC_PAIRS.items():
        text = text.replace(latin, letter)
    return "".join(CYRILLIC.get(c, c) for c in text)


def respell(name: str, rng: random.Random) -> str | None:
    words = name.lower().split()
    for i, word in enumerate(words):
        if word in WORD_SPELLINGS:
            words[i] = WORD_SPELLINGS[word]
            return " ".join(words)
    lowered = name.lower() + " "
    options = [(a, b) for a, b in SPELLINGS if a in lowered] + [(b, a) for a, b in SPELLINGS if b in lowered and len(b) > 1]
    if not options:
        return None
    a, b = rng.choice(options)
    return lowered.replace(a, b, 1).strip()


def typo(name: str, rng: random.Random) -> str | None:
    words = name.split()
    long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long:
        return None
    i = rng.choice(long)
    word, at = words[i], rng.randrange(1, len(words[i]) - 1)
    kind = rng.choice(("replace", "drop", "swap"))
    if kind == "replace":
        word = word[:at] + rng.choice("aeiourstnl") + word[at + 1 :]
    elif kind == "drop":
        word = word[:at] + word[at + 1 :]
    else:
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    words[i] = word
    return " ".join(words)


def variants_of(entry: Entry, rng: random.Random) -> list[Variant]:
    kind = "person" if entry.kind == "individual" else "organization"
    iri = actor_iri(entry).value
    name, words = entry.name, entry.name.split()
    found: list[tuple[str, str | None]] = []
    if kind == "person" and len(words) >= 2:
        found.append(("reordered", " ".join([words[-1], *words[:-1]])))
    if kind == "person" and len(words) >= 3:  # an organization missing a word is often another one
        dropped = rng.randrange(1, len(words) - 1)
        found.append(("dropped middle", " ".join(w for i, w in enumerate(words) if i != dropped)))
    in_cyrillic = kind == "person" and name.isascii() and rng.random() < 0.3  # people's names are what gets re-written
    found.append(("transliteration", cyrillic(name) if in_cyrillic else respell(name, rng)))
    found.append(("typo", typo(name, rng)))
    if "-" in name:
        found.append(("hyphen as space", name.replace("-", " ")))
        found.append(("hyphen dropped", name.replace("-", "")))
    good = [a.name for a in entry.aliases if a.quality == "good" and a.name.isascii()]
    if good:
        found.append(("alias", rng.choice(good)))
    return [Variant(text, kind, how, iri) for how, text in found if text and text != name]


def listed_form(name: str, keys: list[str], word_sets: list[set[str]]) -> bool:
    """Whether a made-up name is a form of a name on record (a spelling or typo away from one, or
    its words all in one): screening must flag those, so they cannot serve as decoys."""
    k = key(name, person=True)
    if process.extractOne(k, keys, scorer=fuzz.ratio, score_cutoff=DECOY_DISTINCT) is not None:
        return True
    words = set(k.split())
    return any(words <= other for other in word_sets)


def decoys(count: int, entries: list[Entry], index: NameIndex, rng: random.Random) -> list[Variant]:
    people = [e.name.split() for e in entries if e.kind == "individual" and len(e.name.split()) >= 2]
    keys = [e.key for e in index.entries]
    word_sets = [set(k.split()) for k in keys]
    made: list[Variant] = []
    while len(made) < count:
        if len(made) % 2 == 0:
            name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
            how = "common names"
        else:
            name = f"{rng.choice(people)[0]} {rng.choice(people)[-1]}"
            how = "parts of two listed names"
        if listed_form(name, keys, word_sets):
            continue
        made.append(Variant(name, "person", how, None))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    if not UN_LIST.exists():
        out(f"skipped: {UN_LIST} is absent")
        return
    rng = random.Random(args.seed)
    store = open_store(None)
    setup.init_store(store, demo=True)
    unsc.import_list(store, UN_LIST)
    index = NameIndex.build(store, sparql.dataset_for(store))
    entries = unsc.read_list(UN_LIST).consolidated.entries
    chosen = rng.sample(entries, min(args.entries, len(entries)))
    variants = [v for entry in chosen for v in variants_of(entry, rng)]
    rows = variants + decoys(len(variants), entries, index, rng)
    inputs = [ScreenInput(i + 2, v.name, v.kind, "") for i, v in enumerate(rows)]
    started = time.perf_counter()
    results = match_all(index, inputs)
    elapsed = time.perf_counter() - started
    by_how: Counter[tuple[str, str]] = Counter()
    confident = right = ambiguous = decoys_matched = 0
    misses: list[str] = []
    for variant, result in zip(rows, results, strict=True):
        status = result.status
        best = result.best.iri if result.best else None
        if variant.expected is None:
            decoys_matched += status == "match"
            confident += status == "match"
            if status == "match":
                misses.append(f"decoy {variant.name!r} matched {result.best.label if result.best else ''!r}")
            continue
        by_how[(variant.how, "total")] += 1
        if status == "match":
            confident += 1
            if best == variant.expected:
                right += 1
                by_how[(variant.how, "found")] += 1
            else:
                misses.append(f"{variant.how} {variant.name!r} matched the wrong actor {result.best.label if result.best else ''!r}")
        else:
            ambiguous += status == "ambiguous"
            if len(misses) < 400:
                misses.append(f"{variant.how} {variant.name!r}: {status}")
    n_variants = len(variants)
    n_decoys = len(rows) - n_variants
    out(f"screening quality: {n_variants} variants of {len(chosen)} UN entries, {n_decoys} decoys, seed {args.seed}")
    out(f"precision of confident matches: {right / confident if confident else float('nan'):.3f} ({right}/{confident})")
    out(f"recall of confident matches:    {right / n_variants:.3f} ({right}/{n_variants})")
    out(f"ambiguous rate:                 {ambiguous / n_variants:.3f} ({ambiguous}/{n_variants})")
    out(f"decoys matched:                 {decoys_matched / n_decoys:.3f} ({decoys_matched}/{n_decoys})")
    out(f"time: {elapsed:.2f} s for {len(rows)} rows ({len(rows) / elapsed:.0f} rows/s)")
    out("recall by kind of variant:")
    for how in sorted({h for h, _ in by_how}):
        out(f"  {how:<18} {by_how[(how, 'found')] / by_how[(how, 'total')]:.3f} ({by_how[(how, 'found')]}/{by_how[(how, 'total')]})")
    out("decoys matched, and first misses:")
    for line in sorted(misses, key=lambda m: not m.startswith("decoy"))[:40]:
        out(f"  {line}")


if __name__ == "__main__":
    main()

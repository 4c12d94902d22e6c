"""German analysis shared by both search backends.

Text becomes *terms* here, in Python, so that the embedded backend, osmem-server and a real
Elasticsearch index and query exactly the same tokens (osmem ignores custom stemmers and
decompounders; the engine indexes our terms with a whitespace analyzer):

- lower-casing, umlaut and ß folding (ä→ae, ö→oe, ü→ue, ß→ss; "Fuehrerschein" = "Führerschein"),
  other diacritics dropped;
- Snowball German stemming (`snowballstemmer`);
- compound splitting with a dictionary of parts built from the catalogue's own vocabulary
  (the names of the OZG-Leistungen and LeiKa services in data/ozg/): "Wohngeldantrag" →
  wohngeld + antrag, "Hundesteuer" → hund + steuer. Parts go to their own terms (`parts`), so
  a whole-word match outranks a match on a part;
- synonyms of everyday words (data/search/synonyms.tsv, reviewed data), applied to queries;
- typo tolerance: `max_edits(term)` and `PREFIX_LENGTH` say how far a query term may be from an
  indexed one (Elasticsearch's AUTO fuzziness with a fixed prefix).

The dictionaries (compound parts, synonyms) are read once per process at start-up
(`load_dictionaries`, called by fitstore's AppConfig.ready()), never on first use; what is
memoised here (stems, splits) is a pure function of a word and those dictionaries. The Snowball
stemmer keeps its state on the instance while it works, so every call gets its own.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import snowballstemmer
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX_LENGTH = 2
"""Leading characters a fuzzy match must share with the query term (fuzziness without a prefix
is two orders of magnitude slower on an engine and finds nonsense)."""

MIN_PART_LENGTH = 4
SHORT_PARTS = frozenset({"ehe", "kfz", "amt", "bau", "rat", "hof", "see", "tag", "weg", "arzt"})
"""Parts shorter than MIN_PART_LENGTH that are common heads or modifiers of German compounds."""

LINKING_ELEMENTS = ("", "s", "es", "n", "en", "e")
"""Fugenelemente between the parts of a compound (Arbeit-s-losengeld, Hund-e-steuer)."""
INFLECTIONS = frozenset({"e", "n", "en", "s", "es"})
"""Endings a compound's head may carry beyond its dictionary form (Park-ausweis-e)."""

STOPWORDS = frozenset(
    """aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
    auch auf aus bei beim bin bis bist da damit dann das dass dein deine dem den der des dessen die dies
    diese diesem diesen dieser dieses doch dort du durch ein eine einem einen einer eines er es etwas
    euer eure fuer hat hatte hier ich ihr ihre im in ist ja jede jedem jeden jeder jedes kann kein
    keine mein meine mit muss nach nicht noch nun nur ob oder ohne sein seine sich sie sind so sowie
    ueber um und uns unser unter vom von vor wann war was weil welche wenn wer werden wie wir wird
    wo zu zum zur zwischen bzw sowie ggf nichts man mich mir dich dir ihm ihn ihnen meinem meinen meiner
    meines habe haben sehr soll sollte will wollen wurde wurden moechte moechten bitte""".split()
)

_TOKEN = re.compile(r"[a-z0-9]+")
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})


def fold(text: str) -> str:
    """Lower-case; umlauts and ß written out; other diacritics dropped ("Café" → "cafe")."""
    text = text.lower().translate(_FOLD)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def words(text: str) -> list[str]:
    """The folded words of a text, stopwords removed."""
    return [word for word in _TOKEN.findall(fold(text or "")) if word not in STOPWORDS]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball German stem of a folded word (the stemmer also reads ae/oe/ue as umlauts).

    A stemmer of its own for each call (building one costs less than a microsecond): a Snowball
    stemmer keeps the word it works on in the instance, so one shared by threads mixes their words
    up (and this cache would keep the wrong stem for the process's life)."""
    return snowballstemmer.stemmer("german").stemWord(word) if not word.isdigit() else word


# -- compounds ---------------------------------------------------------------------------------


def _catalogue_names(data_dir: Path) -> list[str]:
    names = []
    for filename, column in (("ozg_leistungen.csv", "ozg_leistung"), ("ozg_leika_leistungen.csv", "leistung"),
                             ("ozg_lebenslagen.csv", None), ("ozg_themenfelder.csv", None)):
        path = data_dir / "ozg" / filename
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if column:
                    names.append(row.get(column) or "")
                else:
                    names.extend(value for key, value in row.items() if key and not key.endswith("_id") and value)
    return names


@dataclass(frozen=True)
class Dictionaries:
    compound_parts: frozenset[str]
    synonyms: Mapping[str, tuple[str, ...]]


_dictionaries: Dictionaries | None = None


def load_dictionaries() -> None:
    """Read the dictionaries from settings.DATA_DIR. fitstore's AppConfig.ready() calls this once
    per process, at start-up, before any thread searches; calling it again replaces them whole
    (one assignment) and forgets the splits made with the old ones."""
    global _dictionaries
    data_dir = Path(settings.DATA_DIR)
    parts = _read_compound_parts(data_dir)
    _dictionaries = Dictionaries(parts, MappingProxyType(_read_synonyms(data_dir)))
    split_compound.cache_clear()


def _loaded() -> Dictionaries:
    if _dictionaries is None:
        raise ImproperlyConfigured("The search's dictionaries are read at start-up (fitstore's AppConfig.ready()); "
                                   "set up Django first.")
    return _dictionaries


def compound_parts() -> frozenset[str]:
    """The dictionary of compound parts: the catalogue's own words (OZG and LeiKa names).

    Read from data/ozg/ (the same files the catalogue is loaded from), so every process and
    both backends split alike without a database round trip; data/search/compound_parts.txt adds
    reviewed parts the catalogue does not spell out on their own.
    """
    return _loaded().compound_parts


def _read_compound_parts(data_dir: Path) -> frozenset[str]:
    vocabulary = {word for name in _catalogue_names(data_dir) for word in words(name)}
    extra = data_dir / "search" / "compound_parts.txt"
    if extra.exists():
        for line in extra.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                vocabulary.update(words(line))
    # Everyday words with a synonym are parts too ("Kita|platz").
    synonyms_path = data_dir / "search" / "synonyms.tsv"
    if synonyms_path.exists():
        for line in synonyms_path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#") and "\t" in line:
                vocabulary.update(words(line.split("\t", 1)[0]))
    return frozenset(word for word in vocabulary if len(word) >= MIN_PART_LENGTH or word in SHORT_PARTS)


def _is_part(candidate: str, parts: frozenset[str]) -> bool:
    return candidate in parts and not candidate.isdigit()


@lru_cache(maxsize=65536)
def split_compound(word: str) -> tuple[str, ...]:
    """The parts of a compound word (folded), or () when it is not one.

    Fewest parts wins (then the longest head, German compounds' last part); every part must be in
    the dictionary, optionally followed by a linking element. Parts are split again, so
    "wohngeldantrag" gives wohngeld, antrag, wohn, geld.
    """
    parts = compound_parts()
    n = len(word)
    if n < 2 * 3:
        return ()
    # best[i] = (number of parts, -len(last part), parts) for word[:i]
    best: list[tuple | None] = [None] * (n + 1)
    best[0] = (0, 0, ())
    # A modifier the dictionary lacks may open a compound if a known head of 5+ letters follows
    # ("Witwen|rente", "Personal|ausweis"); it costs one part more than a known one.
    for i in range(MIN_PART_LENGTH, n - 4):
        for link in LINKING_ELEMENTS:
            end = i + len(link)
            if word[i:end] == link and end < n and best[end] is None:
                best[end] = (2, 0, (word[:i],))
    for i in range(n):
        if best[i] is None:
            continue
        count, _, found = best[i]
        for j in range(i + 3, n + 1):
            piece = word[i:j]
            if not _is_part(piece, parts) or (i == 0 and j == n):
                continue
            for link in LINKING_ELEMENTS:
                end = j + len(link)
                if end > n or word[j:end] != link:
                    continue
                if link and end == n and (i == 0 or link not in INFLECTIONS):
                    continue  # a linking element never ends a word; an inflection may end its head
                candidate = (count + 1, -len(piece), found + (piece,))
                if best[end] is None or candidate[:2] < best[end][:2]:
                    best[end] = candidate
    if best[n] is None or best[n][0] < 2:
        return ()
    result = []
    pieces = best[n][2]
    if pieces[0] not in parts and (len(pieces) < 2 or len(pieces[-1]) < 5):
        return ()
    for piece in pieces:
        result.append(piece)
        result.extend(split_compound(piece))
    return tuple(dict.fromkeys(result))


# -- terms ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    """What a text contributes to the index: whole-word stems and stems of compound parts."""

    whole: tuple[str, ...]
    parts: tuple[str, ...]


def analyse(text: str) -> Terms:
    whole, parts = [], []
    for word in words(text):
        whole.append(stem(word))
        parts.extend(stem(piece) for piece in split_compound(word))
    return Terms(tuple(whole), tuple(parts))


# -- synonyms ------------------------------------------------------------------------------------


def synonyms() -> Mapping[str, tuple[str, ...]]:
    """Everyday word (stem) → the administrative terms it stands for (stems), from
    data/search/synonyms.tsv: `word<TAB>replacement[, replacement…]`, `#` starts a comment."""
    return _loaded().synonyms


def _read_synonyms(data_dir: Path) -> dict[str, tuple[str, ...]]:
    path = data_dir / "search" / "synonyms.tsv"
    table: dict[str, list[str]] = {}
    if not path.exists():
        return {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].rstrip()
        if not line.strip() or "\t" not in line:
            continue
        word, replacements = line.split("\t", 1)
        keys = [stem(w) for w in words(word)]
        if len(keys) != 1:
            continue
        for replacement in replacements.split(","):
            for w in words(replacement):
                table.setdefault(keys[0], [])
                if stem(w) not in table[keys[0]]:
                    table[keys[0]].append(stem(w))
    return {key: tuple(value) for key, value in table.items()}


# -- queries -------------------------------------------------------------------------------------

SYNONYM_WEIGHT = 0.9
PART_WEIGHT = 0.5


@dataclass(frozen=True)
class QueryTerm:
    term: str
    weight: float
    fuzzy: bool  # whether a typo may be tolerated for this term
    prefix: bool = False  # search-as-you-type: any indexed term starting with `term` matches


def analyse_query(text: str) -> list[QueryTerm]:
    """The weighted terms of a query: whole-word stems, their compound parts (lower weight) and
    synonyms (expanded before stemming the replacements). Fuzzy matching applies to whole words
    that are long enough to carry a typo."""
    result: dict[str, QueryTerm] = {}

    def add(term: str, weight: float, fuzzy: bool) -> None:
        current = result.get(term)
        if current is None or current.weight < weight:
            result[term] = QueryTerm(term, weight, fuzzy or (current.fuzzy if current else False))

    table = synonyms()
    for word in words(text):
        stemmed = stem(word)
        add(stemmed, 1.0, fuzzy=max_edits(stemmed) > 0)
        for piece in split_compound(word):
            add(stem(piece), PART_WEIGHT, fuzzy=False)
        for key in (stemmed, *[stem(piece) for piece in split_compound(word)]):
            for replacement in table.get(key, ()):
                add(replacement, SYNONYM_WEIGHT if key == stemmed else PART_WEIGHT, fuzzy=False)
                for piece in split_compound(replacement):
                    add(stem(piece), PART_WEIGHT * SYNONYM_WEIGHT, fuzzy=False)
    return list(result.values())


def analyse_prefix_query(text: str) -> list[QueryTerm]:
    """Search as you type: the words before the last as `analyse_query`; the last word, while
    it is being typed (no space after it), a prefix of any term."""
    text = text or ""
    tokens = list(_TOKEN.finditer(fold(text)))
    if not tokens or text[-1:].isspace() or len(tokens[-1].group()) < 2:
        return analyse_query(text)
    folded = fold(text)
    head = analyse_query(folded[: tokens[-1].start()])
    partial = stem(tokens[-1].group())
    return [term for term in head if term.term != partial] + [QueryTerm(partial, 1.0, fuzzy=False, prefix=True)]


def max_edits(term: str) -> int:
    """Elasticsearch's AUTO fuzziness: 0 edits up to 2 characters, 1 up to 5, else 2."""
    return 0 if len(term) <= 2 else 1 if len(term) <= 5 else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (transpositions count once), `limit + 1` when it exceeds limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2 = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]

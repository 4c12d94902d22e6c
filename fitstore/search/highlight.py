"""Highlights shared by both backends: the words of a text whose analysed terms matched, in <em>.

Done in Python from the same analysis, so the embedded backend and the engine mark the same
words (the engine's highlighter would analyse with its own analyzer, not ours).
"""
import re
from html import escape

from . import analysis

_WORD = re.compile(r"[\wÄÖÜäöüß]+", re.UNICODE)


def _matches(word: str, terms: set[str], fuzzy_terms: set[str], prefixes: set[str] = frozenset()) -> bool:
    folded = analysis.words(word)
    if not folded:
        return False
    stemmed = analysis.stem(folded[0])
    if any(stemmed.startswith(prefix) for prefix in prefixes):
        return True
    if stemmed in terms or any(analysis.stem(part) in terms for part in analysis.split_compound(folded[0])):
        return True
    for term in fuzzy_terms:
        limit = analysis.max_edits(term)
        if stemmed[: analysis.PREFIX_LENGTH] == term[: analysis.PREFIX_LENGTH] and \
                analysis.edit_distance(stemmed, term, limit) <= limit:
            return True
    return False


def highlight(text: str, query_terms: list["analysis.QueryTerm"]) -> str | None:
    """`text` (HTML-escaped) with matching words in <em>…</em>; None when nothing matched."""
    if not text:
        return None
    terms = {term.term for term in query_terms}
    fuzzy_terms = {term.term for term in query_terms if term.fuzzy}
    prefixes = {term.term for term in query_terms if getattr(term, "prefix", False)}
    pieces, last, found = [], 0, False
    for match in _WORD.finditer(text):
        if _matches(match.group(), terms, fuzzy_terms, prefixes):
            pieces.append(escape(text[last:match.start()]))
            pieces.append(f"<em>{escape(match.group())}</em>")
            last, found = match.end(), True
    pieces.append(escape(text[last:]))
    return "".join(pieces) if found else None

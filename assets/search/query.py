"""The `q` language: what a search asks for, read without ever passing user text as syntax."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session

from assets.errors import InvalidRequest

# Searched fields, in the order a match is reported (the caption gives the most context).
FIELDS = ("caption", "headline", "keywords", "place", "byline", "credit_line", "source")
# Weight classes (PostgreSQL setweight letters): what a match in that field is worth.
WEIGHT_CLASSES = {
    "A": ("headline", "keywords"),
    "B": ("caption", "place"),
    "C": ("byline", "credit_line", "source"),
}
MAX_QUERY_CHARS = 500
MAX_TERMS = 12
TEXT_CONFIG = "simple"

_WORD = re.compile(r"[^\W_]")  # a term needs at least one letter or digit
_ITEM = re.compile(r'(-?)(?:"([^"]*)"?|([^\s"]+))')
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ue000\ue001]")


@dataclass(frozen=True)
class TextQuery:
    """What `q` asks for: every group must match (any one term of it); no excluded term may.

    A term is a word or a "quoted phrase", kept as typed; each database splits it into words
    with the same tokenizer it used for the documents.
    """

    groups: tuple[tuple[str, ...], ...]
    excluded: tuple[str, ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(term for group in self.groups for term in group)


def parse_query(text: str) -> TextQuery:
    """Read the `q` language: words (all required), "phrases", `OR` between terms, `-word`.

    Nothing the user types is passed to a query parser as syntax: words and phrases become
    quoted strings (FTS5) or bound parameters (PostgreSQL), so no input can fail as syntax.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise InvalidRequest(f"q is longer than {MAX_QUERY_CHARS} characters; shorten the search")
    text = _CONTROL.sub(" ", text)
    groups: list[list[str]] = []
    excluded: list[str] = []
    pending_or = False
    for match in _ITEM.finditer(text):
        negated, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None and not negated and word.upper() == "OR":
            pending_or = bool(groups)
            continue
        term = " ".join((phrase if phrase is not None else word).split())
        if not _WORD.search(term):
            continue
        if negated:
            if term not in excluded:
                excluded.append(term)
        elif pending_or:
            if term not in groups[-1]:
                groups[-1].append(term)
        elif [term] not in groups:
            groups.append([term])
        pending_or = False
    if not groups:
        raise InvalidRequest(
            "q has no word to look for; search for words, names or an agency reference,"
            ' e.g. q=Ivanovo handout or q="defence ministry"'
        )
    if sum(len(g) for g in groups) + len(excluded) > MAX_TERMS:
        raise InvalidRequest(f"q has more than {MAX_TERMS} terms; search with fewer words")
    return TextQuery(tuple(tuple(g) for g in groups), tuple(excluded))


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name

"""What the desk's templates show, computed here so that templates hold no rule: badges for a
decision, a caption cut into highlighted restriction phrases, dates, the chosen use."""

from __future__ import annotations

import itertools
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from assets.tables import Asset
from rights import Channel, Decision, Outcome, Purpose, Use
from rights.moment import utc

USE_COOKIE = "rightsdesk_use"
ALT_CHARS = 140

_BADGES = {
    Outcome.ALLOW: ("allow", "✓"),
    Outcome.REVIEW: ("review", "?"),
    Outcome.DENY: ("deny", "✕"),
}


@dataclass(frozen=True)
class UseChoice:
    """The use a person has picked for the badges: remembered in a cookie, per browser."""

    purpose: Purpose = Purpose.EDITORIAL
    channel: Channel | None = Channel.WEB
    territory: str | None = None

    def to_use(self, now: datetime) -> Use:
        return Use(purpose=self.purpose, channel=self.channel, territory=self.territory, at=now)

    @property
    def label(self) -> str:
        where = f" in {self.territory}" if self.territory else ", any territory"
        channel = f" on {self.channel.value}" if self.channel else ", any channel"
        return f"{self.purpose.value}{channel}{where}"

    def cookie(self) -> str:
        return quote(f"{self.purpose.value}|{self.channel or ''}|{self.territory or ''}")

    @classmethod
    def parse(
        cls, purpose: str | None, channel: str | None, territory: str | None
    ) -> UseChoice | None:
        """A choice from form values, or None when a value is not one the policy knows."""
        try:
            chosen_purpose = Purpose(purpose or Purpose.EDITORIAL.value)
            chosen_channel = Channel(channel) if channel else None
        except ValueError:
            return None
        place = (territory or "").strip().upper() or None
        if place is not None and not (len(place) == 2 and place.isalpha() and place.isascii()):
            return None
        return cls(chosen_purpose, chosen_channel, place)

    @classmethod
    def from_cookie(cls, value: str | None) -> UseChoice:
        if not value:
            return cls()
        parts = unquote(value).split("|")
        if len(parts) != 3:
            return cls()
        return cls.parse(*parts) or cls()


@dataclass(frozen=True)
class Badge:
    """allow / review / deny with its icon, and the reasons behind it in words."""

    outcome: str
    icon: str
    reasons: list[str]
    credit_line: str | None

    @property
    def label(self) -> str:
        return self.outcome.upper()

    @property
    def summary(self) -> str:
        return "; ".join(self.reasons) or "no restriction stands in the way"


def badge(decision: Decision) -> Badge:
    outcome, icon = _BADGES[decision.decision]
    return Badge(outcome, icon, [r.message for r in decision.reasons], decision.credit_line)


@dataclass(frozen=True)
class Moment:
    """A time for a `<time>` element: ISO in UTC (the page shows it in the viewer's zone)."""

    iso: str
    utc_text: str


def moment(value: datetime | None) -> Moment | None:
    if value is None:
        return None
    at = utc(value)
    return Moment(at.isoformat().replace("+00:00", "Z"), at.strftime("%Y-%m-%d %H:%M UTC"))


@dataclass(frozen=True)
class Phrase:
    """A restriction phrase found in the caption: code and what that code forbids."""

    code: str
    forbids: str


@dataclass
class Segment:
    """A run of caption text; highlighted when one or more restriction phrases cover it."""

    text: str
    phrases: list[Phrase] = field(default_factory=list)

    @property
    def note(self) -> str:
        return "; ".join(f"{p.code}: forbids {p.forbids}" for p in self.phrases)


@cache
def _forbids() -> dict[str, str]:
    data = tomllib.loads((Path(__file__).parent / "restrictions.toml").read_text("utf-8"))
    return dict(data["forbids"])


def forbids(code: str) -> str:
    return _forbids().get(code, "something a person must read (review)")


def highlighted_caption(caption: str | None, restrictions: list[dict[str, Any]]) -> list[Segment]:
    """The caption cut at every stored restriction span read from it (offsets out of range
    or from another origin are skipped), so each phrase can be marked where it stands."""
    text = caption or ""
    spans: list[tuple[int, int, Phrase]] = []
    for item in restrictions:
        for start, end in _caption_spans(item):
            if 0 <= start < end <= len(text):
                code = str(item.get("code", "OTHER"))
                spans.append((start, end, Phrase(code, forbids(code))))
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    segments: list[Segment] = []
    for start, end in itertools.pairwise(cuts):
        covering: list[Phrase] = []
        for s, e, phrase in spans:
            if s <= start and end <= e and phrase not in covering:
                covering.append(phrase)
        segments.append(Segment(text[start:end], covering))
    return segments


def _caption_spans(item: dict[str, Any]) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for piece in [item, *(item.get("evidence") or [])]:
        start, end = piece.get("start"), piece.get("end")
        if piece.get("origin") == "caption" and isinstance(start, int) and isinstance(end, int):
            found.append((start, end))
    return found


def alt_text(asset: Asset) -> str:
    """The headline, else the caption's start, else the file name: never an empty alt."""
    embedded = asset.embedded or {}
    text = embedded.get("headline") or asset.caption or asset.filename or "picture"
    text = " ".join(str(text).split())
    return text if len(text) <= ALT_CHARS else text[: ALT_CHARS - 1].rstrip() + "…"


def embargoed_until(asset: Asset, now: datetime) -> Moment | None:
    """The embargo's end while it still holds."""
    raw = (asset.rights or {}).get("embargo_until")
    if not raw:
        return None
    try:
        ends = utc(datetime.fromisoformat(str(raw).replace("Z", "+00:00")))
    except ValueError:
        return None
    return moment(ends) if ends > now else None


def metadata_blocks(raw: dict[str, dict[str, Any]]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each embedded block (IPTC, XMP, EXIF, then any other) with its fields as text."""
    blocks = []
    for origin in ("iptc", "xmp", "exif", *sorted(set(raw) - {"iptc", "xmp", "exif"})):
        fields = raw.get(origin)
        if fields:
            rows = [(str(k), _as_text(v)) for k, v in sorted(fields.items())]
            blocks.append((origin.upper(), rows))
    return blocks


def _as_text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "; ".join(_as_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_as_text(v)}" for k, v in value.items())
    return str(value)


_SOURCE_KIND = {
    "capture": "camera capture",
    "synthetic": "AI-generated, synthetic or composite",
    "unknown": "not a known source type: not proven a camera capture",
}
_RELEASE_WORDS = {
    "none": "none",
    "not_applicable": "not applicable",
    "limited": "limited or incomplete",
    "unlimited": "unlimited",
    "unknown": "unreadable (treated as none)",
}


def provenance_facts(embedded: dict[str, Any]) -> list[tuple[str, str]]:
    """What the file declares about its making and its licensing, as (label, text) lines.

    The desk shows these beside the rights; the decision on them is the policy's
    (SYNTHETIC_MEDIA, MODEL_RELEASE, EMBARGO, EXPIRY reasons).
    """
    facts: list[tuple[str, str]] = []
    provenance = embedded.get("provenance") or {}
    licensing = embedded.get("licensing") or {}
    for entry in provenance.get("digital_source_type") or []:
        value = str(entry.get("value", "")).rsplit("/", 1)[-1]
        kind = _SOURCE_KIND.get(str(entry.get("kind")), "unknown")
        facts.append(("Source type", f"{value} ({kind}) · {entry.get('field')}"))
    manifest = provenance.get("c2pa")
    if manifest:
        generator = manifest.get("claim_generator") or "unnamed generator"
        facts.append(
            (
                "C2PA",
                f"manifest present ({manifest.get('where')}), made by {generator}; "
                "signature not verified",
            )
        )
    elif "c2pa" in provenance:
        facts.append(("C2PA", "no manifest"))
    for kind, label in (
        ("model_release_status", "Model release"),
        ("property_release_status", "Property release"),
    ):
        for entry in licensing.get(kind) or []:
            words = _RELEASE_WORDS.get(str(entry.get("status")), "unreadable")
            facts.append((label, f"{words} · {entry.get('field')}"))
    for kind, label in (("release", "Not before"), ("expiration", "Expires")):
        for entry in licensing.get(kind) or []:
            when = entry.get("at") or "unreadable date"
            facts.append((label, f"{when} · {entry.get('field')} “{entry.get('value')}”"))
    for kind, label in (
        ("image_supplier", "Supplier"),
        ("copyright_owner", "Copyright owner"),
        ("licensor_url", "Licensor"),
        ("web_statement", "Rights statement"),
    ):
        for entry in licensing.get(kind) or []:
            facts.append((label, str(entry.get("value"))))
    return facts

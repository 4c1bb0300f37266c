"""Rules read from the file's licensing and provenance fields: model releases, synthetic media.

Both are reviews, never denials: the file tells us a fact (people pictured without a full
release; a picture that is not a proven camera capture), and a person decides what it means for
this use. A restriction that cannot be read in full was written as one of these codes by the
reader, so a garbled status or an unknown source type reviews rather than allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rights.decision import Reason
from rights.record import Restriction
from rights.rules import quoted, use_words
from rights.vocabulary import Code, Outcome, Purpose

RELEASE_NEEDED: frozenset[str] = frozenset(
    {Purpose.COMMERCIAL, Purpose.MARKETING, Purpose.ADVERTISING}
)
"""Uses that need a model (or property) release for the people (or places) pictured."""

SYNTHETIC_REVIEWED: frozenset[str] = frozenset({Purpose.EDITORIAL})
"""Uses for which a picture that is not a proven camera capture goes to a person: news."""


@dataclass(frozen=True, slots=True)
class ModelReleaseRule:
    """MODEL_RELEASE: commercial, marketing and advertising uses need a person to check."""

    restriction: Restriction
    static: ClassVar[bool] = True

    def judge(self, purpose: str, territory: str | None, moment: datetime | None) -> Reason:
        evidence = self.restriction.all_evidence()
        if purpose in RELEASE_NEEDED:
            return Reason(
                Code.MODEL_RELEASE,
                f"{quoted(self.restriction)}: people are pictured without a full release, "
                f"and {use_words(purpose)} needs one; a person must check the releases.",
                Outcome.REVIEW,
                evidence,
            )
        return Reason(
            Code.MODEL_RELEASE,
            f"{quoted(self.restriction)}: {use_words(purpose)} needs no model release.",
            Outcome.ALLOW,
            evidence,
        )


@dataclass(frozen=True, slots=True)
class SyntheticMediaRule:
    """SYNTHETIC_MEDIA: an AI-generated, composite or otherwise uncaptured picture in the news.

    `review_editorial` is the switch an agreement sets (`PolicyOptions.review_synthetic_media`):
    on by default; when off the reason stays on the decision, as an allow, so the desk still
    sees what the file declares.
    """

    restriction: Restriction
    review_editorial: bool = True
    static: ClassVar[bool] = True

    def judge(self, purpose: str, territory: str | None, moment: datetime | None) -> Reason:
        evidence = self.restriction.all_evidence()
        if purpose in SYNTHETIC_REVIEWED and self.review_editorial:
            return Reason(
                Code.SYNTHETIC_MEDIA,
                f"{quoted(self.restriction)}: the picture is not a proven camera capture "
                "(AI-generated, synthetic or composite); a person must decide before it runs "
                "as news.",
                Outcome.REVIEW,
                evidence,
            )
        why = "" if self.review_editorial else " (the agreement accepts synthetic media)"
        return Reason(
            Code.SYNTHETIC_MEDIA,
            f"{quoted(self.restriction)}: declared synthetic or not a camera capture; "
            f"{use_words(purpose)} is not held back for it{why}.",
            Outcome.ALLOW,
            evidence,
        )

"""Policy options: switches a supplier's agreement may set for the rules it covers.

Passed to `rights.evaluate` as `options=`; the defaults are the strict policy, so a check
without an agreement is never looser than one with it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PolicyOptions:
    """`review_synthetic_media`: editorial use of a picture declared AI-generated, synthetic or
    composite (IPTC DigitalSourceType, a C2PA manifest) goes to review. On by default; an
    agreement with a supplier that labels such pictures may turn it off."""

    review_synthetic_media: bool = True


STRICT = PolicyOptions()

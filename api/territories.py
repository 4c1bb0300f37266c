"""The territory field of every request: an assigned ISO 3166-1 code or a documented alias.

Anything else (EU, ZZ, XX, user-assigned codes) is refused with a 422 naming the field, so a
lease or a check can never carry a territory the policy would not recognise as a country.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, StrictStr

from rights.territory import ALIASES, ASSIGNED, read_territory

_ACCEPTED = sorted({*ASSIGNED, *ALIASES})
"""Declared as an enum (upper or lower case) so the API document says exactly what is read:
a client or a fuzzer sending a two-letter code the standard has not assigned knows it is
refused."""

Territory = Annotated[
    StrictStr,
    Field(
        min_length=2,
        max_length=2,
        description="ISO 3166-1 alpha-2 country code (UK and EL are read as GB and GR)",
        examples=["GB"],
        json_schema_extra={"enum": [*_ACCEPTED, *(code.lower() for code in _ACCEPTED)]},
    ),
    AfterValidator(read_territory),
]
"""A country code as the API accepts it, given back in upper case with aliases read."""

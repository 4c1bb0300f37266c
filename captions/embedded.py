"""One reading of a picture's supplier from its caption and its embedded IPTC credit fields.

A file carries, beside its caption, the IPTC Credit (2:110, photoshop:Credit), Source (2:115,
photoshop:Source) and By-line fields. The rights record and the caption eval both read them
through `with_embedded`, so that what the eval measures is what the record stores.

The supplier (the `agency`: the party whose terms govern) is the one that delivered the file:
1. the party after "via" in the caption's credit or the Credit field ("AFP via Getty Images");
2. else a known supplier the Source field names that the credit does not name as the picture's
   origin: a caption credited "AFP PHOTO / NAME" delivered with Source "Getty Images" came
   from Getty Images, and AFP is its source;
3. else the caption's credit, then the Credit field's, then a name in the Source field.
A name that matches no profile stays as written: unrecognised, so a check reviews it. The
Source field never gives a code ("X02856") or a tag ("Handout") as a name.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Final

from captions.chain import read_chain
from captions.model import ParsedCaption
from captions.parser import parse_caption
from captions.parties import Role, read_segment
from captions.profiles import Profile, agency_profile, is_brand, same_supplier
from captions.tolerant import phrase_key

_VIA: Final = re.compile(r"(?:^|[\s/,])via\s", re.IGNORECASE)
# A feed's code for a photographer or desk ("X02856", "RTR4ABC"): no supplier's name.
_CODE: Final = re.compile(r"^[^\W\d_]{0,4}\d[\w-]*$")
# Desk markers set around a name in embedded fields ("+++ dpa-Bildfunk +++").
_MARKS: Final = " \t\n+=*#"


@dataclass(frozen=True, slots=True)
class EmbeddedCredit:
    """The embedded fields that name who supplied a picture (None: the file has none)."""

    credit: str | None = None
    source: str | None = None
    byline: str | None = None


@dataclass(frozen=True, slots=True)
class _FieldReadings:
    """The embedded Credit and Source fields, each bare and read as a credit line.

    Read once so every step below sees the same reading: Credit "+++ dpa-Bildfunk +++" is
    read as "dpa-Bildfunk", Source "Getty Images" as the supplier Getty Images.
    """

    credit_text: str
    source_text: str
    credit: ParsedCaption
    source_field: ParsedCaption
    delivered: Profile | None


def with_embedded(parsed: ParsedCaption, embedded: EmbeddedCredit) -> ParsedCaption:
    """The caption's reading with what the embedded fields say about its supplier."""
    fields = _read_fields(embedded)
    agency, origin, via = _credited(parsed, fields)
    agency, source = _delivery(parsed, fields, agency=agency, origin=origin, via=via)
    source = _sub_brand(agency, fields.source_text) or source
    agency, source = _fallbacks(fields, agency=agency, source=source)
    return _merged(parsed, embedded, fields, agency=agency, source=source)


def _read_fields(embedded: EmbeddedCredit) -> _FieldReadings:
    """Both fields without desk markers, read as credit lines, with the supplier Source names.

    An empty field ("", "+++") reads as nothing; Source "Getty Images" names a known
    supplier that may have delivered a file credited to another.
    """
    credit_text = _bare(embedded.credit)
    source_text = _bare(embedded.source)
    credit = field_reading(credit_text) if credit_text else ParsedCaption()
    source_field = field_reading(source_text) if source_text else ParsedCaption()
    return _FieldReadings(
        credit_text=credit_text,
        source_text=source_text,
        credit=credit,
        source_field=source_field,
        delivered=_delivered_by(source_field),
    )


def _credited(parsed: ParsedCaption, fields: _FieldReadings) -> tuple[str | None, str | None, bool]:
    """The supplier and origin the credits name, and whether a credit says "via".

    The caption's credit wins; the Credit field speaks only when the caption names no
    supplier. A Credit field "via REUTERS" on a caption credited "Sputnik/Name/Kremlin" says
    Reuters delivered it, so Reuters is the supplier even though the caption names Sputnik.
    """
    agency, origin = parsed.agency, parsed.source
    if agency is None:
        agency, origin = fields.credit.agency, fields.credit.source
    via = _says_via(parsed.credit_line) or (parsed.agency is None and _says_via(fields.credit_text))
    if not via and _says_via(fields.credit_text) and fields.credit.agency is not None:
        # "Sputnik/Name/Kremlin" delivered with Credit "via REUTERS": Reuters delivered it.
        agency, via = fields.credit.agency, True
    return agency, origin, via


def _delivery(
    parsed: ParsedCaption,
    fields: _FieldReadings,
    *,
    agency: str | None,
    origin: str | None,
    via: bool,
) -> tuple[str | None, str | None]:
    """The supplier and source once the party that delivered the file is known.

    With no "via", a known supplier in the Source field that the credit names neither as
    supplier nor origin delivered the file: "AFP PHOTO / NAME" with Source "Getty Images"
    came from Getty Images, and AFP is its source. With "via" taken from the Credit field,
    the caption's credit is read as the chain it is to find the source.
    """
    delivered = fields.delivered
    if not via and delivered is not None and _delivered_elsewhere(delivered, agency, origin):
        chain_text = parsed.credit_line or fields.credit_text
        return delivered.name, _credited_source(chain_text, delivered, agency=agency, origin=origin)
    if via and agency is not None and agency != parsed.agency and parsed.credit_line:
        return agency, _source_via(parsed.credit_line, agency) or origin
    return agency, origin


def _credited_source(
    chain_text: str, delivered: Profile, *, agency: str | None, origin: str | None
) -> str | None:
    """The source of a credit whose file another supplier delivered: the credited supplier.

    "AFP PHOTO / NAME" delivered by Getty Images is read as the chain it is, "AFP PHOTO /
    NAME via Getty Images", whose source is AFP; with no credit the origin stays.
    """
    if agency is not None and chain_text:
        # Read as the chain it is: "AFP PHOTO / NAME via Getty Images" -> source AFP.
        return _source_via(chain_text, delivered.name) or agency
    return origin


def _delivered_elsewhere(delivered: Profile, agency: str | None, origin: str | None) -> bool:
    """Whether the Source field's supplier is neither the credited supplier nor its origin.

    Source "Getty Images" on "AFP PHOTO / NAME" names another party; Source "EPA" on
    "EPA-EFE/NAME" names the credited supplier itself.
    """
    return not _names(delivered, agency) and not _names(delivered, origin)


def _names(profile: Profile, name: str | None) -> bool:
    """Whether a name, when there is one, is the profile's supplier."""
    return name is not None and _same(profile, name)


def _sub_brand(agency: str | None, source_text: str) -> str | None:
    """The Source field's text when it is a brand of the supplier itself, else None.

    A Getty Images picture with Source "WireImage" keeps "WireImage" as its source: the
    brand names where inside the supplier the picture came from.
    """
    if not source_text or agency is None or not is_brand(phrase_key(source_text)):
        return None
    profile = agency_profile(agency)
    if profile is not None and same_supplier(profile, source_text):
        return source_text  # a sub-brand of the supplier: "Getty Images" / "WireImage"
    return None


def _fallbacks(
    fields: _FieldReadings, *, agency: str | None, source: str | None
) -> tuple[str | None, str | None]:
    """The Source field's name where no credit names a supplier or a source.

    A caption with no credit and Source "Pixsell" is Pixsell's; a Source naming an
    unknown party ("Agencja Foo") gives the source, and the supplier when none is known.
    """
    source_field, delivered = fields.source_field, fields.delivered
    if source is None and source_field.agency is not None and delivered is None:
        source = source_field.agency
    if agency is None:
        agency = delivered.name if delivered is not None else source_field.agency
    return agency, source


def _merged(
    parsed: ParsedCaption,
    embedded: EmbeddedCredit,
    fields: _FieldReadings,
    *,
    agency: str | None,
    source: str | None,
) -> ParsedCaption:
    """The caption's reading with the supplier found, the caption's own values first.

    The caption's credit line and By-line are kept; the embedded Credit and By-line fill
    them only when the caption has none. "Handout" or "Pool" in any of the three marks it.
    """
    credit, source_field = fields.credit, fields.source_field
    return dataclasses.replace(
        parsed,
        agency=agency,
        credit_line=parsed.credit_line or embedded.credit,
        source=source or agency,
        byline=parsed.byline or embedded.byline or credit.byline,
        handout=parsed.handout or credit.handout or source_field.handout,
        pool=parsed.pool or credit.pool or source_field.pool,
    )


def field_reading(text: str) -> ParsedCaption:
    """An embedded field read as a credit line; a bare name ("Pixsell") names its supplier."""
    reading = parse_caption(text)
    if reading.agency is not None or _CODE.match(text):
        return reading
    chain = read_chain(text, 0, len(text), (), require=False)
    if chain is None:
        return reading
    party = chain.agency
    if party is None:
        tag = read_segment(text)
        return dataclasses.replace(reading, handout=tag.handout, pool=tag.pool)
    if party.role is Role.PERSON:
        return reading
    name = party.profile.name if party.profile is not None else party.name
    return dataclasses.replace(
        reading,
        agency=name,
        source=chain.supplier or name,
        byline=chain.byline,
        handout=reading.handout or chain.handout,
        pool=reading.pool or chain.pool,
    )


def _same(profile: Profile, name: str) -> bool:
    """Whether a name and a profile are one supplier, whichever names the other ("EPA-EFE")."""
    other = agency_profile(name)
    return same_supplier(profile, name) or (
        other is not None and same_supplier(other, profile.name)
    )


def _source_via(chain_text: str, deliverer: str) -> str | None:
    """The source of a caption's credit delivered by another supplier, read as one chain."""
    text = f"{chain_text} via {deliverer}"
    chain = read_chain(text, 0, len(text), (), require=False)
    return chain.supplier if chain is not None else None


def _delivered_by(source_field: ParsedCaption) -> Profile | None:
    """The known supplier the Source field names, if it names one."""
    if source_field.agency is None:
        return None
    return agency_profile(source_field.agency)


def _says_via(credit_line: str | None) -> bool:
    return credit_line is not None and _VIA.search(credit_line) is not None


def _bare(text: str | None) -> str:
    """A field's text without the desk markers around it."""
    return text.strip(_MARKS) if text else ""

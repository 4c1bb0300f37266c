"""An asset's rights as an ODRL/RightsML policy, and policies delivered for an asset.

`policy_of` exports what a check enforces now: the stored record (with its ingest time, for the
NO ARCHIVES window) and the leases that reach the asset, each as its own rule. `apply_policy`
reads a policy (posted, or delivered with the image) into restrictions with origin `policy` and
adds them to the record: a policy can only add, so a restriction of the caption or the file is
never lifted by one. Re-readings keep those restrictions like every other (assets.rights_reading).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlmodel import Session

from assets.audit import record_event
from assets.captioning import previous_record
from assets.catalogue import replace_restriction_index
from assets.clock import utcnow
from assets.errors import InvalidPolicy
from assets.leases import leases_applying_to, to_override
from assets.rights_reading import record_to_json
from assets.storable import unstorable
from assets.tables import Asset
from rights import Code, Origin, Restriction, RightsRecord
from rights.odrl import (
    PolicyError,
    PolicyReading,
    policy_from_record,
    policy_json,
    read_policy,
    record_with_policy,
)


def asset_iri(asset: Asset) -> str:
    """The IRI an exported policy names the asset by."""
    return f"urn:rightsdesk:asset:{asset.id}"


def enforced_record(asset: Asset) -> RightsRecord:
    """The stored record as the check reads it (with the ingest time)."""
    record = previous_record(asset) or RightsRecord()
    return dataclasses.replace(record, ingested_at=asset.created_at)


def asset_policy(asset: Asset) -> dict[str, Any]:
    """The asset's own rights as a policy, without leases (what a download carries)."""
    return policy_from_record(enforced_record(asset), target=asset_iri(asset))


def policy_of(session: Session, asset: Asset) -> dict[str, Any]:
    """The asset's rights and the leases that reach it, as an ODRL 2.2 policy (JSON-LD)."""
    leases = tuple(to_override(lease) for lease in leases_applying_to(session, asset))
    return policy_from_record(enforced_record(asset), target=asset_iri(asset), leases=leases)


def read_policy_document(document: object) -> PolicyReading:
    """`rights.odrl.read_policy`, its refusal as the catalogue's error (422 with advice).

    Text the catalogue cannot keep (NUL, control characters) is refused, as in every request.
    """
    try:
        for where, why in _unstorable_texts(document):
            raise InvalidPolicy(f"the policy's {where or 'value'} {why}")
        return read_policy(document)
    except PolicyError as exc:
        raise InvalidPolicy(str(exc)) from exc
    except RecursionError as exc:
        raise InvalidPolicy("the policy is nested too deeply to be read") from exc


def read_policy_text(text: str | bytes) -> PolicyReading:
    """A policy from its JSON text (a request's body, a sidecar), read strictly: a repeated key,
    NaN or text that is not UTF-8 JSON is refused (InvalidPolicy), never guessed at."""
    try:
        document = policy_json(text)
    except PolicyError as exc:
        raise InvalidPolicy(str(exc)) from exc
    return read_policy_document(document)


MAX_SIDECAR_BYTES = 4 << 20
"""A policy sidecar is read up to the size of a request's JSON body; a larger one is not read
(review), rather than read whole into memory."""
SIDECAR_SUFFIXES = (".odrl.jsonld", ".odrl.json")
"""A policy delivered beside an image: `photo.jpg.odrl.jsonld` or `photo.odrl.jsonld`."""


def is_policy_sidecar(path: Path) -> bool:
    return path.name.lower().endswith(SIDECAR_SUFFIXES)


def sidecar_of(image: Path) -> Path | None:
    """The policy sidecar delivered beside `image`, if any."""
    for base in (image.name, image.stem):
        for suffix in SIDECAR_SUFFIXES:
            candidate = image.with_name(base + suffix)
            if candidate.is_file():
                return candidate
    return None


def apply_sidecar(session: Session, asset: Asset, sidecar: Path, actor: str) -> PolicyReading:
    """Add a sidecar policy's restrictions. One that cannot be read is not skipped: it is an
    OTHER restriction naming the sidecar, so every check goes to review until a person reads
    it."""
    try:
        with sidecar.open("rb") as handle:
            text = handle.read(MAX_SIDECAR_BYTES + 1)
        if len(text) > MAX_SIDECAR_BYTES:
            raise InvalidPolicy(f"larger than {MAX_SIDECAR_BYTES} bytes")
        reading = read_policy_text(text)
    except (OSError, InvalidPolicy) as exc:
        phrase = f"policy sidecar {sidecar.name} could not be read ({exc})"
        reading = PolicyReading(
            restrictions=(Restriction(Code.OTHER, phrase[:500], Origin.POLICY),),
            notes=(phrase,),
        )
    return _add(session, asset, reading, actor, f"sidecar {sidecar.name}")


def apply_policy(
    session: Session, asset: Asset, document: str | bytes, actor: str
) -> PolicyReading:
    """Add what the policy (its JSON text) states to the asset's restrictions; audit it.
    Never removes any."""
    return _add(session, asset, read_policy_text(document), actor, "request")


def _add(
    session: Session, asset: Asset, reading: PolicyReading, actor: str, delivered: str
) -> PolicyReading:
    before = {"rights": asset.rights}
    record = record_with_policy(previous_record(asset) or RightsRecord(), reading)
    asset.rights = record_to_json(record)
    asset.updated_at = utcnow()
    session.add(asset)
    replace_restriction_index(session, asset)
    record_event(
        session,
        actor=actor,
        action="asset.policy",
        asset_id=asset.id,
        before=before,
        after={"rights": asset.rights, "notes": list(reading.notes), "from": delivered},
    )
    session.commit()
    session.refresh(asset)
    return reading


def _unstorable_texts(value: object, path: str = "") -> Iterator[tuple[str, str]]:
    """(where, why) for each string, key or value, the catalogue would refuse to keep."""
    if isinstance(value, str):
        if (why := unstorable(value)) is not None:
            yield path, why
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and (why := unstorable(key)) is not None:
                yield where, f"key {why}"
            yield from _unstorable_texts(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _unstorable_texts(item, f"{path}[{index}]")

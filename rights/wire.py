"""Rights values to and from plain JSON-able dicts (str, int, bool, None, lists, dicts).

The API, the catalogue's JSON columns and the CLI all need the same shapes (the HTTP contract
in docs/architecture.md); keeping the conversion here, pure, means they cannot drift apart.
Datetimes travel as ISO 8601 strings (naive ones stay naive). Readers are strict about shape
and say which field is wrong, with one deliberate exception: a restriction code this version
does not know is read as OTHER, which always sends a check to review, so a record written by a
newer parser still fails closed instead of failing to load.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import partial
from typing import Any, TypeVar

from rights.agreements import AGREED_COSTS, Agreement, Cost
from rights.decision import Decision, Override, Reason, Use
from rights.errors import WireError
from rights.moment import representable, utc
from rights.record import Evidence, Restriction, RightsRecord, UnreadableBlock
from rights.territory import UnknownTerritory, read_territory
from rights.vocabulary import Channel, Code, LeaseScope, Origin, Outcome, Purpose

JSON = dict[str, Any]
E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")
_CODES = frozenset(str(c) for c in Code)


# --- evidence and restrictions ---------------------------------------------------------------


def evidence_to_dict(evidence: Evidence) -> JSON:
    """`{"text", "origin", "start", "end"}`."""
    return {
        "text": evidence.text,
        "origin": str(evidence.origin),
        "start": evidence.start,
        "end": evidence.end,
    }


def evidence_from_dict(data: Mapping[str, Any], where: str = "evidence") -> Evidence:
    """The inverse of `evidence_to_dict`; `origin` defaults to caption."""
    _require_mapping(data, where)
    return Evidence(
        text=_str(data, "text", where),
        origin=_enum(Origin, data.get("origin", Origin.CAPTION), f"{where}.origin"),
        start=_opt_int(data, "start", where),
        end=_opt_int(data, "end", where),
    )


def restriction_to_dict(restriction: Restriction) -> JSON:
    """The contract's `{"code", "text", "origin", "start", "end"}` plus every piece of evidence,
    the embargo end and the territory lists."""
    return {
        "code": str(restriction.code),
        "text": restriction.text,
        "origin": str(restriction.origin),
        "start": restriction.start,
        "end": restriction.end,
        "evidence": [evidence_to_dict(e) for e in restriction.evidence],
        "embargo_until": _iso(restriction.embargo_until),
        "countries_excluded": list(restriction.countries_excluded),
        "countries_included": list(restriction.countries_included),
        "expires_at": _iso(restriction.expires_at),
    }


def restriction_from_dict(data: Mapping[str, Any], where: str = "restriction") -> Restriction:
    """The inverse of `restriction_to_dict`; only `code` and `text` are required."""
    _require_mapping(data, where)
    raw_code = data.get("code")
    if not isinstance(raw_code, str):
        raise WireError(f"{where}.code must be a restriction code such as NO_SALES")
    code = Code(raw_code) if raw_code in _CODES else Code.OTHER
    return Restriction(
        code=code,
        text=_str(data, "text", where),
        origin=_enum(Origin, data.get("origin", Origin.CAPTION), f"{where}.origin"),
        start=_opt_int(data, "start", where),
        end=_opt_int(data, "end", where),
        evidence=_each(data, "evidence", where, evidence_from_dict),
        embargo_until=_opt_datetime(data, "embargo_until", where),
        countries_excluded=_strs(data, "countries_excluded", where),
        countries_included=_strs(data, "countries_included", where),
        expires_at=_opt_datetime(data, "expires_at", where),
    )


def unreadable_block_to_dict(block: UnreadableBlock) -> JSON:
    """`{"block", "warning"}`."""
    return {"block": str(block.block), "warning": block.warning}


def unreadable_block_from_dict(data: Mapping[str, Any], where: str = "block") -> UnreadableBlock:
    """The inverse of `unreadable_block_to_dict`; both fields are required."""
    _require_mapping(data, where)
    return UnreadableBlock(
        block=_enum(Origin, data.get("block"), f"{where}.block"),
        warning=_str(data, "warning", where),
    )


# --- records ---------------------------------------------------------------------------------


def record_to_dict(record: RightsRecord) -> JSON:
    """The asset's `rights` object of the HTTP contract, plus what the policy reads (kill,
    ingest time, retention days, unrecognised text, unreadable metadata blocks, extra)."""
    return {
        "agency": record.agency,
        "agency_ref": record.agency_ref,
        "credit_line": record.credit_line,
        "source": record.source,
        "byline": record.byline,
        "copyright": record.copyright,
        "handout": record.handout,
        "pool": record.pool,
        "date": record.date.isoformat() if isinstance(record.date, date) else record.date,
        "place": record.place,
        "restrictions": [restriction_to_dict(r) for r in record.restrictions],
        "embargo_until": _iso(record.embargo_until),
        "territories": list(record.territories),
        "parser_version": record.parser_version,
        "unrecognised": list(record.unrecognised),
        "killed": record.killed,
        "kill_notice": record.kill_notice,
        "kill_requested": record.kill_requested,
        "kill_reason": record.kill_reason,
        "ingested_at": _iso(record.ingested_at),
        "archive_retention_days": record.archive_retention_days,
        "extra": dict(record.extra),
        "unreadable_blocks": [unreadable_block_to_dict(b) for b in record.unreadable_blocks],
    }


def record_from_dict(data: Mapping[str, Any], where: str = "rights") -> RightsRecord:
    """The inverse of `record_to_dict`; every field is optional.

    `date` is read as a date when it is "YYYY-MM-DD" and kept as text otherwise ("2022-01").
    """
    _require_mapping(data, where)
    extra = data.get("extra") or {}
    if not isinstance(extra, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in extra.items()
    ):
        raise WireError(f"{where}.extra must be an object of strings")
    retention = _opt_int(data, "archive_retention_days", where)
    return RightsRecord(
        agency=_opt_str(data, "agency", where),
        agency_ref=_opt_str(data, "agency_ref", where),
        credit_line=_opt_str(data, "credit_line", where),
        source=_opt_str(data, "source", where),
        byline=_opt_str(data, "byline", where),
        copyright=_opt_str(data, "copyright", where),
        handout=_bool(data, "handout", where),
        pool=_bool(data, "pool", where),
        date=_record_date(data.get("date"), f"{where}.date"),
        place=_opt_str(data, "place", where),
        restrictions=_each(data, "restrictions", where, restriction_from_dict),
        embargo_until=_opt_datetime(data, "embargo_until", where),
        parser_version=_opt_str(data, "parser_version", where),
        killed=_bool(data, "killed", where),
        kill_notice=_bool(data, "kill_notice", where),
        kill_requested=_bool(data, "kill_requested", where),
        kill_reason=_opt_str(data, "kill_reason", where),
        ingested_at=_opt_datetime(data, "ingested_at", where),
        archive_retention_days=retention,
        extra=dict(extra),
        unrecognised=_strs(data, "unrecognised", where),
        territories=_strs(data, "territories", where),
        unreadable_blocks=_each(data, "unreadable_blocks", where, unreadable_block_from_dict),
    )


# --- uses and leases -------------------------------------------------------------------------


def use_to_dict(use: Use) -> JSON:
    """The `use` object of `POST /v1/rights/check`."""
    return {
        "purpose": str(use.purpose),
        "channel": None if use.channel is None else str(use.channel),
        "territory": use.territory,
        "at": _iso(use.at),
        "publication": use.publication,
        "url": use.url,
    }


def use_from_dict(data: Mapping[str, Any], where: str = "use") -> Use:
    """The inverse of `use_to_dict`; only `purpose` is required."""
    _require_mapping(data, where)
    if "purpose" not in data:
        raise WireError(f"{where}.purpose is required: one of {_choices(Purpose)}")
    channel = data.get("channel")
    territory = _opt_str(data, "territory", where)
    return Use(
        purpose=_enum(Purpose, data["purpose"], f"{where}.purpose"),
        channel=None if channel is None else _enum(Channel, channel, f"{where}.channel"),
        territory=None if territory is None else _territory(territory, f"{where}.territory"),
        at=_opt_datetime(data, "at", where),
        publication=_opt_str(data, "publication", where),
        url=_opt_str(data, "url", where),
    )


def override_to_dict(override: Override) -> JSON:
    """The contract's override: `{"id", "effect", "purposes", "channels", "territories", "starts",
    "ends", "reason"}` plus `scope` and `target` for agency- and source-wide leases."""
    return {
        "id": override.id,
        "effect": str(override.effect),
        "purposes": [str(p) for p in override.purposes],
        "channels": [str(c) for c in override.channels],
        "territories": list(override.territories),
        "starts": _iso(override.starts),
        "ends": _iso(override.ends),
        "reason": override.reason,
        "scope": str(override.scope),
        "target": override.target,
    }


def override_from_dict(data: Mapping[str, Any], where: str = "override") -> Override:
    """The inverse of `override_to_dict`; `effect` and `reason` are required."""
    _require_mapping(data, where)
    if "effect" not in data:
        raise WireError(f"{where}.effect is required: allow or deny")
    starts = _opt_datetime(data, "starts", where)
    ends = _opt_datetime(data, "ends", where)
    if starts is not None and ends is not None and utc(starts) >= utc(ends):
        raise WireError(f"{where}.ends must be after {where}.starts")
    return Override(
        effect=_enum(Outcome, data["effect"], f"{where}.effect"),
        reason=_str(data, "reason", where),
        purposes=_each(data, "purposes", where, partial(_enum, Purpose)),
        channels=_each(data, "channels", where, partial(_enum, Channel)),
        territories=tuple(
            _territory(t, f"{where}.territories[{i}]")
            for i, t in enumerate(_strs(data, "territories", where))
        ),
        starts=starts,
        ends=ends,
        id=_opt_str(data, "id", where),
        scope=_enum(LeaseScope, data.get("scope") or "asset", f"{where}.scope"),
        target=_opt_str(data, "target", where),
    )


# --- decisions -------------------------------------------------------------------------------


def reason_to_dict(reason: Reason) -> JSON:
    """`{"code", "message", "outcome", "evidence", "lifted_by"}`."""
    return {
        "code": str(reason.code),
        "message": reason.message,
        "outcome": str(reason.outcome),
        "evidence": [evidence_to_dict(e) for e in reason.evidence],
        "lifted_by": reason.lifted_by,
    }


def reason_from_dict(data: Mapping[str, Any], where: str = "reason") -> Reason:
    """The inverse of `reason_to_dict`."""
    _require_mapping(data, where)
    return Reason(
        code=_str(data, "code", where),
        message=_str(data, "message", where),
        outcome=_enum(Outcome, data.get("outcome"), f"{where}.outcome"),
        evidence=_each(data, "evidence", where, evidence_from_dict),
        lifted_by=_opt_str(data, "lifted_by", where),
    )


def decision_to_dict(decision: Decision) -> JSON:
    """One result of `POST /v1/rights/check` without the `asset` key the API adds."""
    return {
        "decision": str(decision.decision),
        "reasons": [reason_to_dict(r) for r in decision.reasons],
        "credit_line": decision.credit_line,
        "obligations": list(decision.obligations),
        "purge": decision.purge,
        "cost": decision.cost,
        "price": decision.price,
    }


def decision_from_dict(data: Mapping[str, Any], where: str = "result") -> Decision:
    """The inverse of `decision_to_dict` (the CLI reads the API's answers with it)."""
    _require_mapping(data, where)
    return Decision(
        decision=_enum(Outcome, data.get("decision"), f"{where}.decision"),
        reasons=_each(data, "reasons", where, reason_from_dict),
        credit_line=_opt_str(data, "credit_line", where),
        obligations=_strs(data, "obligations", where),
        purge=_bool(data, "purge", where),
        cost=_opt_str(data, "cost", where),
        price=_opt_str(data, "price", where),
    )


# --- agreements ------------------------------------------------------------------------------


def agreement_to_dict(agreement: Agreement) -> JSON:
    """`{"supplier", "cost", "price", "currency", "purposes", "channels", "territories", "quota",
    "lease_required", "starts", "ends", "retention_days", "note", "review_synthetic_media",
    "id", "version"}`; the
    default agreement has `"supplier": null`. The price is a decimal string ("12.50")."""
    return {
        "id": agreement.id,
        "version": agreement.version,
        "supplier": agreement.supplier,
        "cost": str(agreement.cost),
        "price": None if agreement.price is None else str(agreement.price),
        "currency": agreement.currency,
        "purposes": [str(p) for p in agreement.purposes],
        "channels": [str(c) for c in agreement.channels],
        "territories": list(agreement.territories),
        "quota": agreement.quota,
        "lease_required": [str(p) for p in agreement.lease_required],
        "starts": _iso(agreement.starts),
        "ends": _iso(agreement.ends),
        "retention_days": agreement.retention_days,
        "note": agreement.note,
        "review_synthetic_media": agreement.review_synthetic_media,
    }


def agreement_from_dict(data: Mapping[str, Any], where: str = "agreement") -> Agreement:
    """The inverse of `agreement_to_dict`. Only `cost` is required; a missing or null
    `supplier` is the default agreement. Refuses what could not be meant: a cost of
    `overquota`, a negative quota or price, a window that ends before it starts."""
    _require_mapping(data, where)
    known = {
        "id", "version", "supplier", "cost", "price", "currency", "purposes", "channels",
        "territories", "quota", "lease_required", "starts", "ends", "retention_days", "note",
        "review_synthetic_media",
    }  # fmt: skip
    unknown = sorted(str(k) for k in data if k not in known)
    if unknown:
        raise WireError(f"{where} has unknown fields {unknown}; the fields are {sorted(known)}")
    if "cost" not in data:
        raise WireError(f"{where}.cost is required: one of {', '.join(AGREED_COSTS)}")
    cost = _enum(Cost, data["cost"], f"{where}.cost")
    if cost not in AGREED_COSTS:
        raise WireError(f"{where}.cost must be one of {', '.join(AGREED_COSTS)}")
    supplier = _opt_str(data, "supplier", where)
    if supplier is not None and not supplier.strip():
        raise WireError(f"{where}.supplier must name a supplier, or be null for the default")
    starts = _opt_datetime(data, "starts", where)
    ends = _opt_datetime(data, "ends", where)
    if starts is not None and ends is not None and utc(starts) >= utc(ends):
        raise WireError(f"{where}.ends must be after {where}.starts")
    currency = _opt_str(data, "currency", where)
    if currency is not None and not (
        len(currency) == 3 and currency.isascii() and currency.isalpha()
    ):
        raise WireError(f"{where}.currency must be an ISO 4217 code such as EUR")
    return Agreement(
        supplier=None if supplier is None else supplier.strip(),
        cost=cost,
        purposes=_each(data, "purposes", where, partial(_enum, Purpose)),
        channels=_each(data, "channels", where, partial(_enum, Channel)),
        territories=tuple(
            _territory(t, f"{where}.territories[{i}]")
            for i, t in enumerate(_strs(data, "territories", where))
        ),
        price=_price(data.get("price"), f"{where}.price"),
        currency=None if currency is None else currency.upper(),
        quota=_count(data, "quota", where),
        lease_required=_each(data, "lease_required", where, partial(_enum, Purpose)),
        starts=starts,
        ends=ends,
        retention_days=_count(data, "retention_days", where),
        id=_opt_str(data, "id", where),
        version=_opt_int(data, "version", where),
        note=_opt_str(data, "note", where) or "",
        review_synthetic_media=_bool(data, "review_synthetic_media", where, default=True),
    )


def _price(value: object, where: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise WireError(f'{where} must be a decimal amount such as "12.50"')
    try:
        price = Decimal(str(value))
    except InvalidOperation:
        raise WireError(f'{where} must be a decimal amount such as "12.50"') from None
    if not price.is_finite() or price < 0 or price > Decimal(10) ** 9:
        raise WireError(f"{where} must be an amount from 0 to 1,000,000,000")
    return price.quantize(Decimal("0.01"))


def _count(data: Mapping[str, Any], key: str, where: str) -> int | None:
    value = _opt_int(data, key, where)
    if value is not None and not 0 <= value <= 10**9:
        raise WireError(f"{where}.{key} must be a whole number from 0 to 1,000,000,000")
    return value


# --- field readers ---------------------------------------------------------------------------


def _require_mapping(data: object, where: str) -> None:
    if not isinstance(data, Mapping):
        raise WireError(f"{where} must be a JSON object, not {type(data).__name__}")


def _str(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise WireError(f"{where}.{key} is required and must be a string")
    return value


def _opt_str(data: Mapping[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise WireError(f"{where}.{key} must be a string or null")
    return value


def _opt_int(data: Mapping[str, Any], key: str, where: str) -> int | None:
    value = data.get(key)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise WireError(f"{where}.{key} must be an integer or null")
    return value


def _bool(data: Mapping[str, Any], key: str, where: str, *, default: bool = False) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise WireError(f"{where}.{key} must be true or false")
    return value


def _list(data: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise WireError(f"{where}.{key} must be a list")
    return list(value)


def _each(
    data: Mapping[str, Any], key: str, where: str, read: Callable[[Any, str], T]
) -> tuple[T, ...]:
    """Every item of the list `key`, read with its place in the list (`where.key[i]`)."""
    return tuple(
        read(item, f"{where}.{key}[{i}]") for i, item in enumerate(_list(data, key, where))
    )


def _territory(value: str, where: str) -> str:
    """A territory of a use or a lease, kept as written, refused unless it names a country."""
    try:
        read_territory(value)
    except UnknownTerritory as error:
        raise WireError(f"{where}: {error}") from None
    return value


def _strs(data: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    values = _list(data, key, where)
    if not all(isinstance(v, str) for v in values):
        raise WireError(f"{where}.{key} must be a list of strings")
    return tuple(values)


def _enum(cls: type[E], value: object, where: str) -> E:
    if isinstance(value, str):
        try:
            return cls(value)
        except ValueError:
            pass
    raise WireError(f"{where} must be one of {_choices(cls)}, not {value!r}")


def _choices(cls: type[StrEnum]) -> str:
    return ", ".join(str(m) for m in cls)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _opt_datetime(data: Mapping[str, Any], key: str, where: str) -> datetime | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if representable(moment):
                return moment
            raise WireError(f"{where}.{key} must be a moment from year 1 to 9999 in UTC")
    raise WireError(f"{where}.{key} must be an ISO 8601 datetime such as 2026-01-09T12:00:00Z")


def _record_date(value: object, where: str) -> date | str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise WireError(f"{where} must be an ISO date (2022-01-09), a month (2022-01) or null")
    if len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    return value

"""Agreements as a TOML file a newsroom keeps in git (`rightsdesk agreements import|export`).

    [default]                 # suppliers without their own agreement; leave out for none
    cost = "free"
    purposes = ["editorial"]

    [[agreement]]
    supplier = "EPA"
    cost = "pay"
    price = "12.50"
    currency = "EUR"
    channels = ["web", "print"]
    quota = 500               # uses per calendar month
    lease_required = ["commercial"]
    starts = 2026-01-01T00:00:00Z

Keys are the agreement's wire form (rights.agreement_from_dict). Importing makes the
catalogue match the file: an agreement that changed gets a new version, one missing from the
file ends (unless `prune` is off); an unchanged one is left as it is, so importing twice
changes nothing.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from assets.agreements import (
    InvalidAgreement,
    agreement_of,
    list_agreements,
    put_agreement,
    read_agreement,
    remove_agreement,
    supplier_key,
)
from rights import Agreement, agreement_to_dict

_ORDER = (
    "supplier", "cost", "price", "currency", "purposes", "channels", "territories", "quota",
    "lease_required", "starts", "ends", "retention_days", "note",
)  # fmt: skip


@dataclass
class ImportReport:
    set: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)


def read_file(text: str) -> list[Agreement]:
    """Every agreement in the file's text, or InvalidAgreement naming the table and field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidAgreement(f"not a TOML file: {error}") from None
    unknown = sorted(k for k in data if k not in ("default", "agreement"))
    if unknown:
        raise InvalidAgreement(f"unknown tables {unknown}: use [default] and [[agreement]]")
    tables: list[tuple[str, Any]] = []
    if "default" in data:
        tables.append(("[default]", {**_plain(data["default"]), "supplier": None}))
    for i, table in enumerate(data.get("agreement", [])):
        if not isinstance(table, dict) or not table.get("supplier"):
            raise InvalidAgreement(f"[[agreement]] number {i + 1} needs a supplier")
        tables.append((f"[[agreement]] {table['supplier']}", _plain(table)))
    agreements: list[Agreement] = []
    seen: dict[str, str] = {}
    for where, table in tables:
        try:
            agreement = read_agreement(table)
        except InvalidAgreement as error:
            raise InvalidAgreement(f"{where}: {error}") from None
        key = supplier_key(agreement.supplier)
        if key in seen:
            raise InvalidAgreement(f"{where} names the same supplier as {seen[key]}")
        seen[key] = where
        agreements.append(agreement)
    return agreements


def _plain(table: object) -> Any:
    """TOML values as the wire form takes them: dates and times as ISO text."""
    if isinstance(table, dict):
        return {k: _plain(v) for k, v in table.items()}
    if isinstance(table, list):
        return [_plain(v) for v in table]
    if isinstance(table, datetime | date):
        return table.isoformat()
    return table


def import_agreements(
    session: Session, agreements: list[Agreement], actor: str, *, prune: bool = True
) -> ImportReport:
    """Make the catalogue's agreements match `agreements` (in the caller's transaction)."""
    report = ImportReport()
    current = {row.supplier_key: row for row in list_agreements(session)}
    wanted = {supplier_key(a.supplier): a for a in agreements}
    for key, agreement in wanted.items():
        row = current.get(key)
        name = agreement.supplier or "default"
        if row is not None and _same(agreement_of(row), agreement):
            report.unchanged.append(name)
            continue
        put_agreement(session, agreement, actor)
        report.set.append(name)
    if prune:
        for key, row in current.items():
            if key not in wanted:
                remove_agreement(session, row.id, actor)
                report.ended.append(row.supplier or "default")
    return report


def _same(a: Agreement, b: Agreement) -> bool:
    def terms(x: Agreement) -> dict[str, Any]:
        return agreement_to_dict(replace(x, id=None, version=None, supplier_key=None))

    return terms(a) == terms(b)


def export_agreements(session: Session) -> str:
    """The catalogue's agreements as the TOML file `read_file` reads back to the same."""
    out = ["# rightsdesk agreements: rightsdesk agreements import FILE.toml", ""]
    for row in list_agreements(session):
        data = agreement_to_dict(agreement_of(row))
        if row.supplier is None:
            out.append("[default]")
        else:
            out.append("[[agreement]]")
        for key in _ORDER:
            value = data.get(key)
            if key == "supplier" and row.supplier is None:
                continue
            if value is None or value == [] or value == "":
                continue
            out.append(f"{key} = {_toml(value)}")
        out.append("")
    return "\n".join(out)


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    text = str(value)
    escaped = "".join(
        {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(c)
        or (f"\\u{ord(c):04x}" if ord(c) < 0x20 or ord(c) == 0x7F else c)
        for c in text
    )
    return f'"{escaped}"'

"""The instants the policy compares, made comparable.

Records, uses and leases arrive from captions, JSON and databases, some with a time zone and
some without. Comparing a naive datetime with an aware one raises, and an exception in the
middle of a publish check is worse than a documented convention: naive datetimes are read as
UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime


def as_utc(moment: datetime | None) -> datetime | None:
    """`moment` in UTC (naive read as UTC), or None when it is unknown.

    Always UTC, not merely aware, so that two equal instants written in different zones give
    word-for-word the same reasons.
    """
    return None if moment is None else utc(moment)


def utc(moment: datetime) -> datetime:
    """The same instant in UTC; a naive datetime is read as UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)

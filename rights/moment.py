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


_FIRST = datetime.min.replace(tzinfo=UTC)
_LAST = datetime.max.replace(tzinfo=UTC)


def utc(moment: datetime) -> datetime:
    """The same instant in UTC; a naive datetime is read as UTC already.

    Total: an instant UTC cannot write (0001-01-01T00:00+01:00 is in year 0) is the first or
    last moment UTC can, so a stored window or a client's moment never fails a check."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return _FIRST if moment.year == datetime.min.year else _LAST


def representable(moment: datetime) -> bool:
    """Whether `moment` is an instant UTC can write: what inputs accept (a moment a year
    before the first or after the last would be moved by `utc`)."""
    if moment.tzinfo is None:
        return True
    try:
        moment.astimezone(UTC)
    except OverflowError:
        return False
    return True

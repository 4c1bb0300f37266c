"""One lease-reach rule: the SQL clause (batched and correlated) and the Python predicate agree.

Every row of the table is a lease and an asset, and whether the lease reaches the asset. The
same table is run against `rights.leases.reaches` (on the keys the catalogue computes), against
`assets.leases.reaching` as the check query's correlated EXISTS, and against it as the batch
query's IN lists, on SQLite and (with RIGHTSDESK_TEST_PG_URL) PostgreSQL.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets.db import session_scope
from assets.leases import leases_applying_to, leases_for, reaching
from assets.supplier_keys import name_key, target_key
from assets.tables import Asset, Lease
from rights import LeaseScope
from rights.leases import reaches

ASSET_ID = "00000000000000000000asset1"


class Row(NamedTuple):
    scope: LeaseScope
    target: str
    agency: str | None
    source: str | None
    reached: bool


A, G, S = LeaseScope.ASSET, LeaseScope.AGENCY, LeaseScope.SOURCE

TABLE: list[Row] = [
    Row(A, ASSET_ID, "EPA", None, True),
    Row(A, ASSET_ID.upper(), "EPA", None, False),  # ids are exact
    Row(A, "someotherasset", "EPA", None, False),
    Row(G, "EPA", "EPA", None, True),
    Row(G, "epa", "EPA", None, True),
    Row(G, " EPA ", "EPA", None, True),
    Row(G, "EPA\u00a0", "EPA", None, True),  # no-break space
    Row(G, "E\u200bPA", "EPA", None, True),  # zero-width space
    Row(G, "EP\u00adA", "EPA", None, True),  # soft hyphen
    Row(G, "ＥＰＡ", "EPA", None, True),  # fullwidth
    Row(G, "\u0415PA", "EPA", None, True),  # Cyrillic Е
    Row(G, "\u0415\u0420\u0410", "EPA", None, True),  # Cyrillic ЕРА
    Row(G, "EPA", "\u0395\u03a1\u0391", None, True),  # Greek ΕΡΑ in the agency
    Row(G, "E P A", "EPA", None, True),  # letter-spaced
    Row(G, "R E U T E R S", "Reuters", None, True),
    Row(G, "\u0395PA-EFE", "EPA", None, False),  # look-alikes never merge two suppliers
    Row(S, "\u0422\u0410\u0421\u0421", None, "ТАСС", True),  # Cyrillic TASS, as itself
    Row(G, "Reuters", "REUTERS", None, True),
    Row(G, "REUTERS", "Reuters ", None, True),
    Row(G, "agencia brasil", "Agência Brasil", None, True),
    Row(G, "A.P.", "AP", None, True),
    Row(G, "ap", "AFP", None, False),
    Row(G, "EPA", "EPA-EFE", None, False),
    Row(G, "EPA EFE", "EPA-EFE", None, True),
    Row(G, "EPA", None, "EPA", False),  # an agency lease does not reach by source
    Row(G, "EPA", None, None, False),
    Row(G, "---", "---", None, False),  # a name with no letter reaches nothing
    Row(G, ASSET_ID, None, None, False),
    Row(S, "epa", None, "EPA", True),
    Row(
        S,
        "Ukrainian Presidential Press Service",
        None,
        "UKRAINIAN PRESIDENTIAL  PRESS SERVICE",
        True,
    ),
    Row(S, "EPA", "EPA", None, False),
    Row(S, "White House", None, "White House/Handout", False),
    Row(S, "", None, "", False),
]


def python_reaches(scope: str, target: str, agency: str | None, source: str | None) -> bool:
    """`rights.leases.reaches` on the keys the catalogue computes for these names."""
    return reaches(
        scope,
        target_key(scope, target),
        asset_id=ASSET_ID,
        agency_key=name_key(agency),
        source_key=name_key(source),
    )


def test_python_predicate_follows_the_table() -> None:
    for row in TABLE:
        assert python_reaches(row.scope, row.target, row.agency, row.source) is row.reached, row


def _store(runtime, row: Row) -> None:
    with session_scope(runtime.engine) as session:
        session.add(
            Asset(
                id=ASSET_ID,
                sha256="0" * 64,
                media_type="image/jpeg",
                bytes=1,
                agency=row.agency,
                source=row.source,
            )
        )
        session.add(Lease(scope=row.scope.value, target=row.target, effect="deny", reason="r"))
        session.commit()


def _correlated(runtime) -> bool:
    query = sa.select(
        sa.exists().where(reaching([Asset.id], [Asset.agency_key], [Asset.source_key]))
    ).where(Asset.id == ASSET_ID)
    with runtime.engine.connect() as connection:
        return bool(connection.execute(query).scalar_one())


@pytest.mark.parametrize("row", TABLE, ids=[f"{r.scope}:{r.target!r}" for r in TABLE])
def test_sql_clause_follows_the_table(runtime, row: Row) -> None:
    _store(runtime, row)
    with session_scope(runtime.engine) as session:
        asset = session.get(Asset, ASSET_ID)
        assert asset is not None
        batched = bool(leases_for(session, [asset]))
        listed = bool(leases_applying_to(session, asset))
    python = python_reaches(row.scope, row.target, row.agency, row.source)
    assert (_correlated(runtime), batched, listed, python) == (row.reached,) * 4


names = st.sampled_from(
    ["EPA", "Reuters", "Agência Brasil", "AP", "EPA-EFE", "A P", "", " ", "ЕРА", "E P A", "ΑΡ"]
)
variants = st.builds(
    lambda name, upper, pad: (name.upper() if upper else name.lower()) + pad,
    names,
    st.booleans(),
    st.sampled_from(["", " ", "\u00a0", "\u200b", "."]),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    scope=st.sampled_from(LeaseScope),
    target=variants,
    agency=st.none() | variants,
    source=st.none() | variants,
)
def test_sql_and_python_agree_on_generated_rows(runtime, scope, target, agency, source) -> None:
    with runtime.engine.begin() as connection:
        connection.execute(sa.delete(Lease))
        connection.execute(sa.delete(Asset))
    row = Row(scope, target, agency, source, False)
    _store(runtime, row)
    python = python_reaches(scope, target, agency, source)
    assert _correlated(runtime) is python

"""Asset, audit and lease ids sort in the order they were made, even within one millisecond."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

from assets.ids import new_id


def test_ids_made_in_a_row_sort_in_the_order_they_were_made() -> None:
    ids = [new_id() for _ in range(5_000)]  # many share a millisecond
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)


def test_ids_made_by_many_threads_at_once_are_unique() -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        batches = list(pool.map(lambda _: [new_id() for _ in range(500)], range(8)))
    every = [i for batch in batches for i in batch]
    assert len(set(every)) == len(every)
    assert all(batch == sorted(batch) for batch in batches)

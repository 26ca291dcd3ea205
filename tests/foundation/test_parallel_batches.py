"""How ``--jobs`` cuts the read stage's work into batches (tlslint.parallel._batches)."""

from __future__ import annotations

import pytest

from tlslint.parallel import PARSE_BATCH, SLICES_PER_JOB, _batches


@pytest.mark.parametrize("count", [0, 1, 7, 63, 64, 65, 500, 10_000])
@pytest.mark.parametrize("jobs", [2, 3])
def test_batches_keep_every_item_in_order(count: int, jobs: int) -> None:
    items = list(range(count))
    for most in (None, PARSE_BATCH):
        batches = _batches(items, jobs, most)
        assert [item for batch in batches for item in batch] == items
        assert all(batches)
        assert len(batches) <= max(jobs * SLICES_PER_JOB, -(-count // (most or count or 1)))


def test_parse_batches_are_small_so_that_the_main_process_starts_early() -> None:
    """10,000 certificates: the main process waits for one batch of 64, not for a quarter of the files."""
    batches = _batches(list(range(10_000)), 2, PARSE_BATCH)
    assert max(map(len, batches)) == PARSE_BATCH and len(batches) == -(-10_000 // PARSE_BATCH)
    assert max(map(len, _batches(list(range(100)), 2, PARSE_BATCH))) == 13  # small runs: as many slices as before

"""The lag arithmetic of convene_delivery.lag: what a consumer group still owes on a partition."""

from convene_delivery.lag import lag


def test_lag_is_the_end_minus_the_committed_offset() -> None:
    assert lag(end=120, committed=100) == 20


def test_a_group_that_never_committed_owes_the_whole_partition() -> None:
    # Kafka answers -1 for a partition the group has no offset on; None when it is not listed.
    assert lag(end=42, committed=-1) == 42
    assert lag(end=42, committed=None) == 42


def test_lag_is_never_negative() -> None:
    # Retention can delete records behind a committed offset; the end never falls below it, but a
    # read of the end before the commit's read can: the answer is 0, not a negative lag.
    assert lag(end=10, committed=12) == 0

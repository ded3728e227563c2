"""Calls that arrive together go together (adapters/together.py), without a database."""

import asyncio

import pytest

from conference.adapters.together import Together


async def test_calls_arriving_while_a_batch_runs_go_in_the_next_batch_each_with_its_own_answer() -> None:
    batches: list[tuple[str, list[int]]] = []
    release = asyncio.Event()

    async def run(key: str, items: list[int]) -> list[int]:
        batches.append((key, items))
        await release.wait()
        return [n * 10 for n in items]

    together: Together[str, int, int] = Together(run, limit=3)
    first = asyncio.create_task(together("a", 1))
    await asyncio.sleep(0)  # the first batch starts with the one call there is
    await asyncio.sleep(0)
    rest = [asyncio.create_task(together("a", n)) for n in (2, 3, 4, 5)]
    other = asyncio.create_task(together("b", 6))
    await asyncio.sleep(0.01)
    release.set()
    assert await first == 10
    assert [await r for r in rest] == [20, 30, 40, 50]
    assert await other == 60
    assert batches == [("a", [1]), ("b", [6]), ("a", [2, 3, 4]), ("a", [5])]  # at most 3 per batch


async def test_an_error_reaches_every_call_of_its_batch_and_no_other() -> None:
    async def run(key: str, items: list[int]) -> list[int]:
        if 2 in items:
            raise ValueError("batch with 2 failed")
        return items

    together: Together[str, int, int] = Together(run, limit=2)
    outcomes = await asyncio.gather(*(together("a", n) for n in (1, 2, 3)), return_exceptions=True)
    assert all(isinstance(o, ValueError) for o in outcomes[:2])  # 1 and 2 shared the first batch
    assert outcomes[2] == 3  # 3 went alone in the next
    assert await together("a", 4) == 4  # and the key works again after


async def test_a_quiet_call_goes_at_once_in_a_batch_of_one() -> None:
    seen: list[list[int]] = []

    async def run(key: str, items: list[int]) -> list[int]:
        seen.append(items)
        return items

    together: Together[str, int, int] = Together(run, limit=10)
    assert await together("a", 7) == 7
    assert await together("a", 8) == 8
    assert seen == [[7], [8]]


async def test_a_run_that_answers_too_few_fails_its_calls_instead_of_leaving_them_waiting() -> None:
    async def short(key: str, items: list[int]) -> list[int]:
        return items[1:]

    together: Together[str, int, int] = Together(short, limit=10)
    with pytest.raises(RuntimeError, match="0 answers for a batch of 1"):
        await asyncio.wait_for(together("a", 1), timeout=5)

"""A small run of the fuzzer (tests/fuzz.py): 30 random documents, valid and
broken, through the generator; not one finding allowed.

The large run is on demand: ``python -m tests.fuzz --count 10000``.
"""

from pathlib import Path

from fuzz import Canary, Settings, draw_case, fuzz

COUNT = 30
SEED = 20261127


def test_small_fuzz_run_finds_nothing(tmp_path: Path) -> None:
    canary = Canary()
    try:
        # mypy --strict on the first document that generates (and on doc 0,
        # if it does); a tighter time bound than the on-demand run's 60 s.
        settings = Settings(tmp_path / "work", canary, timeout=30, mypy_sample=COUNT)
        tally = fuzz(COUNT, SEED, workers=2, settings=settings, keep=tmp_path / "kept")
    finally:
        canary.close()
    found = {kind: docs for kind, docs in tally.by_kind.items() if docs}
    assert found == {}, (
        f"{tally.findings} finding(s); each document, what was found and a "
        f"one-line reproduction are in {tmp_path / 'kept'}:\n"
        + tally.table(2, tmp_path / "kept")
    )
    assert tally.by_exit["0"] > 0, "no document generated: the output went unchecked"


def test_the_same_seed_draws_the_same_documents() -> None:
    assert [draw_case(7, i).data for i in range(3)] == [
        draw_case(7, i).data for i in range(3)
    ]
    assert draw_case(7, 0).data != draw_case(8, 0).data

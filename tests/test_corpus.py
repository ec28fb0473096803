"""tests/corpus.py per document: real public specs generate clean packages."""

# One test per document of ../shared/specs/corpus/ (skipped, with the reason,
# where ../shared is absent) and of tests/specs/. `python tests/corpus.py`
# runs the same checks in parallel and prints them as one table.

from pathlib import Path

import pytest
from corpus import (
    CORPUS,
    NO_DIAGNOSTIC,
    check_document,
    default_specs,
    details,
    warm_mypy_cache,
)

SPECS = [pytest.param(p, id=p.stem) for p in default_specs()]
if not CORPUS.is_dir():
    SPECS.append(
        pytest.param(
            None,
            id="corpus",
            marks=pytest.mark.skip(
                reason=f"{CORPUS} is absent (it lives in ../shared)"
            ),
        )
    )


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache for the module, with httpx and pydantic already in it."""
    cache = tmp_path_factory.mktemp("corpus") / "mypy-cache"
    warm_mypy_cache(cache)
    return cache


@pytest.mark.parametrize("spec", SPECS)
def test_document_generates_a_clean_package(
    spec: Path, tmp_path: Path, mypy_cache: Path
) -> None:
    report = check_document(spec, tmp_path, mypy_cache)
    findings = details(report)  # every finding, for the failure message
    assert report.generated, findings
    assert [s.operation for s in report.lost] == [], f"lost with {NO_DIAGNOSTIC}"
    assert report.mypy_errors == [], findings
    assert report.ruff.passed, findings
    assert report.black.passed, findings
    assert report.imports.passed, findings

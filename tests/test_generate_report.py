"""generate against the last generation: the report, semver, CHANGELOG.md,
--fail-on on generate and generate --check, and a pinned --version."""

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import SPEC, generate, tree

from generator.history import STATE, bump

DATE = "1795900800"  # 2026-11-28, through SOURCE_DATE_EPOCH


@pytest.fixture(autouse=True)
def _fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DATE)


def _doc() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return data


def _write(tmp_path: Path, name: str, data: dict[str, Any]) -> Path:
    # The same file name as the original: the README names it.
    path = tmp_path / name / SPEC.name
    path.parent.mkdir()
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


def _additive(tmp_path: Path) -> Path:
    data = _doc()
    data["paths"]["/v4/domains"]["get"]["parameters"].append(
        {
            "name": "sort_order",
            "in": "query",
            "description": "The order.",
            "schema": {"type": "string"},
        }
    )
    data["paths"]["/v4/ping"] = {
        "get": {
            "operationId": "pingDomains",
            "tags": ["Domains"],
            "summary": "Ping the API",
            "responses": {"200": {"description": "Pong."}},
        }
    }
    return _write(tmp_path, "additive", data)


def _breaking(tmp_path: Path) -> Path:
    data = _doc()
    del data["paths"]["/v3/{domain_name}/messages.mime"]
    data["paths"]["/v4/domains"]["get"]["parameters"].append(
        {
            "name": "owner",
            "in": "query",
            "required": True,
            "description": "Whose domains.",
            "schema": {"type": "string"},
        }
    )
    return _write(tmp_path, "breaking", data)


def _version(out: Path) -> str:
    version: str = json.loads((out / STATE).read_text())["version"]
    return version


def _run(spec: Path, out: Path, *more: str) -> tuple[int, str]:
    result = generate("--spec", str(spec), "--out", str(out), *more)
    return result.exit_code, result.output


def test_unchanged_regeneration_changes_nothing(
    tmp_path: Path, generated_copy: Path
) -> None:
    before = tree(generated_copy)
    same = tmp_path / SPEC.name  # the same bytes: every file names their hash
    shutil.copy(SPEC, same)
    code, output = _run(same, generated_copy)
    assert code == 0, output
    assert "API changes" not in output
    assert tree(generated_copy) == before
    assert not (generated_copy / "CHANGELOG.md").exists()
    assert _run(same, generated_copy, "--check", "--fail-on", "breaking")[0] == 0


def test_additive_update_is_a_minor_bump(tmp_path: Path, generated_copy: Path) -> None:
    old = _version(generated_copy)
    spec = _additive(tmp_path)
    before = tree(generated_copy)
    code, output = _run(spec, generated_copy, "--check")
    assert code == 1, output  # plain --check: any drift fails, as before
    assert "API changes: 0 breaking, 2 non-breaking, 0 deprecations" in output
    code, output = _run(spec, generated_copy, "--check", "--fail-on", "breaking")
    assert code == 0, output  # the gate: drift, but nothing breaking
    assert "differs: mailgun_client/_version.py" in output
    assert tree(generated_copy) == before
    code, output = _run(spec, generated_copy, "--fail-on", "breaking")
    assert code == 0, output
    major, minor, _ = (int(n) for n in old.split("."))
    assert _version(generated_copy) == f"{major}.{minor + 1}.0"
    assert f"version {major}.{minor + 1}.0 (was {old})" in output
    log = (generated_copy / "CHANGELOG.md").read_text()
    assert log.startswith("# Changelog\n")
    assert f"## [{major}.{minor + 1}.0] - 2026-11-28" in log
    assert "### Added" in log and "### Breaking" not in log
    assert "client.domains.ping()" in log and "sort_order" in log
    version = (generated_copy / "mailgun_client/_version.py").read_text()
    assert f'"{major}.{minor + 1}.0"' in version
    # Again: no bump, no new entry, byte-identical.
    after = tree(generated_copy)
    code, output = _run(spec, generated_copy)
    assert code == 0 and "API changes" not in output
    assert tree(generated_copy) == after
    assert _run(spec, generated_copy, "--check", "--fail-on", "breaking")[0] == 0
    assert _run(spec, generated_copy, "--check")[0] == 0


def test_breaking_update_is_a_major_bump(tmp_path: Path, generated_copy: Path) -> None:
    old = _version(generated_copy)
    spec = _breaking(tmp_path)
    before = tree(generated_copy)
    code, output = _run(spec, generated_copy, "--check", "--fail-on", "breaking")
    assert code == 1, output
    assert "breaking    client.messages.mime()" in output
    assert tree(generated_copy) == before
    code, output = _run(spec, generated_copy, "--fail-on", "breaking")
    assert code == 1, output  # written, but the gate fails
    new = f"{int(old.split('.')[0]) + 1}.0.0"
    assert _version(generated_copy) == new
    log = (generated_copy / "CHANGELOG.md").read_text()
    assert f"## [{new}] - 2026-11-28" in log and "### Breaking" in log
    # Then an additive change on top: a second entry above the first.
    code, output = _run(_additive(tmp_path), generated_copy)
    assert code == 0, output
    log2 = (generated_copy / "CHANGELOG.md").read_text()
    assert log2.index("## [") < log2.index(f"## [{new}]")
    assert log2.endswith(log[log.index(f"## [{new}]") :])  # old entry kept as is


def test_without_fail_on_generate_exits_0_on_breaking(
    tmp_path: Path, generated_copy: Path
) -> None:
    code, output = _run(_breaking(tmp_path), generated_copy)
    assert code == 0, output
    assert "API changes: " in output and "breaking" in output


def test_pinned_version(tmp_path: Path, generated_copy: Path) -> None:
    code, output = _run(
        _breaking(tmp_path),
        generated_copy,
        "--version",
        "7.7.7",
        "--fail-on",
        "deprecation",
    )
    assert code == 1, output
    assert _version(generated_copy) == "7.7.7"
    assert '"7.7.7"' in (generated_copy / "mailgun_client/_version.py").read_text()
    assert "## [7.7.7]" in (generated_copy / "CHANGELOG.md").read_text()


def test_description_only_change_is_a_patch(
    tmp_path: Path, generated_copy: Path
) -> None:
    data = _doc()
    data["info"]["description"] = "Another description."
    old = _version(generated_copy)
    code, output = _run(_write(tmp_path, "doc", data), generated_copy)
    assert code == 0, output
    major, minor, patch = (int(n) for n in old.split("."))
    assert _version(generated_copy) == f"{major}.{minor}.{patch + 1}"
    assert "### Changed" in (generated_copy / "CHANGELOG.md").read_text()


def test_first_generation_takes_the_spec_version(tmp_path: Path) -> None:
    out = tmp_path / "fresh"
    code, output = _run(SPEC, out)
    assert code == 0, output
    assert "No earlier generation stored in" in output
    assert _version(out) == str(_doc()["info"]["version"])
    assert not (out / "CHANGELOG.md").exists()


@pytest.mark.parametrize(
    ("severities", "version"),
    [((), "1.2.3"), (("breaking",), "2.0.0"), (("non-breaking",), "1.3.0")],
)
def test_bump(severities: tuple[str, ...], version: str) -> None:
    from generator.changes import Change

    found = [Change("x", "k", s, "m") for s in severities]  # type: ignore[arg-type]
    assert bump("1.2.3", found, bool(found)) == version
    assert bump("1.2.3", [], True) == "1.2.4"


def test_pinning_alone_is_an_entry(tmp_path: Path, generated_copy: Path) -> None:
    same = tmp_path / SPEC.name
    shutil.copy(SPEC, same)
    code, output = _run(same, generated_copy, "--version", "1.5.0")
    assert code == 0, output
    assert _version(generated_copy) == "1.5.0"
    log = (generated_copy / "CHANGELOG.md").read_text()
    assert "## [1.5.0] - 2026-11-28" in log and "set with --version" in log
    after = tree(generated_copy)
    assert _run(same, generated_copy)[0] == 0  # unpinned, unchanged: kept
    assert tree(generated_copy) == after
    assert _version(generated_copy) == "1.5.0"


def test_a_pinned_version_must_be_pep440(generated_copy: Path) -> None:
    before = tree(generated_copy)
    code, output = _run(SPEC, generated_copy, "--version", "v1 beta")
    assert code == 2 and "not a package version" in output
    assert tree(generated_copy) == before

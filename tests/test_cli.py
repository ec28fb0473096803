"""generator/cli.py: commands, exit codes, messages, --check, snapshot, determinism."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import Result
from helpers import (
    GENERATED,
    MINIMAL,
    ROOT,
    SPEC,
    generate,
    spec_with,
    tree,
    write_spec,
)

from generator.pipeline import Previous, run

BROKEN_REF = spec_with(
    {
        "/a": {
            "get": {
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Gone"}
                            }
                        },
                    }
                }
            }
        }
    },
    schemas={},
)
BAD_SPECS = {
    "unparseable YAML": (
        "openapi: 3.1.0\ninfo: [oops\n",
        "",
        "not valid YAML at line 3",
    ),
    "invalid document": (
        {**MINIMAL, "info": {"version": "1"}},
        "#/info",
        "invalid OpenAPI document",
    ),
    "broken $ref": (
        BROKEN_REF,
        "#/paths/~1a/get/responses/200/content/application~1json/schema/$ref",
        "broken $ref",
    ),
    "external $ref": (
        spec_with(schemas={"A": {"$ref": "https://example.com/x.yaml#/A"}}),
        "#/components/schemas/A/$ref",
        "unsupported construct: external $ref",
    ),
    "OpenAPI 3.0": ({**MINIMAL, "openapi": "3.0.3"}, "#/openapi", "is not supported"),
}


@pytest.mark.parametrize("kind", BAD_SPECS)
def test_bad_spec_one_clear_message_and_output_untouched(
    tmp_path: Path, generated_copy: Path, kind: str
) -> None:
    doc, pointer, text = BAD_SPECS[kind]
    spec = write_spec(tmp_path, doc)
    before = tree(generated_copy)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            "--spec",
            str(spec),
            "--out",
            str(generated_copy),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1, proc.stderr
    assert errors[0].startswith(f"error: {spec}{pointer}: "), errors[0]
    assert text in errors[0]
    assert tree(generated_copy) == before


def test_strict_turns_warnings_into_errors(
    tmp_path: Path, generated_copy: Path
) -> None:
    doc = spec_with(schemas={"E": {"type": "string", "enum": ["a", "a"]}})
    spec = write_spec(tmp_path, doc)
    before = tree(generated_copy)
    result = generate("--spec", str(spec), "--out", str(generated_copy), "--strict")
    assert result.exit_code == 2
    assert (
        "warning: " in result.output
        and "#/components/schemas/E/enum/1" in result.output
    )
    assert tree(generated_copy) == before
    assert generate("--spec", str(spec), "--out", str(tmp_path / "ok")).exit_code == 0


def test_check_passes_on_main() -> None:
    result = generate("--check")
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output


def test_check_fails_after_a_spec_change(tmp_path: Path, generated_copy: Path) -> None:
    spec = tmp_path / "mailgun.yaml"
    spec.write_text(
        SPEC.read_text().replace(
            "summary: List bounced addresses", "summary: List every bounced address"
        ),
    )
    before = tree(generated_copy)
    result = generate("--spec", str(spec), "--out", str(generated_copy), "--check")
    assert result.exit_code == 1
    assert "differs: mailgun_client/resources/bounces.py" in result.output
    assert '+        """List every bounced address' in result.output
    assert tree(generated_copy) == before  # --check writes nothing


def test_generated_is_the_snapshot_of_spec() -> None:
    # Against itself: the stored state keeps the version, no changelog entry.
    result = run(SPEC, previous=Previous(GENERATED))
    assert result.ok
    # The hand-written area is ours, not the snapshot's.
    on_disk = {
        k: v
        for k, v in tree(GENERATED).items()
        if not k.startswith("mailgun_client/lib/")
    }
    assert sorted(on_disk) == sorted(result.files)
    for rel, text in result.files.items():
        assert on_disk[rel] == text.encode(), rel


def test_two_runs_are_byte_identical(tmp_path: Path) -> None:
    trees = []
    for seed in ("1", "2"):
        target = tmp_path / f"run{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run(
            [sys.executable, "-m", "generator", "generate", "--out", str(target)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        trees.append(tree(target))
    assert trees[0] == trees[1]
    on_disk = tree(GENERATED)
    assert trees[0] == {
        k: v for k, v in on_disk.items() if not k.startswith("mailgun_client/lib/")
    }


def test_every_generated_file_has_the_header() -> None:
    result = run(SPEC)
    assert result.api is not None
    header = "Generated by openapi-client-generator from mailgun.yaml"
    for rel, text in result.files.items():
        if rel.endswith((".py", ".toml", ".md")):
            assert header in text, rel
            assert result.api.spec_sha256 in text, rel


def test_internal_errors_have_no_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def boom(*_: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr("generator.pipeline.run", boom)
    result = generate("--out", str(tmp_path / "out"))
    assert result.exit_code == 3
    assert "internal error" in result.output and "simulated bug" in result.output
    assert "Traceback" not in result.output


def test_console_script_is_installed() -> None:
    exe = Path(sys.executable).parent / "openapi-client-generator"
    # The script imports ``generator`` from wherever the package was installed
    # (editable: maybe another checkout); PYTHONPATH makes it this one's.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [str(exe), "generate", "--check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _invoke(*args: str) -> Result:
    from click.testing import CliRunner

    from generator.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_lint_exit_codes_and_json(tmp_path: Path) -> None:
    import json

    clean = _invoke("lint")
    assert clean.exit_code == 0, clean.output
    assert "0 error(s), 0 warning(s)" in clean.output

    dup = write_spec(
        tmp_path, spec_with(schemas={"E": {"type": "string", "enum": ["a", "a"]}})
    )
    warned = _invoke("lint", "--spec", str(dup))
    assert warned.exit_code == 1
    assert f"warning: {dup}#/components/schemas/E/enum/1: enum lists 'a' twice" in (
        warned.output
    )
    assert _invoke("lint", "--spec", str(dup), "--fail-on", "error").exit_code == 0
    report = json.loads(_invoke("lint", "--spec", str(dup), "--format", "json").output)
    assert report["summary"] == {"error": 0, "warning": 1, "info": 0}
    assert report["diagnostics"][0]["pointer"] == "/components/schemas/E/enum/1"

    broken = write_spec(tmp_path, BAD_SPECS["broken $ref"][0], "broken.yaml")
    failed = _invoke("lint", "--spec", str(broken), "--format", "json")
    assert failed.exit_code == 2
    assert json.loads(failed.output)["summary"]["error"] == 1


def test_names_table() -> None:
    out = _invoke("names")
    assert out.exit_code == 0
    assert "client.bounces  (Bounces, tag 'Bounces')" in out.output
    assert (
        "create_many                      POST    /v3/{domain_name}/bounces"
        in out.output
    )


def test_unchanged_inputs_skip_the_work(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    first = generate("--out", str(out))
    assert first.exit_code == 0 and "Generated" in first.output
    again = generate("--out", str(out))
    assert again.exit_code == 0
    assert "unchanged" in again.output and "same inputs" in again.output
    # An edited generated file is noticed and restored.
    target = out / "mailgun_client" / "_types.py"
    target.write_text(target.read_text() + "# edited\n")
    repaired = generate("--out", str(out))
    assert "1 changed" in repaired.output
    assert "# edited" not in target.read_text()
    # A changed spec is a real run too.
    spec = tmp_path / "mailgun.yaml"
    spec.write_text(SPEC.read_text().replace("List bounced", "List the bounced"))
    assert "Generated" in generate("--spec", str(spec), "--out", str(out)).output
    # --strict never takes the shortcut: it must see the warnings.
    strict = generate("--spec", str(spec), "--out", str(out), "--strict")
    assert "same inputs" not in strict.output and "0 changed" in strict.output

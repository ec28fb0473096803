"""generator/checks.py: examples checked against their schemas."""

from pathlib import Path

from helpers import operation, spec_with, write_spec

from generator.checks import check_examples
from generator.diagnostics import Diagnostics
from generator.load import load


def test_examples_that_contradict_their_schema_are_reported(tmp_path: Path) -> None:
    paths = operation(
        "/x",
        operationId="x",
        responses={
            "200": {
                "description": "ok",
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/Thing"},
                        "examples": {
                            "A": {"value": {"at": {}}},
                            "B": {"value": {"at": "Mon, 1"}},
                        },
                    }
                },
            }
        },
    )
    schemas = {"Thing": {"type": "object", "properties": {"at": {"type": "object"}}}}
    path = write_spec(tmp_path, spec_with(paths, schemas))
    diags = Diagnostics(str(path))
    check_examples(load(path, diags), diags)
    assert [d.pointer for d in diags.warnings] == [
        "/paths/~1x/get/responses/200/content/application~1json/examples/B/value",
    ]
    assert "at /at: 'Mon, 1' is not of type 'object'" in diags.warnings[0].message

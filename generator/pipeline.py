"""The whole run: load -> model -> render -> format, all in memory.

``run`` never writes; the CLI decides whether to write or compare, based on
the diagnostics it gets back.
"""

from dataclasses import dataclass
from pathlib import Path

from generator import ir
from generator.checks import check_examples
from generator.diagnostics import Diagnostic, Diagnostics, SpecError
from generator.format import format_files
from generator.load import load
from generator.model import build
from generator.render import render
from generator.write import with_manifest


@dataclass
class Result:
    diagnostics: list[Diagnostic]
    api: ir.Api | None
    files: dict[str, str]

    @property
    def ok(self) -> bool:
        return self.api is not None and not any(
            d.level.value == "error" for d in self.diagnostics
        )


def run(spec_path: Path) -> Result:
    diags = Diagnostics(str(spec_path))
    try:
        spec = load(spec_path, diags)
    except SpecError:
        return Result(diags.items, None, {})
    api = build(spec, diags)
    check_examples(spec, diags)
    if diags.errors:
        return Result(diags.items, api, {})
    files = with_manifest(format_files(render(api)))
    return Result(diags.items, api, files)

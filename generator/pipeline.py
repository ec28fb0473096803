"""The whole run: load -> model -> render -> format, all in memory.

Nothing here writes; the CLI decides whether to write, compare or just
report, based on the diagnostics it gets back.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator import ir
from generator.checks import check_examples
from generator.diagnostics import Diagnostic, Diagnostics, Level, SpecError
from generator.format import format_files
from generator.load import load
from generator.model import build
from generator.render import render
from generator.write import with_manifest


@dataclass
class Result:
    diagnostics: list[Diagnostic]
    api: ir.Api | None
    files: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.api is not None and not any(
            d.level is Level.ERROR for d in self.diagnostics
        )


def analyse(spec_path: Path, overlays: Sequence[Path] = ()) -> Result:
    """Load and model the spec, with every diagnostic; render nothing."""
    diags = Diagnostics(str(spec_path))
    try:
        spec = load(spec_path, diags, overlays)
    except SpecError:
        return Result(diags.items, None)
    api = build(spec, diags)
    check_examples(spec, diags)
    return Result(diags.items, api)


def run(spec_path: Path, overlays: Sequence[Path] = ()) -> Result:
    """Everything ``generate`` needs: diagnostics and, if usable, the files."""
    result = analyse(spec_path, overlays)
    if result.ok and result.api is not None:
        result.files = with_manifest(format_files(render(result.api)))
    return result

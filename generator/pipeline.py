"""The whole run: load -> model -> render -> format, all in memory.

Validation runs in a forked process alongside the rest (see parallel.py).
Nothing here writes: the CLI decides whether to write, compare or just
report.
"""

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator import history, ir
from generator.checks import check_examples
from generator.diagnostics import Diagnostic, Diagnostics, Level, SpecError
from generator.format import Formatting
from generator.load import LoadedSpec, load, validate_document
from generator.model import build
from generator.parallel import Pending
from generator.render import iter_render, precompile
from generator.write import with_manifest


@dataclass
class Result:
    diagnostics: list[Diagnostic]
    api: ir.Api | None
    files: dict[str, str] = field(default_factory=dict)
    report: history.Report | None = None

    @property
    def ok(self) -> bool:
        return self.api is not None and not any(
            d.level is Level.ERROR for d in self.diagnostics
        )


# How long the example check may run: a pattern that backtracks
# catastrophically (``^(a+)+$``) cannot be interrupted otherwise.
CHECK_SECONDS_ENV = "OPENAPI_CLIENT_GENERATOR_CHECK_SECONDS"


def _examples(spec: LoadedSpec) -> list[Diagnostic]:
    diags = Diagnostics(str(spec.path))
    check_examples(spec, diags)
    return diags.items


def _validation(spec: LoadedSpec) -> list[Diagnostic]:
    diags = Diagnostics(str(spec.path))
    validate_document(spec.data, diags)
    if not diags.errors:
        bound = float(os.environ.get(CHECK_SECONDS_ENV) or 30)
        try:
            diags.items.extend(Pending(lambda: _examples(spec)).result(bound))
        except TimeoutError:
            diags.warning(
                "",
                f"checking the examples against their schemas took over {bound:g} s "
                "(a pattern that backtracks?); the examples were not checked",
            )
    return diags.items


@dataclass
class Previous:
    """Where the last generation is (``--out``) and a pinned version."""

    out: Path | None = None
    pin: str | None = None


def analyse(
    spec_path: Path,
    overlays: Sequence[Path] = (),
    *,
    render: bool = False,
    previous: Previous | None = None,
) -> Result:
    """Load, validate and model the spec with every diagnostic; with
    ``render``, also the formatted files (when there are no errors).

    Validation (openapi-pydantic, then the examples) runs in a forked
    process while this one models, renders and hands files to ruff; nothing
    is decided before its diagnostics are in.
    """
    diags = Diagnostics(str(spec_path))
    # Templates compile in a child process while this one reads the spec.
    compiled = Pending(precompile) if render else None
    try:
        return _analyse(spec_path, overlays, diags, compiled, previous)
    finally:
        if compiled is not None:
            compiled.discard()


def _analyse(
    spec_path: Path,
    overlays: Sequence[Path],
    diags: Diagnostics,
    compiled: "Pending[dict[str, bytes]] | None",
    previous: Previous | None = None,
) -> Result:
    try:
        spec = load(spec_path, diags, overlays, validate=False)
    except SpecError:
        return Result(diags.items, None)
    validation = Pending(lambda: _validation(spec))
    api: ir.Api | None = None
    crash: Exception | None = None
    files: dict[str, str] = {}
    report: history.Report | None = None
    try:
        api = build(spec, diags)
        if compiled is not None and not diags.errors:
            extra: dict[str, str] = {}
            if previous is not None:
                api, report, extra = history.prepare(
                    spec, api, previous.out, previous.pin
                )
            files = Formatting(iter_render(api, compiled.result())).result()
            files.update(extra)
    except Exception as exc:  # judged once validation has spoken
        crash = exc
    checked = validation.result()
    if any(d.level is Level.ERROR for d in checked):
        # An invalid document: its validation errors are the story, and
        # whatever modelling made of it is not to be trusted.
        return Result(checked, None)
    if crash is not None:
        raise crash
    seen = set(diags.items)
    return Result(
        [*diags.items, *(d for d in checked if d not in seen)],
        api,
        with_manifest(files) if files else {},
        report,
    )


def run(
    spec_path: Path, overlays: Sequence[Path] = (), previous: Previous | None = None
) -> Result:
    """Everything ``generate`` needs: diagnostics and, if usable, the files
    (with ``previous``: versioned against the last generation, and the
    report)."""
    return analyse(spec_path, overlays, render=True, previous=previous)

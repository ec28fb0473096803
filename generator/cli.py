"""Command line: ``python -m generator generate [--spec --out --check --strict]``."""

import sys
from pathlib import Path

import click

from generator.diagnostics import Level
from generator.pipeline import run
from generator.write import OutputError, compare, write

EXIT_DRIFT = 1  # --check: the output folder is stale
EXIT_SPEC = 2  # the spec has errors (or warnings, with --strict)


@click.group()
def main() -> None:
    """Generate a typed Python client from an OpenAPI 3.1 document."""


@main.command()
@click.option(
    "--spec",
    "spec_path",
    type=click.Path(path_type=Path),
    default=Path("spec/mailgun.yaml"),
    show_default=True,
    help="The OpenAPI 3.1 document (YAML or JSON).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("generated"),
    show_default=True,
    help="The folder that holds the generated package.",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if --out is stale.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def generate(spec_path: Path, out: Path, check: bool, strict: bool) -> None:
    """Regenerate the client in --out from --spec."""
    try:
        result = run(spec_path)
    except Exception as exc:  # a generator bug: say so without a traceback
        click.echo(
            f"internal error while generating from {spec_path}: "
            f"{type(exc).__name__}: {exc}\nNothing was written. Please report this.",
            err=True,
        )
        sys.exit(3)
    for d in result.diagnostics:
        click.echo(str(d), err=True)
    errors = [d for d in result.diagnostics if d.level is Level.ERROR]
    warnings = [d for d in result.diagnostics if d.level is Level.WARNING]
    if errors or (strict and warnings):
        why = (
            f"{len(errors)} error(s)"
            if errors
            else f"{len(warnings)} warning(s) with --strict"
        )
        click.echo(f"{spec_path}: {why}; {out} was not changed.", err=True)
        sys.exit(EXIT_SPEC)

    try:
        if check:
            changes = compare(out, result.files)
        else:
            changes = write(out, result.files)
    except OutputError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_SPEC)

    assert result.api is not None
    methods = result.api.operations
    ops = f"{len({op.pointer for op in methods})} operations, {len(methods)} methods"
    summary = (
        f"{len(changes.added)} added, {len(changes.changed)} changed, "
        f"{len(changes.removed)} removed"
    )
    if check:
        if changes.any:
            click.echo(f"{out} is out of date with {spec_path} ({summary}):")
            for rel in changes.added:
                click.echo(f"  missing: {rel}")
            for rel in changes.changed:
                click.echo(f"  differs: {rel}")
                click.echo("    " + changes.diffs[rel].replace("\n", "\n    "))
            for rel in changes.removed:
                click.echo(f"  stale:   {rel}")
            click.echo("Run `python -m generator generate` and commit the result.")
            sys.exit(EXIT_DRIFT)
        click.echo(f"{out} is up to date with {spec_path} ({ops}).")
        return
    click.echo(f"Generated {out} from {spec_path}: {ops}; {summary}.")
    for rel in changes.added + changes.changed + changes.removed:
        click.echo(f"  {rel}")

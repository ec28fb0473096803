"""Command line: ``python -m generator generate|lint|names|diff``."""

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from generator import cache
from generator.diagnostics import Level

if TYPE_CHECKING:
    from generator import ir
    from generator.pipeline import Result
    from generator.write import Changes

EXIT_DRIFT = 1  # --check: stale output; lint: warnings; diff: --fail-on met
EXIT_SPEC = 2  # the spec has errors (or warnings, with --strict)
EXIT_BUG = 3  # the generator failed: a bug

F = TypeVar("F", bound=Callable[..., Any])


def spec_options(func: F) -> F:
    """--spec and --overlay, shared by every command."""
    func = click.option(
        "--overlay",
        "overlays",
        type=click.Path(path_type=Path),
        multiple=True,
        help="An OpenAPI Overlay 1.0 file applied to the spec first (repeatable).",
    )(func)
    return click.option(
        "--spec",
        "spec_path",
        type=click.Path(path_type=Path),
        default=Path("spec/mailgun.yaml"),
        show_default=True,
        help="The OpenAPI 3.1 document (YAML or JSON).",
    )(func)


def _guarded(spec_path: Path, step: Callable[[], "Result"]) -> "Result":
    try:
        return step()
    except Exception as exc:  # a generator bug: say so without a traceback
        click.echo(
            f"internal error while reading {spec_path}: {type(exc).__name__}: {exc}\n"
            "Nothing was written. Please report this.",
            err=True,
        )
        sys.exit(EXIT_BUG)


def _output(
    out: Path, files: dict[str, str], check: bool, inputs: str | None
) -> "Changes":
    """Compare with ``out`` (``--check``: nothing written, not even the cache)
    or write it; a folder that cannot be used exits 2, a bug 3."""
    from generator.write import OutputError, compare, write  # noqa: PLC0415

    try:
        return compare(out, files) if check else write(out, files, inputs)
    except OutputError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_SPEC)
    except Exception as exc:  # a generator bug: say so without a traceback
        click.echo(
            f"internal error while {'checking' if check else 'writing'} {out}: "
            f"{type(exc).__name__}: {exc}\n"
            "Please report this.",
            err=True,
        )
        sys.exit(EXIT_BUG)


# --fail-on: the severities that make the exit code 1.
_FAILING = {"breaking": ("breaking",), "deprecation": ("breaking", "deprecation")}


@click.group()
def main() -> None:
    """Generate a typed Python client from an OpenAPI 3.1 document."""


def _drift(out: Path, spec_path: Path, changes: "Changes", summary: str) -> None:
    click.echo(f"{out} is out of date with {spec_path} ({summary}):")
    if changes.interrupted:
        click.echo(f"  interrupted: {changes.interrupted}")
    for rel in changes.added:
        click.echo(f"  missing: {rel}")
    for rel in changes.changed:
        click.echo(f"  differs: {rel}")
        click.echo("    " + changes.diffs[rel].replace("\n", "\n    "))
    for rel in changes.removed:
        click.echo(f"  stale:   {rel}")
    click.echo("Run `python -m generator generate` and commit the result.")


def _report(
    out: Path, result: "Result", changes: "Changes", fail_on: str | None
) -> bool:
    """Print the API change report in short when the output changes; true
    when it holds a change at or above ``fail_on``."""
    from generator.history import short  # noqa: PLC0415

    report = result.report
    if report is None or not changes.any:
        return False
    if report.first:
        click.echo(
            f"No earlier generation stored in {out}: version {report.version}; "
            "no API report."
        )
        return False
    click.echo(short(report))
    if fail_on is None:
        return False
    return any(c.severity in _FAILING[fail_on] for c in report.changes)


def _pep440(value: str | None) -> str | None:
    """A pinned version must be a package version (``1.2.3``, ``2.0.0rc1``)."""
    import re  # noqa: PLC0415

    if value is not None and not re.fullmatch(
        r"\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?", value
    ):
        raise click.BadParameter(f"{value!r} is not a package version (PEP 440)")
    return value


@main.command()
@spec_options
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("generated"),
    show_default=True,
    help="The folder that holds the generated package.",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if --out is stale.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("-v", "--verbose", is_flag=True, help="Also show info: naming decisions.")
@click.option(
    "--fail-on",
    type=click.Choice(["breaking", "deprecation"]),
    default=None,
    help="Exit 1 when the API report has a change this severe (with --check: "
    "only then; other drift exits 0).",
)
@click.option(
    "--version",
    "pin",
    default=None,
    callback=lambda _ctx, _param, value: _pep440(value),
    help="Pin the package version (else semver from the report).",
)
def generate(  # noqa: PLR0913, PLR0917
    spec_path: Path,
    overlays: tuple[Path, ...],
    out: Path,
    check: bool,
    strict: bool,
    verbose: bool,
    fail_on: str | None,
    pin: str | None,
) -> None:
    """Regenerate the client in --out from --spec."""
    inputs = cache.fingerprint(spec_path, overlays)
    fresh = None if strict or pin else cache.is_fresh(out, inputs)
    if fresh is not None:
        state = "is up to date with" if check else "unchanged:"
        click.echo(
            f"{out} {state} {spec_path} (same inputs as the last run, {fresh} files "
            "untouched; warnings are not repeated: see `lint`)."
        )
        return
    # The heavy modules load only when there is work to do.
    from generator.pipeline import Previous, run  # noqa: PLC0415

    result = _guarded(spec_path, lambda: run(spec_path, overlays, Previous(out, pin)))
    for d in result.diagnostics:
        if verbose or d.level is not Level.INFO:
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

    changes = _output(out, result.files, check, inputs)

    assert result.api is not None
    methods = result.api.operations
    ops = f"{len({op.pointer for op in methods})} operations, {len(methods)} methods"
    summary = (
        f"{len(changes.added)} added, {len(changes.changed)} changed, "
        f"{len(changes.removed)} removed"
    )
    if check and not changes.any:
        click.echo(f"{out} is up to date with {spec_path} ({ops}).")
        return
    if check:
        _drift(out, spec_path, changes, summary)
    else:
        click.echo(f"Generated {out} from {spec_path}: {ops}; {summary}.")
        for rel in changes.added + changes.changed + changes.removed:
            click.echo(f"  {rel}")
    failed = _report(out, result, changes, fail_on)
    if failed or (check and not fail_on):
        sys.exit(EXIT_DRIFT)


@main.command()
@spec_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: one object for tools.",
)
@click.option("--info", "show_info", is_flag=True, help="Also list naming decisions.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning"]),
    default="warning",
    show_default=True,
    help="The lowest level that makes the exit code non-zero.",
)
def lint(
    spec_path: Path,
    overlays: tuple[Path, ...],
    fmt: str,
    show_info: bool,
    fail_on: str,
) -> None:
    """Report what validators miss: each fault with its JSON pointer.

    Exit 0 when clean, 1 when there are warnings (unless --fail-on error),
    2 when there are errors.
    """
    from generator.pipeline import analyse  # noqa: PLC0415

    result = _guarded(spec_path, lambda: analyse(spec_path, overlays))
    shown = [d for d in result.diagnostics if show_info or d.level is not Level.INFO]
    counts = {lv.value: sum(d.level is lv for d in result.diagnostics) for lv in Level}
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "spec": str(spec_path),
                    "overlays": [str(o) for o in overlays],
                    "summary": counts,
                    "diagnostics": [
                        {
                            "level": d.level.value,
                            "file": d.file,
                            "pointer": d.pointer,
                            "message": d.message,
                        }
                        for d in shown
                    ],
                },
                indent=2,
            )
        )
    else:
        for d in shown:
            click.echo(str(d))
        click.echo(
            f"{spec_path}: {counts['error']} error(s), {counts['warning']} "
            f"warning(s), {counts['info']} info"
        )
    if counts["error"]:
        sys.exit(EXIT_SPEC)
    if counts["warning"] and fail_on == "warning":
        sys.exit(EXIT_DRIFT)


def _shown(text: str) -> str:
    """Spec text for a terminal: control characters escaped, so a name
    cannot move the cursor or retitle the window."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


@main.command()
@spec_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
def names(spec_path: Path, overlays: tuple[Path, ...], fmt: str) -> None:
    """The names table: every resource, method and model the spec gives."""
    from generator.pipeline import analyse  # noqa: PLC0415
    from generator.render import short_signature  # noqa: PLC0415

    result = _guarded(spec_path, lambda: analyse(spec_path, overlays))
    if result.api is None:
        for d in result.diagnostics:
            click.echo(str(d), err=True)
        sys.exit(EXIT_SPEC)
    api = result.api
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "client": api.client_name,
                    "package": api.package,
                    "resources": [
                        {
                            "attribute": r.attr,
                            "class": r.class_name,
                            "tag": r.tag,
                            "methods": [
                                {
                                    "name": op.method_name,
                                    "http": op.http_method.upper(),
                                    "path": op.path,
                                    "operation_id": op.operation_id,
                                    "signature": short_signature(op),
                                    "pointer": op.pointer,
                                }
                                for op in r.operations
                            ],
                        }
                        for r in api.resources
                    ],
                    "webhooks": [
                        {
                            "name": h.name,
                            "kind": h.kind,
                            "payload": h.type.annotation(),
                            "pointer": h.pointer,
                        }
                        for h in api.webhooks
                    ],
                    "models": {m.name: m.pointer for m in api.models},
                    "enums": {e.name: e.pointer for e in api.enums},
                },
                indent=2,
            )
        )
        return
    for r in api.resources:
        click.echo(f"client.{r.attr}  ({r.class_name}, tag {_shown(r.tag)!r})")
        for op in r.operations:
            click.echo(
                f"  {op.method_name:32} {op.http_method.upper():7} {_shown(op.path)}"
                f"   [{_shown(op.operation_id)}]"
            )
    if api.webhooks:
        click.echo("webhooks:  (parse_webhook(name, body) in webhook_events)")
        for h in api.webhooks:
            click.echo(f"  {_shown(h.name):40} {h.kind:9} -> {h.type.annotation()}")
    click.echo("models:")
    for m in api.models:
        click.echo(f"  {m.name:40} {_shown(m.pointer)}")
    click.echo("enums:")
    for e in api.enums:
        click.echo(f"  {e.name:40} {_shown(e.pointer)}")


def _usable_api(spec_path: Path, overlays: tuple[Path, ...]) -> "ir.Api":
    """The model of one document, or its errors printed as ``generate``
    prints them and exit 2 (warnings are ``lint``'s business)."""
    from generator.pipeline import analyse  # noqa: PLC0415

    result = _guarded(spec_path, lambda: analyse(spec_path, overlays))
    errors = [d for d in result.diagnostics if d.level is Level.ERROR]
    if result.api is None or errors:
        for d in errors:
            click.echo(str(d), err=True)
        click.echo(f"{spec_path}: {len(errors)} error(s); no report.", err=True)
        sys.exit(EXIT_SPEC)
    return result.api


@main.command("diff")
@click.option(
    "--from",
    "old_path",
    type=click.Path(path_type=Path),
    required=True,
    help="The document the current client was made from.",
)
@click.option(
    "--to",
    "new_path",
    type=click.Path(path_type=Path),
    required=True,
    help="The new document.",
)
@click.option(
    "--overlay",
    "overlays",
    type=click.Path(path_type=Path),
    multiple=True,
    help="An OpenAPI Overlay 1.0 file applied to both documents (repeatable).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="json: a list for tools; markdown: a table for a PR or changelog.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["breaking", "deprecation"]),
    default=None,
    help="Exit 1 when a change this severe is found (deprecation: or worse).",
)
def diff_command(
    old_path: Path,
    new_path: Path,
    overlays: tuple[Path, ...],
    fmt: str,
    fail_on: str | None,
) -> None:
    """What changes for the client's users from --from to --to.

    Exit 0 (or 1 with --fail-on and such a change), 2 when a document has
    errors.
    """
    from generator import changes  # noqa: PLC0415
    from generator.diff import diff  # noqa: PLC0415

    old, new = _usable_api(old_path, overlays), _usable_api(new_path, overlays)
    try:
        found = diff(old, new)
    except Exception as exc:  # a generator bug: say so without a traceback
        click.echo(
            f"internal error while comparing {old_path} and {new_path}: "
            f"{type(exc).__name__}: {exc}\nPlease report this.",
            err=True,
        )
        sys.exit(EXIT_BUG)
    printer = {
        "text": changes.as_text,
        "json": changes.as_json,
        "markdown": changes.as_markdown,
    }[fmt]
    click.echo(printer(found))
    if fail_on and any(c.severity in _FAILING[fail_on] for c in found):
        sys.exit(EXIT_DRIFT)

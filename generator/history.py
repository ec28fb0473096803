"""What ``generate`` remembers between runs: the report, semver, CHANGELOG.md.

Each generation stores ``<out>/.generator-state.json``: the package version
it chose and the document it read (overlays applied), as sorted JSON. The
next run models that document again with the same code and diffs the two
clients (``generator.diff``). From the report:

- the version: major for a breaking change, minor for a non-breaking one,
  patch when the document changed but the Python API did not; unchanged
  when the document is unchanged. ``--version`` pins it. A first
  generation (nothing stored) takes the spec's ``info.version``.
- ``CHANGELOG.md``: a new Keep a Changelog entry, dated the day of the run
  (``SOURCE_DATE_EPOCH`` when set), above the old ones, which are kept as
  they are. A run that changes nothing adds nothing, so the output stays
  byte-identical from run to run.
"""

import datetime
import json
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import ir
from generator.changes import Change, summary

if TYPE_CHECKING:
    from generator.load import LoadedSpec

STATE = ".generator-state.json"
CHANGELOG = "CHANGELOG.md"
CHANGELOG_HEAD = (
    "# Changelog\n\n"
    "Every generation that changed this client, newest first, written by the\n"
    "generator from its API change report. The format follows\n"
    "[Keep a Changelog](https://keepachangelog.com/en/1.1.0/) and the version\n"
    "[Semantic Versioning](https://semver.org/spec/v2.0.0.html).\n"
)


@dataclass
class Report:
    """What this generation changes for the client's users."""

    first: bool  # nothing stored in --out: no report
    old_version: str
    version: str
    changes: list[Change] = field(default_factory=list)
    document_changed: bool = False

    @property
    def any(self) -> bool:
        """The client changed: its API, its document or (pinned) its version."""
        return (
            bool(self.changes)
            or self.document_changed
            or self.version != self.old_version
        )


def state_text(data: dict[str, Any], version: str) -> str:
    """Deterministic bytes in the document's own key order (names can depend
    on it), one space indent."""
    body = {"version": version, "document": data}
    return json.dumps(body, indent=1, ensure_ascii=False, default=str)


def stored(out: Path | None) -> tuple[str, dict[str, Any]] | None:
    """The previous generation's version and document, if readable."""
    if out is None or not (out / STATE).is_file():
        return None
    try:
        body = json.loads((out / STATE).read_text(encoding="utf-8"))
        version, data = body["version"], body["document"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(version, str) or not isinstance(data, dict):
        return None
    return version, data


def bump(version: str, changes: list[Change], document_changed: bool) -> str:
    """Semver from the report; a version that is not X.Y.Z is read by its
    first three numbers."""
    if not changes and not document_changed:
        return version
    numbers = [int(n) for n in re.findall(r"\d+", version)[:3]]
    major, minor, patch = [*numbers, 0, 0, 0][:3]
    if any(c.severity == "breaking" for c in changes):
        return f"{major + 1}.0.0"
    if any(c.severity == "non-breaking" for c in changes):
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def _today() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (
        datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
        if epoch and epoch.isdigit()
        else datetime.datetime.now(datetime.UTC)
    )
    return moment.date().isoformat()


def _section(report: Report) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {
        "Breaking": [],
        "Added": [],
        "Deprecated": [],
        "Changed": [],
    }
    for c in sorted(report.changes):
        line = f"- `{c.python}`: {c.message}"
        if c.severity == "breaking":
            sections["Breaking"].append(line)
        elif c.severity == "deprecation":
            sections["Deprecated"].append(line)
        elif "added" in c.kind:
            sections["Added"].append(line)
        else:
            sections["Changed"].append(line)
    if not report.changes and report.document_changed:
        sections["Changed"].append(
            "- Regenerated from an updated document; the Python API is unchanged."
        )
    elif not report.changes:
        sections["Changed"].append("- The version was set with --version.")
    return sections


def entry(report: Report) -> str:
    lines = [f"## [{report.version}] - {_today()}", ""]
    for title, items in _section(report).items():
        if items:
            lines += [f"### {title}", "", *items, ""]
    return "\n".join(lines)


def changelog(old: str | None, report: Report) -> str | None:
    """The new CHANGELOG.md, or the old one as it is (None: none yet)."""
    if report.first or not report.any:
        return old
    text = old if old and old.startswith("# ") else CHANGELOG_HEAD
    at = text.find("\n## [")
    head, rest = (text, "") if at < 0 else (text[: at + 1], text[at + 1 :])
    return head.rstrip("\n") + "\n\n" + entry(report) + ("\n" + rest if rest else "")


def short(report: Report) -> str:
    """For the terminal: the summary, the breaking and deprecation lines."""
    out = [f"API changes: {summary(report.changes)}; version {report.version}"]
    if report.version != report.old_version:
        out[0] += f" (was {report.old_version})"
    for c in sorted(report.changes):
        if c.severity != "non-breaking":
            out.append(f"  {c.severity:11} {c.python}: {c.message}")
    return "\n".join(out)


def versioned(api: ir.Api, version: str) -> ir.Api:
    return replace(api, version=version)


def prepare(
    spec: "LoadedSpec", api: ir.Api, out: Path | None, pin: str | None
) -> tuple[ir.Api, Report, dict[str, str]]:
    """The report against ``out``, the api with its version, and the two
    files this module adds to the output (the state and CHANGELOG.md)."""
    from generator.diagnostics import Diagnostics  # noqa: PLC0415
    from generator.diff import diff  # noqa: PLC0415
    from generator.load import LoadedSpec  # noqa: PLC0415
    from generator.model import build  # noqa: PLC0415

    previous = stored(out)
    report = Report(first=True, old_version=api.version, version=api.version)
    if previous is not None and out is not None:
        old_version, old_data = previous
        try:
            old_api = build(
                LoadedSpec(path=out / STATE, data=old_data, sha256=""),
                Diagnostics(str(out / STATE)),
            )
            found = diff(old_api, api)
        except Exception:  # an unreadable old document: start afresh
            found = None
        if found is not None:
            changed = state_text(old_data, "") != state_text(spec.data, "")
            report = Report(False, old_version, "", found, changed)
            report.version = bump(old_version, found, changed)
    if pin:
        report.version = pin
    api = versioned(api, report.version)
    files = {STATE: state_text(spec.data, report.version) + "\n"}
    old_log = None
    if out is not None and (out / CHANGELOG).is_file():
        old_log = (out / CHANGELOG).read_text(encoding="utf-8")
    if (log := changelog(old_log, report)) is not None:
        files[CHANGELOG] = log
    return api, report, files

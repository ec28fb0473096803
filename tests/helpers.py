"""Small-spec helpers for generator tests."""

import textwrap
from pathlib import Path

import yaml

from generator import ir
from generator.diagnostics import Diagnostics
from generator.load import load
from generator.model import build

MINIMAL = {
    "openapi": "3.1.0",
    "info": {"title": "Tiny API", "version": "1.0.0"},
    "servers": [{"url": "https://tiny.example.com", "x-region": "main"}],
    "paths": {},
}


def write_spec(tmp: Path, doc: dict | str, name: str = "spec.yaml") -> Path:
    path = tmp / name
    text = (
        textwrap.dedent(doc)
        if isinstance(doc, str)
        else yaml.safe_dump(doc, sort_keys=False)
    )
    path.write_text(text, encoding="utf-8")
    return path


def spec_with(
    paths: dict | None = None, schemas: dict | None = None, **extra: object
) -> dict:
    doc = {**MINIMAL, **extra, "paths": paths or {}}
    if schemas is not None:
        doc["components"] = {"schemas": schemas}
    return doc


def build_api(tmp: Path, doc: dict | str) -> tuple[ir.Api, Diagnostics]:
    path = write_spec(tmp, doc)
    diags = Diagnostics(str(path))
    return build(load(path, diags), diags), diags

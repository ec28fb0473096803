"""Fuzzer: random OpenAPI documents, valid and broken, through the generator.

    python -m tests.fuzz --count 1000 [--seed 0] [--workers 2] [--mypy-sample 50]
                         [--keep DIR] [--timeout 60] [--only 42,77]
    python -m tests.fuzz --shrink DIR/exit-3/doc-00042/doc-00042.yaml  # made small

The file reads top to bottom:

1. strategies: hypothesis strategies that build a document as plain data from
   OAS 3.1's vocabulary (``Builder``), with hostile text wherever a string
   goes, then structural breakage (``break_tree``);
2. rendering: the data as YAML or JSON bytes, then breakage only text can
   carry (BOMs, invalid UTF-8, duplicate keys, YAML tags and alias bombs,
   deep nesting);
3. runner: each document in a folder of its own; the generator runs there as
   ``python -m generator generate --spec DOC --out out`` in a subprocess with
   a wall-clock bound, with HOME and TMPDIR pointing at empty folders and
   every proxy variable pointing at a local canary server (and its example
   check bounded to 10 s, OPENAPI_CLIENT_GENERATOR_CHECK_SECONDS);
4. checks: exit code 0 or 2, no traceback, every output module compiles and
   imports in a fresh interpreter (and the first package, then 1 in
   ``--mypy-sample``, passes ``mypy --strict``), nothing changed outside
   ``out/``, no $ref'd URL or file fetched (the canary server saw nothing;
   the canary file's token appears nowhere);
5. report: the counts and every finding, saved with its document and a
   one-line reproduction under ``--keep``; ``--shrink`` reduces one.

Document N of seed S is always the same (hypothesis's data source seeded
with S and N), so ``--only N`` replays it. Run from the repository root; the
generator under test is the one in this checkout.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import copy
import functools
import hashlib
import itertools
import json
import keyword
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st
from hypothesis.control import BuildContext
from hypothesis.errors import StopTest
from hypothesis.internal.conjecture.data import ConjectureData

from generator import conventions
from tests.helpers import IMPORT_ALL

ROOT = Path(__file__).resolve().parent.parent

# =============================================================================
# 1. Strategies
# =============================================================================

WORDS = (
    "pet", "user", "order", "item", "name", "status", "id", "list", "get",
    "create", "delete", "value", "data", "page", "token", "file", "event", "tag",
)  # fmt: skip
PY_NAMES = (
    *keyword.kwlist, *keyword.softkwlist, "list", "dict", "str", "int", "float",
    "bool", "bytes", "id", "type", "object", "print", "format", "hash", "input",
    "property", "self", "cls", "__init__", "__class__", "__dict__", "_", "__",
)  # fmt: skip
# Names the generated package itself uses: a spec name must never hide one.
OUR_NAMES = tuple(
    sorted(
        {
            *conventions.IMPORTABLE,
            *conventions.CLIENT_NAMES,
            *conventions.CLIENT_MEMBERS,
            *conventions.RESERVED_ARGS,
            *conventions.RESERVED_METHODS,
            *(e.name for e in conventions.ERROR_CLASSES),
            "model_config",
            "model_fields",
            "model_dump",
            "Client",
            "AsyncClient",
            "APIError",
            "APIStatusError",
            "client",
            "resources",
            "types",
            "lib",
            "_client",
            "_base_client",
            "_models",
            "py.typed",
            "pydantic",
        }
    )
)
ODD_NAMES = (
    "1st", "", " ", "-", "a-b", "a b", "ñandú", "名前", "Ω", "$ref", "@type",
    "x:y", "a.b", "0", "null", "true", "None", "a/b", "~0", "%20", "A", "a", "É",
)  # fmt: skip
HOSTILE = (
    '"', "'", '"""', "'''", "\\", '\\"', "\n", "\r", "\r\n", "\t", "\x00",
    "\x7f", "\x1b[31m", "\ud800", "\udfff", "\u200b", "\u200d", "\u202e",
    "\u2066", "\ufeff", "\u2028", "\u2029", "\x85", "{{ 7 * 7 }}", "{% raw %}",
    "{% endraw %}", "{#", "#}", "{{", "}}", "{%- if true %}x{% endif %}",
    "__import__('pathlib').Path('PWNED').touch()",
    "\"); __import__('pathlib').Path('PWNED').touch() #",
    "'''); open('PWNED', 'w') #", '"""\nopen("PWNED", "w")\n"""', "${HOME}",
    "$(id)", "%s%n", "../../../etc/passwd", "C:\\Windows", "<script>", "*/",
    "# noqa", "café", "名前", "🐍", "ﬁ", "İ", "ß", "١٢٣", "e\u0301",
)  # fmt: skip
LONG = ("a" * 300, "Ab" * 2500, "é" * 1000, "x" * 70_000)
CASES = {
    "camel": lambda ws: ws[0] + "".join(w.title() for w in ws[1:]),
    "pascal": lambda ws: "".join(w.title() for w in ws),
    "snake": "_".join,
    "kebab": "-".join,
    "space": " ".join,
    "dots": ".".join,
    "upper": lambda ws: "_".join(ws).upper(),
    "slash": "/".join,
}


def styled_words() -> st.SearchStrategy[str]:
    """Ordinary names in every case style: listPets, list_pets, list-pets..."""
    return st.builds(
        lambda ws, style: CASES[style](ws),
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
        st.sampled_from(sorted(CASES)),
    )


def hostile_text() -> st.SearchStrategy[str]:
    """Quotes, newlines, NUL, lone surrogates, bidi controls, Jinja, Python..."""
    atom = st.one_of(
        st.sampled_from(HOSTILE),
        st.sampled_from(PY_NAMES + OUR_NAMES),
        st.text(max_size=8),
    )
    return st.lists(atom, min_size=1, max_size=4).map("".join)


@st.composite
def weighted(draw: Callable[[Any], Any], *choices: tuple[int, Any]) -> Any:
    """One of the strategies, each with its weight in percent."""
    roll = draw(st.integers(0, 99))
    for weight, strategy in choices:
        if roll < weight:
            return draw(strategy)
        roll -= weight
    return draw(choices[-1][1])


def prose() -> st.SearchStrategy[str]:
    """Descriptions, titles, summaries: mostly words, often hostile, rarely
    very long."""
    plain = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join)
    return weighted((55, plain), (42, hostile_text()), (3, st.sampled_from(LONG)))


def names() -> st.SearchStrategy[str]:
    """Identifiers from the spec: operationIds, parameters, properties, tags."""
    return weighted(
        (50, styled_words()),
        (10, st.sampled_from(PY_NAMES)),
        (10, st.sampled_from(OUR_NAMES)),
        (10, st.sampled_from(ODD_NAMES)),
        (18, hostile_text()),
        (2, st.sampled_from(LONG)),
    )


FORMATS = (
    "date-time", "date", "time", "duration", "binary", "byte", "uuid", "email",
    "uri", "int32", "int64", "float", "double", "password", "decimal", "weird",
)  # fmt: skip
PATTERNS = (
    "^[a-z]+$", "^\\d{3}-\\d{4}$", "^(a+)+$", "^(\\w+\\s?)*$", "\\p{L}+",
    "\\p{Lu}", "(?<year>\\d{4})", "[", "(?i)abc", "\\cJ", "[\\w-]+", "^/v1/",
    "\\u00e9", "(?=a)b", "a{2,1}", "\\Z", "",
)  # fmt: skip
SLOW_INPUT = "a" * 40 + "!"  # makes ^(a+)+$ backtrack for ever
ENUMS: tuple[list[Any], ...] = (
    ["a", "b", "c"], ["red", "green", None], [1, 2, 3], [0.5, 1.5, 1e308],
    [True], [True, False], [None], ["a", 1, 1.5, True, None], [], ["a", "a"],
    [{"a": 1}], ["", " ", "-"], ["1", 1], [True, 1], [0, False, 0.0],
    ["None", "null"], ["class", "import", "self", "mro", "name", "value"],
    ["A", "a", "a-", "a_"], ["名前", "ñ", "🐍"], [-1, 2**70], [float("nan")],
    [float("inf"), -0.0], ['"', "'''", "\\", "\n", "{{x}}"],
)  # fmt: skip
SCALARS: tuple[Any, ...] = (
    None, "", "x", 0, -1, 1.5, 1e-08, True, False, [], {}, [1, "a"], {"a": None},
    2**64, "2023-10-16", "2023-10-16T12:00:00Z",
)  # fmt: skip
# External and odd references: each must be refused, never fetched.
BAD_REFS = (
    "#/components/schemas/Missing", "./canary/secret.yaml#/Secret",
    "canary/secret.yaml", "__CANARY_URL__/schema.json#/Secret",
    "__CANARY_FILE_URL__#/Secret", "__CANARY_FILE__", "#", "#/components",
    "#/components/schemas", "#/info", "#/paths",
    "https://json-schema.org/draft/2020-12/schema", "#/components/schemas/~2",
    "#/$defs/x", "", "#/components/schemas/%7Bx%7D", "#components/schemas/x",
)  # fmt: skip
JSON_MEDIA = (
    "application/json", "application/vnd.api+json",
    "application/merge-patch+json", "application/json; charset=utf-8",
)  # fmt: skip
FORM_MEDIA = (
    "application/x-www-form-urlencoded", "multipart/form-data", "multipart/mixed",
    "application/form-data",
)  # fmt: skip
RAW_MEDIA = (
    "application/octet-stream", "text/plain", "text/csv", "application/xml",
    "image/png", "image/*", "*/*", "application/x-custom", "none",
    "text/event-stream", "application/x-ndjson", "application/pdf",
)  # fmt: skip
BAD_MEDIA = ("", "garbage", "application/", "text/plain; charset", "*/json")
RESPONSE_CODES = (
    "200", "200", "201", "202", "204", "2XX", "3XX", "301", "304", "400", "404",
    "422", "429", "500", "5XX", "default", "1XX", "101",
)  # fmt: skip
BAD_CODES = ("2xx", "200 OK", "abc", "99", "600", "", "20X")
SERVER_URLS = (
    "https://api.example.com", "https://{region}.example.com/{base}", "/v1", "",
    "http://localhost:{port}", "{scheme}://x.example.com",
    "https://example.com/a b", "__CANARY_URL__/server", "https://example.com/?q=1#f",
    "ftp://x", "https://user:pw@example.com", "https://example.com/{v}{w}",
    "https://{host}", "//example.com", "https://example.com/\"'{x}",
)  # fmt: skip
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
STYLES = {
    "path": ("simple", "label", "matrix"),
    "query": ("form", "spaceDelimited", "pipeDelimited", "deepObject"),
    "header": ("simple",),
    "cookie": ("form",),
}
PATH_LITERALS = (
    "pets", "v1", "users", "a b", "ünï", "%20", "x.y", "~", "a:b", "@me", "$ref",
    "items", "with'quote", 'with"dq', "back\\slash", "名前", "..", ".", "a+b",
)  # fmt: skip


PERCENT = st.integers(0, 99)
PROSE = prose()
NAMES = names()


@functools.cache
def index(size: int) -> st.SearchStrategy[int]:
    """An index into a sequence of ``size`` (built once: building strategies
    costs more than drawing from them)."""
    return st.integers(0, size - 1)


COMPOUND_KINDS = (
    "object", "object", "array", "union", "all_of", "ref", "ref", "map", "not",
    "nullable_object",
)  # fmt: skip
LEAF_KINDS = (
    "string", "string", "scalar", "scalar", "type_list", "enum", "enum", "const",
    "anything", "ref", "dynamic",
)  # fmt: skip


def pointer_escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


class Builder:
    """Draws one document. ``broken`` documents may also get references that
    go nowhere (or outside), bad codes and media types, and wrong shapes;
    the others aim to be valid OAS 3.1 (hostile text and all)."""

    def __init__(self, draw: Callable[[Any], Any], broken: bool) -> None:
        self.draw = draw
        self.broken = broken
        self.schema_names: list[str] = draw(st.lists(NAMES, max_size=6, unique=True))
        self.op_ids: list[str] = draw(st.lists(NAMES, min_size=1, max_size=3))
        self.tags: list[str] = draw(st.lists(NAMES, max_size=3))
        self.schemes: list[str] = []
        self.shared: list[Any] = []  # objects used twice: anchors in YAML
        self.components: dict[str, dict[str, Any]] = {}

    # --- small helpers ---

    def chance(self, percent: int) -> bool:
        return bool(self.draw(PERCENT) < percent)

    def pick(self, options: Any) -> Any:
        return options[self.draw(index(len(options)))]

    def prose(self) -> str:
        return str(self.draw(PROSE))

    def name(self) -> str:
        return str(self.draw(NAMES))

    def some(self, make: Callable[[], Any], most: int) -> list[Any]:
        return [make() for _ in range(self.draw(st.integers(0, most)))]

    def decorate(self, node: dict[str, Any]) -> dict[str, Any]:
        """Keywords that annotate any schema."""
        extras: dict[str, Callable[[], Any]] = {
            "title": self.prose,
            "description": self.prose,
            "deprecated": lambda: True,
            "readOnly": lambda: self.pick((True, False)),
            "writeOnly": lambda: True,
            "default": lambda: self.pick(SCALARS),
            "examples": lambda: [self.pick(SCALARS)],
            "example": lambda: self.pick(SCALARS),
            "nullable": lambda: True,  # OAS 3.0's, meaningless in 3.1
            "$comment": self.prose,
            "x-enum-varnames": lambda: [self.name()],
            "$id": lambda: self.pick(("__CANARY_URL__/id.json", "urn:x", "#a")),
            "$schema": lambda: self.pick(
                ("__CANARY_URL__/meta", "https://json-schema.org/draft/2020-12/schema")
            ),
            "$dynamicAnchor": lambda: "meta",
            "if": lambda: {"required": ["a"]},
            "then": lambda: {"properties": {"a": {"type": "string"}}},
            "contentMediaType": lambda: self.pick(RAW_MEDIA),
            "xml": lambda: {"name": self.name()},
        }
        for key in self.draw(st.lists(st.sampled_from(sorted(extras)), max_size=3)):
            node[key] = extras[key]()
        return node

    # --- schemas ---

    def schema(self, depth: int = 0) -> Any:
        if self.shared and self.chance(4):
            return self.pick(self.shared)
        if depth >= 3 or self.chance(35 + 15 * depth):
            node = self.leaf()
        else:
            kind = self.pick(COMPOUND_KINDS)
            node = getattr(self, f"_{kind}")(depth + 1)
        if isinstance(node, dict) and self.chance(25):
            self.decorate(node)
        if isinstance(node, dict) and self.chance(8):
            self.shared.append(node)
        return node

    def leaf(self) -> Any:
        kind = self.pick(LEAF_KINDS)
        return getattr(self, f"_{kind}")()

    def _string(self) -> dict[str, Any]:
        node: dict[str, Any] = {"type": "string"}
        if self.chance(40):
            node["format"] = self.pick(FORMATS)
        if self.chance(20):
            node["pattern"] = self.pick(PATTERNS)
            if node["pattern"] == "^(a+)+$" and self.chance(30):
                node["examples"] = [SLOW_INPUT]
        if self.chance(15):
            node["minLength"], node["maxLength"] = 1, self.pick((0, 5, 100))
        if self.chance(15):
            node["default"] = self.pick(("x", "", None, 3, "2023-10-16"))
        return node

    def _scalar(self) -> dict[str, Any]:
        node: dict[str, Any] = {
            "type": self.pick(("integer", "number", "boolean", "null"))
        }
        if node["type"] in ("integer", "number") and self.chance(30):
            node.update(
                self.pick(
                    (
                        {"format": "int64"},
                        {"minimum": 0, "maximum": 10},
                        {"exclusiveMinimum": 0, "multipleOf": 0.5},
                        {"default": 2.5},
                        {"minimum": 10, "maximum": 1},
                    )
                )
            )
        return node

    def _type_list(self) -> dict[str, Any]:
        options: tuple[Any, ...] = (
            ["string", "null"], ["integer", "null"], ["integer", "string"],
            ["null"], ["string", "string"], ["object", "array", "null"],
            ["number", "boolean"], ["null", "object"],
        )  # fmt: skip
        if self.broken:
            options += ([], "file", "nul", ["strin"], [1])
        return {"type": self.pick(options)}

    def _enum(self) -> dict[str, Any]:
        values = copy.deepcopy(self.pick(ENUMS))
        node: dict[str, Any] = {"enum": values}
        hint = self.pick((None, "string", "integer", "number", "boolean", "object"))
        if hint is not None:
            node["type"] = [hint, "null"] if self.chance(20) else hint
        if self.chance(15):
            node["x-enum-varnames"] = [self.name() for _ in values]
        if self.chance(10):
            node["x-enumDescriptions"] = {str(v): self.prose() for v in values}
        return node

    def _const(self) -> dict[str, Any]:
        return {"const": self.pick((*SCALARS, self.prose()))}

    def _anything(self) -> Any:
        # openapi-pydantic refuses boolean schemas (JSON Schema allows them)
        # everywhere but additionalProperties: only broken documents get them.
        options: tuple[Any, ...] = ({}, {"not": {}}, {"description": "any"})
        return self.pick(options + ((True, False) if self.broken else ()))

    def _dynamic(self) -> dict[str, Any]:
        # an external one must be refused (and never fetched): broken only
        urls = ("#meta", "__CANARY_URL__/dyn#meta") if self.broken else ("#meta",)
        return {"$dynamicRef": self.pick(urls)}

    def ref_to(self, kind: str, name: str) -> dict[str, Any]:
        return {"$ref": f"#/components/{kind}/{pointer_escape(name)}"}

    def _ref(self, depth: int = 0) -> Any:
        if self.schema_names and not (self.broken and self.chance(25)):
            node = self.ref_to("schemas", self.pick(self.schema_names))
            if self.chance(10):
                node["description"] = self.prose()  # 3.1 allows siblings
            return node
        if self.broken:
            return {"$ref": self.pick(BAD_REFS)}
        return self._string()

    def _object(self, depth: int) -> dict[str, Any]:
        props = {n: self.schema(depth) for n in self.draw(st.lists(NAMES, max_size=5))}
        node: dict[str, Any] = {"type": self.pick(("object", "object", None))}
        if node["type"] is None:
            del node["type"]
        if props:
            node["properties"] = props
            node["required"] = self.draw(
                st.lists(st.sampled_from(sorted(props)), max_size=3, unique=True)
            )
        if self.chance(15):
            node.setdefault("required", []).append(self.name())
        if self.chance(30):
            node["additionalProperties"] = self.pick((True, False, {}, "schema"))
            if node["additionalProperties"] == "schema":
                node["additionalProperties"] = self.schema(depth)
        if self.chance(10):
            node["patternProperties"] = {self.pick(PATTERNS): self.schema(depth)}
        if self.chance(5):
            node["minProperties"] = 1
            if self.broken:
                node["unevaluatedProperties"] = False
        if self.chance(8):
            node["x-field-families"] = self.pick(({"headers": "h:"}, {"v": 1}, "x"))
        return node

    def _array(self, depth: int) -> dict[str, Any]:
        node: dict[str, Any] = {"type": "array"}
        if self.chance(80):
            node["items"] = self.schema(depth)
        if self.chance(15):
            node["prefixItems"] = self.some(lambda: self.schema(depth), 3)
            if self.broken and self.chance(50):
                node["items"] = False
        if self.chance(10):
            node.update({"minItems": 1, "maxItems": 3, "uniqueItems": True})
        return node

    def _map(self, depth: int) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": self.schema(depth)}

    def _not(self, depth: int) -> dict[str, Any]:
        return {"not": self.schema(depth)}

    def _nullable_object(self, depth: int) -> dict[str, Any]:
        node = self._object(depth)
        node["type"] = ["object", "null"]
        return node

    def _union(self, depth: int) -> dict[str, Any]:
        key = self.pick(("oneOf", "anyOf"))
        members = self.some(lambda: self.schema(depth), 4)
        if not members and not self.broken:
            members = [self._string()]
        if self.chance(20):
            members.append({"type": "null"})
        node: dict[str, Any] = {key: members}
        refs = [m["$ref"] for m in members if isinstance(m, dict) and "$ref" in m]
        if refs and self.chance(50):
            prop = self.pick(("kind", "type", "@type", self.name()))
            node["discriminator"] = {"propertyName": prop}
            if self.chance(60):
                node["discriminator"]["mapping"] = {self.name(): r for r in refs}
        return node

    def _all_of(self, depth: int) -> dict[str, Any]:
        members = [self._ref() for _ in range(self.draw(st.integers(0, 2)))]
        members += [self._object(depth) for _ in range(self.draw(st.integers(0, 2)))]
        if not members and not self.broken:
            members = [self._object(depth)]
        return {"allOf": members}

    def component_schema(self, name: str) -> Any:
        """A component: sometimes one that refers to itself through allOf, or
        only another component (a chain), or keeps $defs of its own."""
        own = f"#/components/schemas/{pointer_escape(name)}"
        roll = self.draw(PERCENT)
        if roll < 2:  # rare: it is the one crash every document would show
            return {"allOf": [{"$ref": own}, self._object(1)]}
        earlier = self.schema_names[: self.schema_names.index(name)]
        targets = self.schema_names if self.broken else earlier  # no 2-cycles
        if roll < 14 and targets:
            return self.ref_to("schemas", self.pick(targets))
        if roll < 18:
            return {
                "$defs": {"inner": self._object(2)},
                "type": "object",
                "properties": {"inner": {"$ref": f"{own}/$defs/inner"}},
            }
        if roll < 22:
            return {
                "type": "object",
                "properties": {"self": {"$ref": own}, "many": {"items": {"$ref": own}}},
            }
        return self.schema(0)

    # --- parameters, bodies, responses ---

    def parameter(self, location: str, name: str) -> dict[str, Any]:
        param: dict[str, Any] = {"name": name, "in": location}
        if location == "path":
            param["required"] = not (self.broken and self.chance(30))
        elif self.chance(40):
            param["required"] = self.pick((True, False))
        if self.chance(40):
            styles = STYLES[location]
            if self.broken:
                styles += ("matrix", "deepObject", "bogus")
            param["style"] = self.pick(styles)
        if self.chance(30):
            param["explode"] = self.pick((True, False))
        if self.chance(15):
            param["content"] = {
                self.pick((*JSON_MEDIA, "text/plain")): {"schema": self.schema(2)}
            }
        else:
            param["schema"] = self.schema(2)
        for key, make in (
            ("description", self.prose),
            ("deprecated", lambda: True),
            ("allowReserved", lambda: True),
            ("example", lambda: self.pick(SCALARS)),
        ):
            if self.chance(10):
                param[key] = make()
        return param

    def path_name(self) -> str:
        name = self.name()
        if not self.broken:
            name = "".join(c for c in name if c not in "{}/?#") or "p"
        return name

    def media(self, media_type: str) -> dict[str, Any]:
        node: dict[str, Any] = {}
        if media_type in FORM_MEDIA:
            props = {
                n: self.form_field() for n in self.draw(st.lists(NAMES, max_size=4))
            }
            node["schema"] = {"type": "object", "properties": props}
            if props and self.chance(40):
                node["encoding"] = {
                    self.pick(sorted(props)): self.pick(
                        (
                            {"contentType": "image/png, image/jpeg"},
                            {"contentType": "application/json"},
                            {"style": "form", "explode": True},
                            {"headers": {"X-Rate": {"schema": {"type": "integer"}}}},
                            {"style": "deepObject", "allowReserved": True},
                        )
                    )
                }
        elif media_type in RAW_MEDIA and self.chance(50):
            node["schema"] = self.pick(
                (
                    {"type": "string", "format": "binary"},
                    {"type": "string"},
                    {"type": "string", "contentEncoding": "base64"},
                    {},
                )
            )
        elif media_type not in RAW_MEDIA:
            node["schema"] = self.schema(1)
        if self.chance(10):
            node["example"] = self.pick(SCALARS)
        if self.chance(8):
            node["x-python-method"] = self.name()
        return node

    def form_field(self) -> Any:
        if self.chance(30):
            return self.pick(
                (
                    {"type": "string", "format": "binary"},
                    {"type": "array", "items": {"type": "string", "format": "binary"}},
                    {"type": "string", "contentMediaType": "image/png"},
                )
            )
        return self.schema(2)

    def request_body(self) -> dict[str, Any]:
        if "requestBodies" in self.components and self.chance(20):
            return self.ref_to(
                "requestBodies", self.pick(sorted(self.components["requestBodies"]))
            )
        pool = JSON_MEDIA + JSON_MEDIA + FORM_MEDIA + RAW_MEDIA
        if self.broken:
            pool += BAD_MEDIA
        kinds = self.draw(
            st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True)
        )
        body: dict[str, Any] = {"content": {m: self.media(m) for m in kinds}}
        if self.chance(50):
            body["required"] = self.pick((True, False))
        if self.chance(20):
            body["description"] = self.prose()
        return body

    def response(self) -> dict[str, Any]:
        if "responses" in self.components and self.chance(20):
            return self.ref_to(
                "responses", self.pick(sorted(self.components["responses"]))
            )
        node: dict[str, Any] = {"description": self.prose()}
        if self.broken and self.chance(10):
            del node["description"]
        if self.chance(75):
            pool = JSON_MEDIA + JSON_MEDIA + RAW_MEDIA + ("application/problem+json",)
            kinds = self.draw(st.lists(st.sampled_from(pool), max_size=2, unique=True))
            node["content"] = {m: self.media(m) for m in kinds}
        if self.chance(20):
            node["headers"] = {
                self.pick(("X-Rate-Limit", "Content-Type", self.name())): {
                    "schema": self.schema(3),
                    "description": self.prose(),
                }
            }
        if self.chance(5):
            node["links"] = {self.name(): {"operationId": self.pick(self.op_ids)}}
        return node

    def responses(self) -> dict[str, Any]:
        codes = RESPONSE_CODES + (BAD_CODES if self.broken else ())
        chosen = self.draw(
            st.lists(st.sampled_from(codes), min_size=1, max_size=3, unique=True)
        )
        return {code: self.response() for code in chosen}

    def security(self) -> list[dict[str, list[str]]]:
        options: list[list[dict[str, list[str]]]] = [[], [{}]]
        for scheme in self.schemes:
            options.append([{scheme: []}])
            options.append([{scheme: ["read", "write"]}, {}])
        if len(self.schemes) > 1:
            options.append([{self.schemes[0]: [], self.schemes[1]: []}])
        if self.broken:
            options.append([{"undefined": []}])
        return copy.deepcopy(self.pick(options))

    # --- operations and paths ---

    def operation(self, method: str, path_params: list[str]) -> dict[str, Any]:
        op: dict[str, Any] = {"responses": self.responses()}
        if self.chance(85):  # some ids repeat within the document
            op["operationId"] = (
                self.pick(self.op_ids) if self.chance(20) else self.name()
            )
        if self.tags and self.chance(70):
            op["tags"] = self.draw(st.lists(st.sampled_from(self.tags), max_size=2))
        if params := self.parameters(path_params):
            op["parameters"] = params
        if (method in ("post", "put", "patch") and self.chance(75)) or self.chance(5):
            op["requestBody"] = self.request_body()
        callback = {
            "{$request.body#/url}": {
                "post": {"responses": {"200": {"description": "ok"}}}
            }
        }
        for key, percent, make in (
            ("summary", 30, self.prose),
            ("description", 30, self.prose),
            ("security", 30, self.security),
            ("deprecated", 5, lambda: True),
            ("x-python-method", 5, self.name),
            ("callbacks", 4, lambda: {self.name(): callback}),
            ("externalDocs", 4, lambda: {"url": "__CANARY_URL__/docs"}),
            ("servers", 3, lambda: [self.server()]),
        ):
            if self.chance(percent):
                op[key] = make()
        return op

    def parameters(self, path_params: list[str]) -> list[dict[str, Any]]:
        params = [self.parameter("path", n) for n in path_params]
        for _ in range(self.draw(st.integers(0, 3))):
            location = self.pick(("query", "query", "header", "cookie"))
            name = self.pick(("Accept", "Content-Type", "Authorization", self.name()))
            params.append(self.parameter(location, name))
        if "parameters" in self.components and self.chance(25):
            name = self.pick(sorted(self.components["parameters"]))
            params.append(self.ref_to("parameters", name))
        return params

    def path(self) -> tuple[str, list[str]]:
        """A path template and its placeholders."""
        segments: list[str] = []
        params: list[str] = []
        for _ in range(self.draw(st.integers(1, 4))):
            if self.chance(35):
                name = self.path_name()
                if name in params and not self.broken:
                    name += str(len(params))
                params.append(name)
                segments.append(
                    self.pick(("{%s}", "{%s}", "file.{%s}", "v{%s}")) % name
                )
            else:
                segments.append(self.pick(PATH_LITERALS))
        path = "/" + "/".join(segments)
        path += self.pick(("", "", "", "/", "?beta=true", "#frag"))
        if self.broken and self.chance(20):
            path = self.pick((path.lstrip("/"), "", "/{", "/a}", path + "/{x}{y}"))
        return path, params

    def path_item(self) -> tuple[str, dict[str, Any]]:
        path, params = self.path()
        declared = params if not self.broken or self.chance(70) else params[:-1]
        methods = self.draw(
            st.lists(st.sampled_from(HTTP_METHODS), min_size=1, max_size=3, unique=True)
        )
        item: dict[str, Any] = {m: self.operation(m, declared) for m in methods}
        if self.chance(15):
            item["summary"] = self.prose()
        if self.chance(10):
            item["parameters"] = [self.parameter("query", self.name())]
        return path, item

    # --- the rest of the document ---

    def server(self) -> dict[str, Any]:
        url = self.pick(SERVER_URLS)
        node: dict[str, Any] = {"url": url}
        holes = [p.split("}")[0] for p in url.split("{")[1:]]
        if holes:
            node["variables"] = {}
            for hole in holes:
                var: dict[str, Any] = {
                    "default": self.pick(("eu", "v1", "8080", "https", ""))
                }
                if self.chance(40):
                    var["enum"] = self.pick(
                        (["eu", "us"], ["v1"], [], ["8080", "8443"], ["https", "http"])
                    )
                if self.broken and self.chance(30):
                    del var["default"]
                node["variables"][hole] = var
        if self.chance(30):
            node["description"] = self.prose()
        if self.chance(20):
            node["x-region"] = self.name()
        return node

    def security_scheme(self) -> dict[str, Any]:
        url = self.pick(
            ("https://auth.example.com/token", "__CANARY_URL__/token", "/token")
        )
        code = {"authorizationUrl": url, "tokenUrl": url, "scopes": {}}
        where = self.pick(("header", "query", "cookie"))
        scheme = self.pick(("basic", "Basic", "digest", "negotiate"))
        options: tuple[dict[str, Any], ...] = (
            {"type": "apiKey", "in": where, "name": self.name()},
            {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            {"type": "http", "scheme": scheme},
            {"type": "http", "scheme": "basic", "x-default-username": self.name()},
            {"type": "oauth2", "flows": {"clientCredentials": code}},
            {"type": "oauth2", "flows": {"authorizationCode": code, "implicit": code}},
            {"type": "openIdConnect", "openIdConnectUrl": "__CANARY_URL__/.well-known"},
            {"type": "mutualTLS"},
        )  # fmt: skip
        if self.broken:
            options += ({"type": "apiKey"}, {"type": "foo"}, {"type": "http"})
        return self.pick(options)

    def fill_components(self) -> None:
        """Security schemes and reusable parts, before the paths use them."""
        comps = self.components
        for name in self.draw(
            st.lists(
                st.sampled_from(
                    (
                        "api_key",
                        "bearer",
                        "basic",
                        "oauth",
                        "oidc",
                        "mtls",
                        "class",
                        "x y",
                    )
                ),
                max_size=3,
                unique=True,
            )
        ):
            comps.setdefault("securitySchemes", {})[name] = self.security_scheme()
            self.schemes.append(name)
        if self.chance(25):
            comps["parameters"] = {
                self.name(): self.parameter(self.pick(("query", "header")), self.name())
            }
        if self.chance(15):
            comps["responses"] = {self.name(): self.response()}
        if self.chance(15):
            comps["requestBodies"] = {self.name(): self.request_body()}
        if self.schema_names:
            comps["schemas"] = {n: self.component_schema(n) for n in self.schema_names}

    def info(self) -> dict[str, Any]:
        info: dict[str, Any] = {
            "title": self.pick((self.prose(), "Pet Store", "Mailgun", "")),
            "version": self.pick(
                ("1.0.0", "2023-10-16", "v1", "", '1.0"; import os #', self.prose())
            ),
        }
        for key, make in (
            ("description", self.prose),
            ("summary", self.prose),
            ("termsOfService", lambda: "__CANARY_URL__/tos"),
            (
                "contact",
                lambda: {
                    "name": self.prose(),
                    "url": "__CANARY_URL__/c",
                    "email": "a@example.com",
                },
            ),
            (
                "license",
                lambda: self.pick(
                    (
                        {"name": "MIT", "identifier": "MIT"},
                        {"name": self.prose(), "url": "__CANARY_URL__/l"},
                    )
                ),
            ),
        ):
            if self.chance(20):
                info[key] = make()
        return info

    def document(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"openapi": self.pick(("3.1.0", "3.1.0", "3.1.1"))}
        doc["info"] = self.info()
        if self.chance(10):
            doc["jsonSchemaDialect"] = self.pick(
                (
                    "__CANARY_URL__/dialect",
                    "https://spec.openapis.org/oas/3.1/dialect/base",
                )
            )
        if self.chance(80):
            doc["servers"] = [
                self.server() for _ in range(self.draw(st.integers(0, 3)))
            ]
        self.fill_components()
        paths = 0 if self.chance(5) else self.draw(st.integers(1, 4))
        doc["paths"] = dict(self.path_item() for _ in range(paths))
        if self.chance(10):
            doc["webhooks"] = {self.name(): {"post": self.operation("post", [])}}
        if self.components:
            doc["components"] = self.components
        if (self.schemes and self.chance(50)) or self.chance(5):
            doc["security"] = self.security()
        if self.tags and self.chance(50):
            doc["tags"] = [{"name": t, "description": self.prose()} for t in self.tags]
            if self.chance(10):
                doc["tags"].append({"name": self.tags[0]})  # twice
        if self.chance(5):
            doc["externalDocs"] = {"url": "__CANARY_FILE_URL__"}
        return doc


# --- structural breakage, on the data ----------------------------------------


def node_paths(
    node: Any, path: tuple[Any, ...] = (), limit: int = 4000
) -> list[tuple[Any, ...]]:
    """Paths to every node under ``node`` (the first ``limit``), parents first."""
    found: list[tuple[Any, ...]] = []
    stack: list[tuple[tuple[Any, ...], Any]] = [(path, node)]
    seen: set[int] = set()
    while stack and len(found) < limit:
        here, value = stack.pop(0)
        found.append(here)
        if id(value) in seen:
            continue  # a shared object: its children are listed once
        if isinstance(value, dict):
            seen.add(id(value))
            stack.extend(((*here, k), v) for k, v in value.items())
        elif isinstance(value, list):
            seen.add(id(value))
            stack.extend(((*here, i), v) for i, v in enumerate(value))
    return found


def get_at(tree: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        tree = tree[part]
    return tree


def nested(depth: int, kind: str) -> str:
    """A schema ``depth`` levels deep, as JSON text (YAML reads it too): made
    as text because PyYAML's dumper would recurse once per level."""
    head, tail = {
        "array": ('{"type": "array", "items": ', "}"),
        "allOf": ('{"allOf": [', "]}"),
        "properties": ('{"type": "object", "properties": {"a": ', "}}"),
        "anyOf": ('{"anyOf": [{"type": "null"}, ', "]}"),
    }[kind]
    return head * depth + '{"type": "string"}' + tail * depth


WRONG_VALUES: tuple[Any, ...] = (None, 0, 1.5, True, "x", [], {}, [1, 2], {"a": 1}, "")


@st.composite
def break_tree(draw: Callable[[Any], Any], tree: dict[str, Any]) -> list[str]:
    """1-3 structural faults in ``tree`` (in place); what was done, as notes."""
    notes: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        paths = node_paths(tree)[1:]
        kind = draw(
            st.sampled_from(
                ("wrong_type", "wrong_type", "drop", "drop", "deep", "version")
            )
        )
        if kind == "version":
            tree["openapi"] = draw(
                st.sampled_from(("3.0.3", 3.1, "2.0", None, "3.1", "4.0.0", ""))
            )
            notes.append(f"openapi: {tree['openapi']!r}")
        elif kind == "deep":
            # the schema replaces this marker when the text is written
            components = tree.setdefault("components", {})
            schemas = (
                components.setdefault("schemas", {})
                if isinstance(components, dict)
                else None
            )
            if isinstance(schemas, dict):
                depth = draw(st.sampled_from((30, 200, 600, 2000)))
                shape = draw(st.sampled_from(("array", "allOf", "properties", "anyOf")))
                schemas["Deep"] = f"__DEEP_{shape}_{depth}__"
                notes.append(f"schema nested {depth} deep ({shape})")
        elif paths:
            path = draw(st.sampled_from(paths))
            parent = get_at(tree, path[:-1])
            if kind == "drop" and isinstance(parent, dict):
                del parent[path[-1]]
                notes.append(f"dropped {path}")
            else:
                parent[path[-1]] = draw(st.sampled_from(WRONG_VALUES))
                notes.append(f"{path} = {parent[path[-1]]!r}")
    return notes


# =============================================================================
# 2. Rendering
# =============================================================================

TEXT_FAULTS = (
    "bom-utf8", "utf16", "invalid-utf8", "cesu-surrogates", "duplicate-key",
    "yaml-tag", "alias-bomb", "recursive-alias", "deep-flow", "truncated",
    "not-a-mapping", "tabs", "nul-byte", "crlf", "merge-key",
)  # fmt: skip
SURROGATE = re.compile("[\ud800-\udfff]")
YAML_ONLY = ("yaml-tag", "alias-bomb", "recursive-alias", "tabs", "merge-key")
YAML_TAGS = (
    "!!binary aGVsbG8=", "!!timestamp 2001-12-14", "!!set {a: null}", "!!str 3",
    "!!python/name:os.system", "!custom x", "!!float 1", "!!int '7'", "!!null ''",
    "!!omap [a: 1]", "!!pairs [a: 1, a: 2]", "? [a, b]",
)  # fmt: skip


def alias_bomb(levels: int, width: int) -> str:
    """The billion-laughs document head: l{levels} expands to width**levels."""
    lines = ['x-lol0: &l0 "lol"']
    for i in range(1, levels + 1):
        refs = ", ".join([f"*l{i - 1}"] * width)
        lines.append(f"x-lol{i}: &l{i} [{refs}]")
    return "\n".join(lines) + "\n"


def render(tree: Any, form: dict[str, Any]) -> bytes:
    """``tree`` as YAML or JSON text with the drawn options; then text faults."""
    if form["format"] == "json":
        text = json.dumps(tree, indent=form["indent"], ensure_ascii=form["ascii"])
        if form.get("fault") != "cesu-surrogates" and SURROGATE.search(text):
            text = json.dumps(tree, indent=form["indent"])  # as \ud800 escapes
    else:
        options = {
            "sort_keys": False,
            "allow_unicode": not form["ascii"],
            "default_flow_style": form["flow"],
            "width": form["width"],
        }
        try:  # libyaml's emitter is fast but cannot escape lone surrogates
            text = yaml.dump(tree, Dumper=yaml.CSafeDumper, **options)
        except UnicodeEncodeError:
            text = yaml.dump(tree, Dumper=yaml.SafeDumper, **options)
    for shape, depth in sorted(set(re.findall(r"__DEEP_(\w+?)_(\d+)__", text))):
        deep = nested(int(depth), shape)
        text = text.replace(f'"__DEEP_{shape}_{depth}__"', deep)
        text = text.replace(f"__DEEP_{shape}_{depth}__", deep)
    return apply_text_fault(text, form)


def apply_text_fault(text: str, form: dict[str, Any]) -> bytes:
    fault = form.get("fault")
    is_yaml = form["format"] == "yaml"
    if fault == "bom-utf8":
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    if fault == "utf16":
        return text.encode("utf-16", "surrogatepass")
    if fault in ("invalid-utf8", "nul-byte"):
        raw = text.encode("utf-8", "surrogatepass")
        at = form["at"] * len(raw) // 1000
        junk = b"\xc3\x28\xff" if fault == "invalid-utf8" else b"\x00"
        return raw[:at] + junk + raw[at:]
    if fault == "truncated":
        return text.encode("utf-8", "surrogatepass")[: form["at"] * len(text) // 1000]
    if fault == "duplicate-key":
        text = (
            '{"openapi": "3.1.0", ' + text.lstrip()[1:]
            if not is_yaml
            else "openapi: 3.1.0\n" + text
        )
    elif fault == "not-a-mapping":
        text = form["top"]
    elif fault == "deep-flow":
        depth = form["depth"]
        deep = "[" * depth + "]" * depth
        text = (
            f'{{"x-deep": {deep}, ' + text.lstrip()[1:]
            if not is_yaml
            else f"x-deep: {deep}\n" + text
        )
    elif fault == "crlf":
        text = text.replace("\n", "\r\n")
    elif is_yaml:
        text = yaml_fault(text, form)
    return text.encode(
        "utf-8", "surrogatepass" if fault == "cesu-surrogates" else "strict"
    )


def yaml_fault(text: str, form: dict[str, Any]) -> str:
    """Faults only YAML can carry; they go at the top-level ``x-fuzz`` key."""
    fault = form.get("fault")
    lines = text.splitlines(keepends=True)
    mark = next((i for i, ln in enumerate(lines) if ln.startswith("x-fuzz:")), None)
    if mark is None:
        return text
    if fault == "yaml-tag":
        lines[mark] = f"x-fuzz: {form['tag']}\n"
    elif fault == "alias-bomb":
        levels, width = form["bomb"]
        lines[mark] = alias_bomb(levels, width) + f"x-fuzz: *l{levels}\n"
    elif fault == "recursive-alias":
        lines[mark] = "x-fuzz: &loop [*loop]\n"
    elif fault == "tabs":
        lines[mark] = "x-fuzz:\n\t- a\n"
    elif fault == "merge-key":
        lines[mark] = (
            "x-base: &base {type: string}\nx-fuzz: {<<: *base, description: m}\n"
        )
    return "".join(lines)


@st.composite
def forms(draw: Callable[[Any], Any], broken: bool) -> dict[str, Any]:
    """How a document is written: format, layout and (if broken) a text fault."""
    form: dict[str, Any] = {
        "format": draw(st.sampled_from(("yaml", "yaml", "json"))),
        "ascii": draw(st.booleans()),
        "indent": draw(st.sampled_from((None, 2))),
        "flow": draw(st.sampled_from((False, False, None, True))),
        "width": draw(st.sampled_from((80, 20, 10_000))),
    }
    if broken and draw(st.integers(0, 99)) < 40:
        form["fault"] = draw(st.sampled_from(TEXT_FAULTS))
        form["at"] = draw(st.integers(0, 1000))
        form["tag"] = draw(st.sampled_from(YAML_TAGS))
        form["bomb"] = draw(st.sampled_from(((3, 3), (6, 6), (9, 9), (12, 10))))
        form["depth"] = draw(st.sampled_from((100, 1000, 10_000, 100_000)))
        form["top"] = draw(
            st.sampled_from(("[]", "3", "null", "", "- a\n- b\n", '"x"'))
        )
    if form.get("fault") in YAML_ONLY:
        form["format"] = "yaml"
        form["flow"] = False
    return form


@dataclass
class Case:
    """One fuzzed document: its bytes and how they were made."""

    index: int
    broken: bool
    tree: Any
    form: dict[str, Any]
    notes: list[str]
    data: bytes = b""

    @property
    def name(self) -> str:
        return f"doc-{self.index:05d}"

    @property
    def filename(self) -> str:
        return f"{self.name}.{self.form['format']}"


def scrub_surrogates(node: Any, seen: set[int] | None = None) -> Any:
    """``node`` with every lone surrogate replaced, in place (shared objects
    stay shared, so YAML anchors survive)."""
    seen = set() if seen is None else seen
    if isinstance(node, str):
        return SURROGATE.sub("\ufffd", node)
    if id(node) in seen or not isinstance(node, dict | list):
        return node
    seen.add(id(node))
    if isinstance(node, list):
        node[:] = [scrub_surrogates(v, seen) for v in node]
    else:
        items = [
            (scrub_surrogates(k, seen), scrub_surrogates(v, seen))
            for k, v in node.items()
        ]
        node.clear()
        node.update(items)
    return node


@st.composite
def cases(draw: Callable[[Any], Any]) -> Case:
    """One document: about half are drawn broken (then faults in their data or
    text), the rest aim to be valid; all carry hostile text."""
    broken = draw(st.integers(0, 99)) < 45
    builder = Builder(draw, broken)
    tree = builder.document()
    form = draw(forms(broken))
    notes = [f"format {form['format']}", "broken" if broken else "meant valid"]
    fault = form.get("fault")
    if fault:
        notes.append(f"text fault {fault}")
    if broken and (fault is None or draw(st.booleans())):
        notes += draw(break_tree(tree))
    if fault in YAML_ONLY:
        tree["x-fuzz"] = "placeholder"  # where yaml_fault puts it
    if not broken:
        # A lone surrogate is legal JSON (YAML cannot hold one: libyaml
        # refuses its escape) but not Unicode text: broken documents only.
        scrub_surrogates(tree)
    return Case(-1, broken, tree, form, notes, render(tree, form))


def draw_case(seed: int, index: int) -> Case:
    """Document ``index`` of the run with ``seed``: drawn from ``cases()`` by
    hypothesis's own data source, seeded for this document alone.

    Not ``@given``: its search starts from the simplest example and then
    mutates earlier ones, which suits finding a bug and shrinking it, but a
    fuzzer wants every document drawn fresh; and one seed per document lets
    a run be replayed document by document (``--only``).
    """
    for attempt in range(100):
        data = ConjectureData(random=random.Random(f"{seed}:{index}:{attempt}"))
        try:
            with BuildContext(data, wrapped_test=None):
                case: Case = data.draw(cases())
        except StopTest:  # ran out of choices (an enormous draw): next one
            continue
        case.index = index
        return case
    raise RuntimeError(f"no document could be drawn for {seed}:{index}")


def generate_cases(
    count: int, seed: int, only: list[int] | None = None
) -> Iterator[Case]:
    """``count`` documents, the same ones for the same seed, one at a time."""
    previous = sys.getrecursionlimit()
    for index in only if only is not None else range(count):
        # Deep documents need a deep stack to draw; the limit goes back after
        # each (the test suite runs in the same process).
        sys.setrecursionlimit(max(previous, 20_000))
        try:
            case = draw_case(seed, index)
        finally:
            sys.setrecursionlimit(previous)
        yield case


# =============================================================================
# 3. Runner
# =============================================================================

EXIT_3 = "exit 3"
TRACEBACK = "traceback"
TIMEOUT = "timeout"
SIGNAL = "killed by a signal"
UNEXPECTED_EXIT = "unexpected exit code"
UNCLEAR = "exit 2 without an error line"
REFUSED = "refused a fresh --out"
INVALID = "invalid output"
IMPORT = "import failure"
MYPY = "mypy failure"
OUTSIDE = "wrote outside --out"
FETCHED = "network/file access"
KINDS = (EXIT_3, TRACEBACK, TIMEOUT, SIGNAL, UNEXPECTED_EXIT, UNCLEAR, REFUSED)
KINDS += (INVALID,)
KINDS += (IMPORT, MYPY, OUTSIDE, FETCHED)

TOKEN = "FUZZCANARY"  # in every canary: it must never show up anywhere
CANARY_FILE = (
    f"Secret:\n  type: object\n  description: {TOKEN}\n"
    f"  properties:\n    {TOKEN}: {{type: string}}\n"
)
PROXY_VARS = (
    "http_proxy",
    "https_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "all_proxy",
    "ALL_PROXY",
    "ftp_proxy",
)


class Canary:
    """A local HTTP server that records every request it gets. Documents
    $ref it, name it in URLs, and every proxy variable points at it: a
    generator that never fetches anything leaves it with no hits."""

    def __init__(self) -> None:
        self.hits: list[tuple[str, str]] = []  # (document, request line)
        self.lock = threading.Lock()
        canary = self

        class Handler(BaseHTTPRequestHandler):
            def handle_one_request(self) -> None:
                with contextlib.suppress(Exception):
                    super().handle_one_request()

            def answer(self) -> None:
                doc = next(
                    (p for p in self.path.split("/") if p.startswith("doc-")), ""
                )
                auth = self.headers.get("Proxy-Authorization", "")
                if not doc and auth.startswith("Basic "):
                    with contextlib.suppress(ValueError):
                        doc = base64.b64decode(auth[6:]).decode().split(":")[0]
                with canary.lock:
                    canary.hits.append((doc or "?", self.requestline))
                body = f"{TOKEN} {doc}".encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_HEAD = do_PUT = do_CONNECT = answer

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, doc: str) -> str:
        return f"http://127.0.0.1:{self.port}/{doc}"

    def proxy(self, doc: str) -> str:
        return f"http://{doc}:x@127.0.0.1:{self.port}"

    def hits_for(self, doc: str) -> list[str]:
        """The requests made for ``doc`` (by its URL or its proxy name)."""
        with self.lock:
            return [line for d, line in self.hits if d == doc]

    def stray(self) -> list[str]:
        """Requests that name no document: a finding of the whole run."""
        with self.lock:
            return [line for d, line in self.hits if d == "?"]

    def close(self) -> None:
        self.server.shutdown()


@dataclass
class Settings:
    work: Path  # one folder per document inside
    canary: Canary
    timeout: float = 60.0
    mypy_sample: int = 50
    check_seconds: int = 10  # the generator's bound on its example check


@dataclass
class Outcome:
    case: Case
    exit: int | None = None  # None: timed out
    seconds: float = 0.0
    stdout: str = ""
    stderr: str = ""
    findings: list[tuple[str, str]] = field(default_factory=list)  # (kind, detail)
    mypy: bool = False  # mypy ran on the output

    def add(self, kind: str, detail: str) -> None:
        self.findings.append((kind, clip(detail)))

    @property
    def kinds(self) -> list[str]:
        return sorted({k for k, _ in self.findings}, key=KINDS.index)


def clip(text: str, lines: int = 30, width: int = 300) -> str:
    """The last ``lines`` lines of ``text``, each cut at ``width``."""
    kept = text.strip().splitlines()[-lines:]
    return "\n".join(ln if len(ln) <= width else ln[:width] + " [...]" for ln in kept)


def place(case: Case, folder: Path, canary: Canary) -> Path:
    """Write the document into ``folder`` with its canaries; the spec's path."""
    for sub in ("home", "tmp", "run", "canary"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    (folder / "canary" / "secret.yaml").write_text(CANARY_FILE, encoding="utf-8")
    secret = folder / "canary" / "secret.yaml"
    data = case.data
    for key, value in (
        (b"__CANARY_URL__", canary.url(case.name)),
        (b"__CANARY_FILE_URL__", secret.as_uri()),
        (b"__CANARY_FILE__", str(secret)),
    ):
        data = data.replace(key, value.encode())
    spec = folder / case.filename
    spec.write_bytes(data)
    return spec


def sandbox_env(folder: Path, doc: str, settings: Settings) -> dict[str, str]:
    """A bare environment: HOME and TMPDIR are empty folders of the document's
    own, and every proxy is the canary server."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
        "HOME": str(folder / "home"),
        "TMPDIR": str(folder / "tmp"),
        "TMP": str(folder / "tmp"),
        "TEMP": str(folder / "tmp"),
        "LANG": "C.UTF-8",
        "OPENAPI_CLIENT_GENERATOR_CHECK_SECONDS": str(settings.check_seconds),
    }
    env.update(dict.fromkeys(PROXY_VARS, settings.canary.proxy(doc)))
    return env


def run_bounded(
    args: list[str], cwd: Path, env: dict[str, str], timeout: float
) -> tuple[int | None, str, str]:
    """(exit code or None on timeout, stdout, stderr); a process that runs
    over its time is killed with everything it started."""
    proc = subprocess.Popen(
        args,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
        code: int | None = proc.returncode
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        code = None
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # forked children left behind
    return code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def snapshot(
    folder: Path, skip: tuple[str, ...] = ("out", "mypy-cache")
) -> dict[str, str]:
    """Every file (with its hash) and folder under ``folder`` except ``skip``."""
    seen: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if rel.parts[0] in skip:
            continue
        if path.is_file() and not path.is_symlink():
            seen[rel.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            seen[rel.as_posix()] = "folder" if path.is_dir() else "other"
    return seen


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    keys = sorted(before.keys() | after.keys())
    return [k for k in keys if before.get(k) != after.get(k)]


def run_document(case: Case, settings: Settings) -> Outcome:
    """Generate ``case`` in a folder of its own and check everything."""
    folder = settings.work / case.name
    spec = place(case, folder, settings.canary)
    before = snapshot(folder)
    outcome = Outcome(case)
    started = time.monotonic()
    args = [
        sys.executable,
        "-m",
        "generator",
        "generate",
        "--spec",
        spec.name,
        "--out",
        "out",
    ]
    env = sandbox_env(folder, case.name, settings)
    outcome.exit, outcome.stdout, outcome.stderr = run_bounded(
        args, folder, env, settings.timeout
    )
    outcome.seconds = time.monotonic() - started
    check_run(outcome)
    if changes := changed(before, snapshot(folder)):
        outcome.add(OUTSIDE, "the generator changed: " + ", ".join(changes[:10]))
    if outcome.exit == 0:
        check_output(outcome, folder, settings)
    check_canaries(outcome, folder, settings.canary)
    return outcome


# =============================================================================
# 4. Checks
# =============================================================================


def check_run(outcome: Outcome) -> None:
    """The exit code and the messages."""
    code, tail = outcome.exit, "\n".join(outcome.stderr.splitlines()[-8:])
    if code is None:
        outcome.add(TIMEOUT, f"still running after the time bound\n{tail}")
    elif code == 3:
        outcome.add(EXIT_3, tail)
    elif code < 0:
        outcome.add(SIGNAL, f"signal {-code}\n{tail}")
    elif code not in (0, 2):
        outcome.add(UNEXPECTED_EXIT, f"exit {code}\n{tail}")
    if "Traceback (most recent call last)" in outcome.stdout + outcome.stderr:
        outcome.add(TRACEBACK, tail)
    if code == 2 and not any(
        ln.startswith("error: ") for ln in outcome.stderr.splitlines()
    ):
        outcome.add(UNCLEAR, tail or "(nothing on stderr)")
    if code == 2 and any(
        ln.startswith(("error: cannot write", "error: refusing"))
        for ln in outcome.stderr.splitlines()
    ):  # out/ did not exist: any folder name the spec leads to must work
        outcome.add(REFUSED, tail)


def check_output(outcome: Outcome, folder: Path, settings: Settings) -> None:
    """Exit 0: every module compiles and imports."""
    out = folder / "out"
    if not packages_in(out):
        outcome.add(INVALID, "exit 0 but no package in out/")
        return
    modules: list[str] = []
    for path in sorted(out.rglob("*.py")):
        try:
            compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as exc:
            outcome.add(INVALID, f"{path.relative_to(out)}: {exc!r}")
        rel = path.relative_to(out).with_suffix("")
        modules.append(
            ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        )
    try:
        tomllib.loads((out / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        outcome.add(INVALID, f"pyproject.toml: {exc}")
    if any(k == INVALID for k, _ in outcome.findings):
        return
    check_imports(outcome, folder, modules, settings)


def check_imports(
    outcome: Outcome, folder: Path, modules: list[str], settings: Settings
) -> None:
    """Every module imports in a fresh interpreter, run from an empty folder
    (code that a hostile string smuggled in would show there)."""
    before = snapshot(folder)
    args = [sys.executable, "-I", "-B", "-c", IMPORT_ALL, str(folder / "out"), *modules]
    env = sandbox_env(folder, outcome.case.name, settings)
    code, stdout, stderr = run_bounded(args, folder / "run", env, settings.timeout)
    try:
        failed = json.loads(stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        failed = {"(interpreter)": f"exit {code}\n{stdout[-500:]}{stderr[-1500:]}"}
    for name, tb in failed.items():
        outcome.add(IMPORT, f"{name}:\n{tb}")
    if changes := changed(before, snapshot(folder)):
        outcome.add(
            OUTSIDE, "importing the package changed: " + ", ".join(changes[:10])
        )


def packages_in(out: Path) -> list[str]:
    return sorted(p.parent.name for p in out.glob("*/__init__.py"))


def check_mypy(outcome: Outcome, folder: Path, settings: Settings) -> None:
    """``mypy --strict`` from the project folder, so its own settings apply."""
    outcome.mypy = True
    args = [sys.executable, "-m", "mypy", "--strict", "--cache-dir"]
    args += [str(folder / "mypy-cache"), *packages_in(folder / "out")]
    env = {**sandbox_env(folder, outcome.case.name, settings), "PYTHONPATH": ""}
    code, stdout, stderr = run_bounded(args, folder / "out", env, 10 * settings.timeout)
    if code != 0:
        outcome.add(MYPY, "\n".join((stdout + stderr).splitlines()[-15:]))


def check_canaries(outcome: Outcome, folder: Path, canary: Canary) -> None:
    """No request reached the canary server; the canary file's token is in
    no message and no generated file."""
    for line in canary.hits_for(outcome.case.name):
        outcome.add(FETCHED, f"the canary server got: {line}")
    if TOKEN in outcome.stdout + outcome.stderr:
        outcome.add(FETCHED, f"{TOKEN} in the generator's messages")
    out = folder / "out"
    for path in sorted(out.rglob("*")) if out.is_dir() else ():
        if path.is_file() and TOKEN.encode() in path.read_bytes():
            outcome.add(FETCHED, f"{TOKEN} in {path.relative_to(out)}")


# =============================================================================
# 5. Report
# =============================================================================


def repro_command(spec: Path) -> str:
    return (
        f"cd {spec.parent} && PYTHONPATH={ROOT} {sys.executable} -m generator "
        f'generate --spec {spec.name} --out "$(mktemp -d)/out"'
    )


def save_finding(outcome: Outcome, work: Path, keep: Path) -> list[Path]:
    """The document (and its canary folder) under keep/<kind>/<doc>/, with
    what was found, its recipe (for --shrink) and a reproduction command."""
    saved = []
    case = outcome.case
    for kind in outcome.kinds:
        target = keep / kind.replace(" ", "-").replace("/", "-") / case.name
        target.mkdir(parents=True, exist_ok=True)
        source = work / case.name
        shutil.copy2(source / case.filename, target / case.filename)
        shutil.copytree(source / "canary", target / "canary", dirs_exist_ok=True)
        recipe = {"tree": case.tree, "form": case.form, "notes": case.notes}
        with contextlib.suppress(ValueError, RecursionError):
            (target / "case.json").write_text(json.dumps(recipe), encoding="utf-8")
        lines = [
            f"{case.name}: {', '.join(outcome.kinds)}",
            f"exit code: {outcome.exit} after {outcome.seconds:.1f} s",
            f"made as: {'; '.join(case.notes)}",
            f"reproduce: {repro_command(target / case.filename)}",
            "",
            *(f"--- {k}\n{d}" for k, d in outcome.findings),
            "--- stderr (last 40 lines)",
            clip(outcome.stderr, 40),
        ]
        (target / "finding.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        saved.append(target)
    return saved


@dataclass
class Tally:
    started: float = field(default_factory=time.monotonic)
    done: int = 0
    by_exit: Counter[str] = field(default_factory=Counter)
    by_kind: dict[str, list[str]] = field(default_factory=dict)
    mypy: int = 0

    def add(self, outcome: Outcome) -> None:
        self.done += 1
        self.by_exit["timeout" if outcome.exit is None else str(outcome.exit)] += 1
        self.mypy += outcome.mypy
        for kind in outcome.kinds:
            self.by_kind.setdefault(kind, []).append(outcome.case.name)

    @property
    def findings(self) -> int:
        return sum(len(v) for v in self.by_kind.values())

    def progress(self, total: int) -> str:
        rate = self.done / max(time.monotonic() - self.started, 1e-9)
        share = self.by_exit["0"] / max(self.done, 1)
        return (
            f"[{self.done}/{total}] {rate:.2f} docs/s, {share:.0%} generated, "
            f"{len(self.by_kind)} kind(s) of finding in {self.findings}"
        )

    def table(self, workers: int, keep: Path) -> str:
        seconds = time.monotonic() - self.started
        rows = [("documents", str(self.done), "")]
        for code in sorted(self.by_exit):
            label = code if code == "timeout" else f"exit {code}"
            rows.append(
                (
                    f"  {label}",
                    str(self.by_exit[code]),
                    f"{self.by_exit[code] / max(self.done, 1):.1%}",
                )
            )
        rows.append(("findings by kind", str(self.findings), ""))
        for kind in KINDS:
            docs = self.by_kind.get(kind, [])
            rows.append(
                (
                    f"  {kind}",
                    str(len(docs)),
                    " ".join(docs[:6]) + (" ..." if len(docs) > 6 else ""),
                )
            )
        rows.append(
            ("generated (exit 0)", f"{self.by_exit['0'] / max(self.done, 1):.1%}", "")
        )
        rows.append(("checked with mypy --strict", str(self.mypy), ""))
        rows.append(
            (
                "total time",
                f"{seconds:.0f} s",
                f"{self.done / max(seconds, 1e-9):.2f} docs/s with {workers} worker(s)",
            )
        )
        rows.append(("findings saved in", str(keep), ""))
        return "\n".join(f"{a:<30} {b:>8}  {c}".rstrip() for a, b, c in rows)


def fuzz(
    count: int,
    seed: int,
    workers: int,
    settings: Settings,
    keep: Path,
    only: list[int] | None = None,
) -> Tally:
    """The whole run: documents are drawn as workers free up, checked
    ``workers`` at a time and taken back in order (so the mypy sample, the
    first document that generated and then every ``mypy_sample``-th, is the
    same for the same seed); findings are saved, progress printed."""
    total = len(only) if only is not None else count
    print(
        f"{total} documents (seed {seed}), {workers} at a time; work in {settings.work}"
    )
    tally = Tally()
    last = time.monotonic()
    pending: deque[Future[Outcome]] = deque()
    documents = generate_cases(count, seed, only)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        while True:
            while len(pending) < 2 * workers and (case := next(documents, None)):
                pending.append(pool.submit(run_document, case, settings))
            if not pending:
                break
            outcome = pending.popleft().result()
            folder = settings.work / outcome.case.name
            if (
                outcome.exit == 0
                and not outcome.findings
                and (tally.mypy == 0 or outcome.case.index % settings.mypy_sample == 0)
            ):
                check_mypy(outcome, folder, settings)
            tally.add(outcome)
            if outcome.findings:
                for where in save_finding(outcome, settings.work, keep):
                    print(
                        f"  {outcome.case.name}: {', '.join(outcome.kinds)} -> {where}"
                    )
            shutil.rmtree(folder, ignore_errors=True)
            if time.monotonic() - last > 15 or tally.done == total:
                print(tally.progress(total), flush=True)
                last = time.monotonic()
    for line in settings.canary.stray():
        print(f"  the canary server got a request naming no document: {line}")
        tally.by_kind.setdefault(FETCHED, []).append("(no document)")
    return tally


# =============================================================================
# Shrinking a finding
# =============================================================================


ATTEMPTS = itertools.count(90_000)  # shrinking: a new name for every attempt
Wanted = tuple[str, str]  # (kind of finding, text its detail must hold)


def shows(outcome: Outcome, wanted: Wanted) -> bool:
    kind, needle = wanted
    return any(k == kind and needle in d for k, d in outcome.findings)


def reproduces(
    tree: Any, form: dict[str, Any], wanted: Wanted, settings: Settings
) -> bool:
    case = Case(next(ATTEMPTS), True, tree, form, [])
    try:
        case.data = render(tree, form)
    except (ValueError, RecursionError, yaml.YAMLError):
        return False
    outcome = run_document(case, settings)
    shutil.rmtree(settings.work / case.name, ignore_errors=True)
    return shows(outcome, wanted)


def shrink_tree(
    tree: Any, form: dict[str, Any], wanted: Wanted, settings: Settings
) -> Any:
    """Greedy: remove whole subtrees, parents first, while the finding still
    shows; then cut long strings. Passes until nothing more goes."""
    progress = True
    while progress:
        progress = False
        for path in node_paths(tree)[1:]:
            try:
                value = get_at(tree, path)
            except (KeyError, IndexError, TypeError):
                continue  # gone with an earlier cut
            options: list[Any] = [None]  # None: remove it
            if isinstance(value, str) and len(value) > 8:
                options.append(value[: len(value) // 4])
            for option in options:
                trial = copy.deepcopy(tree)
                holder = get_at(trial, path[:-1])
                if option is None:
                    del holder[path[-1]]
                else:
                    holder[path[-1]] = option
                if reproduces(trial, form, wanted, settings):
                    tree, progress = trial, True
                    print(f"  cut {path}: {len(json.dumps(tree))} characters left")
                    break
    return tree


def shrink_lines(data: bytes, suffix: str, wanted: Wanted, settings: Settings) -> bytes:
    """ddmin on the document's lines, for documents without a recipe."""
    lines = data.splitlines(keepends=True)
    chunk = max(len(lines) // 2, 1)
    while chunk >= 1:
        i, cut = 0, False
        while i < len(lines):
            trial = lines[:i] + lines[i + chunk :]
            form = {"format": suffix}
            case = Case(next(ATTEMPTS), True, None, form, [], b"".join(trial))
            outcome = run_document(case, settings)
            shutil.rmtree(settings.work / case.name, ignore_errors=True)
            if trial and shows(outcome, wanted):
                lines, cut = trial, True
            else:
                i += chunk
        if not cut:
            chunk //= 2
    return b"".join(lines)


def wanted_of(folder: Path, kind: str | None, match: str | None) -> Wanted:
    """What a shrunk document must still show: the kind (by default the
    finding's first) and text (by default its exception's name, so that an
    exit 3 does not turn into another exit 3)."""
    text = (folder / "finding.txt").read_text(encoding="utf-8")
    kind = kind or text.splitlines()[0].split(": ", 1)[1].split(", ")[0]
    if match is None:
        section = text.split(f"--- {kind}\n", 1)[-1].split("\n--- ", 1)[0]
        names = re.findall(r"\b(\w+(?:Error|Exception|Exit))\b", section)
        match = names[-1] if names else ""
    return kind, match


def shrink(path: Path, wanted: Wanted, settings: Settings) -> Path:
    """Reduce a saved finding to a small document that still shows it."""
    print(f"shrinking {path} while it shows {wanted[0]!r} with {wanted[1]!r}")
    recipe_file = path.parent / "case.json"
    suffix = path.suffix.lstrip(".")
    target = path.with_name(f"{path.stem}.min.{suffix}")
    if recipe_file.is_file():
        recipe = json.loads(recipe_file.read_text(encoding="utf-8"))
        tree, form = recipe["tree"], recipe["form"]
        plain = {
            **form,
            "format": "yaml",
            "flow": False,
            "ascii": False,
            "width": 10_000,
        }
        if not form.get("fault") and reproduces(tree, plain, wanted, settings):
            form = plain  # block YAML reads best
            target = target.with_suffix(".yaml")
        if reproduces(tree, form, wanted, settings):
            tree = shrink_tree(tree, form, wanted, settings)
            target.write_bytes(render(tree, form))
            return target
        print("the recipe does not reproduce it (anchors?); shrinking lines")
    target.write_bytes(shrink_lines(path.read_bytes(), suffix, wanted, settings))
    return target


# =============================================================================
# Command line
# =============================================================================


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.fuzz", description=__doc__.split("\n\n")[0]
    )
    add = parser.add_argument
    add("--count", type=int, default=100, help="documents to make (default 100)")
    add("--seed", type=int, default=0, help="the same seed, the same documents")
    add("--workers", type=int, default=os.cpu_count() or 1, help="default: cores")
    add(
        "--mypy-sample",
        type=int,
        default=50,
        metavar="K",
        help="mypy --strict on 1 generated package in K (default 50)",
    )
    add(
        "--timeout",
        type=float,
        default=60.0,
        help="seconds one generator run may take (default 60)",
    )
    add(
        "--keep",
        type=Path,
        help="where findings are saved (default: a new temporary folder)",
    )
    add(
        "--only",
        type=lambda text: [int(i) for i in text.split(",")],
        help="only these documents of the run, e.g. 42,77",
    )
    add(
        "--shrink",
        type=Path,
        metavar="DOC",
        help="instead: reduce a saved finding's document",
    )
    add("--kind", help="with --shrink: the kind of finding (default: its first)")
    add(
        "--match",
        help="with --shrink: text the finding must hold (default: its exception)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    canary = Canary()
    work = Path(tempfile.mkdtemp(prefix="fuzz-work-"))
    settings = Settings(work, canary, args.timeout, max(args.mypy_sample, 1))
    try:
        if args.shrink:
            doc = args.shrink.resolve()
            wanted = wanted_of(doc.parent, args.kind, args.match)
            print(f"wrote {shrink(doc, wanted, settings)}")
            return 0
        keep = args.keep or Path(tempfile.mkdtemp(prefix="fuzz-findings-"))
        keep = keep.resolve()
        tally = fuzz(
            args.count, args.seed, max(args.workers, 1), settings, keep, args.only
        )
        print()
        print(tally.table(args.workers, keep))
        return 1 if tally.findings else 0
    finally:
        canary.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

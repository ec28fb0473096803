"""The intermediate model: what templates see, and all they see.

Frozen dataclasses, built by ``generator.model`` from a loaded spec. Every
name here is already a safe, unique Python identifier; every piece of spec
text that ends up in code (descriptions, wire names, URLs) is rendered
through the ``pystr``/``docstring`` filters, never pasted raw.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

TypeKind = Literal[
    "str",
    "int",
    "float",
    "bool",
    "none",
    "any",
    "datetime",
    "date",
    "bytes",
    "file",
    "content",
    "list",
    "dict",
    "mapping",
    "union",
    "literal",
    "model",
    "enum",
]


# Kinds whose annotation is always the same text.
_FIXED = {"none": "None", "any": "Any", "file": "FileTypes", "content": "RawContent"}


@dataclass(frozen=True)
class TypeRef:
    """A Python type built from a schema."""

    kind: TypeKind
    name: str = ""  # class name, for model and enum
    args: tuple["TypeRef", ...] = ()  # items, values, or union members
    literal: str = ""  # repr of the value, for literal

    def annotation(
        self, *, accept_str: bool = False, shadowed: frozenset[str] = frozenset()
    ) -> str:
        """The annotation text. ``accept_str`` widens enums to ``Enum | str``
        for arguments, so callers may pass plain strings. Builtins named in
        ``shadowed`` (a method called ``list``) are spelled ``builtins.list``."""
        k = self.kind

        def builtin(name: str) -> str:
            return f"builtins.{name}" if name in shadowed else name

        def sub(t: "TypeRef") -> str:
            return t.annotation(accept_str=accept_str, shadowed=shadowed)

        if k in ("str", "int", "float", "bool", "bytes"):
            return builtin(k)
        if k in _FIXED:
            return _FIXED[k]
        if k in ("datetime", "date"):
            return f"datetime.{k}"
        if k == "literal":
            return f"Literal[{self.literal}]"
        if k in ("model", "enum"):
            if k == "enum" and accept_str:
                return f"{self.name} | {builtin('str')}"
            return self.name
        if k in ("list", "dict", "mapping"):
            # A mapping is what arguments take: any Mapping will do.
            outer = "Mapping" if k == "mapping" else builtin(k)
            key = "" if k == "list" else f"{builtin('str')}, "
            return f"{outer}[{key}{sub(self.args[0])}]"
        return self._union(sub)

    def _union(self, sub: "Callable[[TypeRef], str]") -> str:
        """Members flattened and deduplicated, ``None`` last."""
        parts: list[str] = []
        for arg in self.args:
            text = sub(arg)
            for piece in text.split(" | ") if arg.kind in ("union", "enum") else [text]:
                if piece not in parts:
                    parts.append(piece)
        if "None" in parts:
            parts.remove("None")
            parts.append("None")
        return " | ".join(parts)

    @property
    def is_class(self) -> bool:
        """True when the annotation is a plain class usable as ``type[T]``."""
        return self.kind in ("str", "int", "float", "bool", "bytes", "model", "enum")

    @property
    def nullable(self) -> bool:
        return self.kind == "none" or (
            self.kind == "union" and any(a.nullable for a in self.args)
        )

    def walk(self) -> "list[TypeRef]":
        out: list[TypeRef] = [self]
        for arg in self.args:
            out.extend(arg.walk())
        return out


@dataclass(frozen=True)
class EnumMember:
    name: str
    value: str | int
    description: str = ""


@dataclass(frozen=True)
class Enum:
    name: str
    value_type: Literal["str", "int"]
    members: tuple[EnumMember, ...]
    description: str
    pointer: str


@dataclass(frozen=True)
class Field:
    name: str  # Python attribute name
    wire_name: str  # name in JSON / form / query
    type: TypeRef
    required: bool
    description: str = ""
    deprecated: bool = False
    notes: str = ""  # allowed values, default, range, format, example
    example: str | int | float | bool | None = None  # a scalar example
    # Where the property is in the document, and its default as JSON text
    # (""; none): not printed, but ``generator.diff`` compares them.
    pointer: str = ""
    default: str = ""

    @property
    def aliased(self) -> bool:
        return self.name != self.wire_name


@dataclass(frozen=True)
class Model:
    name: str
    fields: tuple[Field, ...]
    description: str
    pointer: str
    base: str = ""  # parent model from allOf, if any


@dataclass(frozen=True)
class Parameter:
    name: str  # Python argument name
    wire_name: str
    location: Literal["path", "query", "header", "cookie"]
    type: TypeRef
    required: bool
    description: str = ""
    style: str = ""  # "" means the location's default (simple or form)
    explode: bool | None = None  # None means the style's default
    content_json: bool = False  # a ``content``-typed parameter, sent as JSON
    deprecated: bool = False
    notes: str = ""  # allowed values, default, range, format, example
    example: str | int | float | bool | None = None  # a scalar example
    booleans: tuple[str, str] | None = None  # x-form-booleans: true, false
    pointer: str = ""  # the parameter object (for ``generator.diff``)
    default: str = ""  # the schema's default as JSON text; "": none


@dataclass(frozen=True)
class FieldEncoding:
    """A form or multipart field's ``encoding`` entry."""

    wire_name: str
    content_type: str = ""
    style: str = ""
    explode: bool | None = None
    date_format: str = ""  # "rfc2822": dates as email headers write them
    booleans: tuple[str, ...] = ()  # the texts for true and false


@dataclass(frozen=True)
class Body:
    media_type: str
    # ``raw``: any other media type, sent as the bytes/text/file given.
    encoding: Literal["json", "form", "multipart", "raw"]
    # Object bodies are flattened into keyword arguments (``fields``); any
    # other body (an array, a union, raw bytes) is one argument (``whole``).
    fields: tuple[Field, ...] = ()
    whole: Field | None = None
    required: bool = True
    # Free-form fields: ``extra`` is sent as given; each family sends its
    # mapping's keys with a prefix (``headers={"X-A": "1"}`` -> ``h:X-A``).
    extra: Field | None = None
    families: tuple[Field, ...] = ()  # wire_name holds the prefix
    encodings: tuple[FieldEncoding, ...] = ()

    @property
    def free_form(self) -> tuple[Field, ...]:
        return (*self.families, *((self.extra,) if self.extra else ()))

    @property
    def file_fields(self) -> tuple[Field, ...]:
        """Multipart fields that carry files (one, or a list of them)."""
        return tuple(
            f
            for f in self.fields
            if f.type.kind == "file"
            or (f.type.kind == "list" and f.type.args[0].kind == "file")
        )

    @property
    def plain_fields(self) -> tuple[Field, ...]:
        files = self.file_fields
        return tuple(f for f in self.fields if f not in files)


ResponseKind = Literal["json", "text", "binary", "events", "none"]


@dataclass(frozen=True)
class Response:
    status: str
    description: str
    type: TypeRef | None
    media_type: str = ""
    # How the body is read: parsed JSON, text, a streamed binary body, a
    # stream of server-sent events, or nothing.
    kind: ResponseKind = "json"


@dataclass(frozen=True)
class Page:
    """How a list operation pages: see ``generator.model.page_info``."""

    item: TypeRef  # the type of one element of ``items``


@dataclass(frozen=True)
class Operation:
    """One generated method. An operation with several request media types
    becomes one Operation per media type, each with its own method name."""

    operation_id: str
    method_name: str
    http_method: str
    path: str
    summary: str
    description: str
    deprecated: bool
    parameters: tuple[Parameter, ...]
    body: Body | None
    success: Response
    errors: tuple[Response, ...]
    pointer: str
    page: Page | None = None
    # Alternatives of scheme keys; None: the document's default.
    security: tuple[tuple[str, ...], ...] | None = None

    @property
    def result(self) -> Literal["none", "value", "cast", "page", "stream"]:
        """What the method returns: nothing; the response parsed into a class;
        a value of another type (a list, a union: ``cast`` for type checkers);
        a page that follows ``paging.next``; or a streamed body."""
        if self.page is not None:
            return "page"
        if self.success.kind in ("binary", "events"):
            return "stream"
        if self.success.type is None:
            return "none"
        return "value" if self.success.type.is_class else "cast"

    @property
    def path_params(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "path")

    @property
    def query_params(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "query")

    @property
    def header_params(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "header")

    @property
    def cookie_params(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "cookie")

    @property
    def keyword_args(self) -> tuple[Parameter | Field, ...]:
        """Keyword-only arguments: required ones first, each group in spec order."""
        args: list[Parameter | Field] = [
            p for p in self.parameters if p.location != "path"
        ]
        if self.body is not None:
            args.extend(self.body.fields)
            if self.body.whole is not None:
                args.append(self.body.whole)
            args.extend(self.body.free_form)
        return tuple(sorted(args, key=lambda a: not a.required))

    @property
    def types(self) -> list[TypeRef]:
        refs: list[TypeRef] = []
        for p in self.parameters:
            refs.extend(p.type.walk())
        if self.body is not None:
            for f in self.body.fields:
                refs.extend(f.type.walk())
            if self.body.whole is not None:
                refs.extend(self.body.whole.type.walk())
            for f in self.body.free_form:
                refs.extend(f.type.walk())
        if self.success.type is not None:
            refs.extend(self.success.type.walk())
        if self.page is not None:
            refs.extend(self.page.item.walk())
        return refs


@dataclass(frozen=True)
class Resource:
    class_name: str  # Bounces (AsyncBounces for the async twin)
    attr: str  # client.bounces
    module: str  # resources/bounces.py
    tag: str
    description: str
    operations: tuple[Operation, ...]


@dataclass(frozen=True)
class Server:
    url: str  # may hold ``{variable}`` placeholders
    description: str
    region: str  # Region enum value
    member: str  # Region enum member name
    variables: tuple[tuple[str, str], ...] = ()  # (name, default) in URL order
    # (name, allowed values) for variables with an enum.
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Security:
    key: str  # the scheme's name under components/securitySchemes
    scheme: Literal["basic", "bearer", "header", "query", "cookie"]
    name: str  # header/query/cookie name, or the basic-auth user name
    description: str


@dataclass(frozen=True)
class Webhook:
    """A request the API sends to the user: a 3.1 ``webhooks`` entry or an
    operation's callback. ``parse_webhook(name, body)`` gives its payload."""

    name: str  # what parse_webhook takes: the spec's key
    kind: Literal["webhook", "callback"]
    type: TypeRef  # the payload
    media_type: str
    summary: str
    description: str
    pointer: str  # the operation object of the webhook or callback
    # A union payload with a discriminator: the property, and the class for
    # each value it takes.
    discriminator: str = ""
    mapping: tuple[tuple[str, TypeRef], ...] = ()
    text: bool = False  # the body is text (text/*), not JSON


@dataclass(frozen=True)
class ReadmeExample:
    """One call the README's Quickstart shows (``x-readme``): each argument
    already Python source."""

    title: str
    resource: str  # client.<resource>
    method: str
    positional: tuple[str, ...]
    keywords: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Readme:
    quickstart: tuple[ReadmeExample, ...]
    webhooks: str  # prose for the webhook section, from the spec
    imports: tuple[str, ...]  # what the examples' literals need


@dataclass(frozen=True)
class Api:
    title: str
    version: str
    description: str
    package: str  # import name, e.g. mailgun_client
    distribution: str  # pip name, e.g. mailgun-client
    client_name: str  # Mailgun / AsyncMailgun
    env_var: str  # MAILGUN_API_KEY
    servers: tuple[Server, ...]
    security: tuple[Security, ...]
    default_security: tuple[tuple[str, ...], ...]
    resources: tuple[Resource, ...]
    models: tuple[Model, ...]
    enums: tuple[Enum, ...]
    spec_name: str
    spec_sha256: str
    overlays: tuple[str, ...] = ()
    webhooks: tuple[Webhook, ...] = ()
    readme: Readme | None = None

    @property
    def operations(self) -> list[Operation]:
        return [op for r in self.resources for op in r.operations]

    @property
    def needs_key(self) -> bool:
        """Whether some operation sends credentials (the key is then required)."""
        return any(
            any(op.security if op.security is not None else self.default_security)
            for op in self.operations
        )

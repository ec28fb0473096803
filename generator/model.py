"""Stage 2, model: turn a loaded document into the intermediate model (``ir``).

``build`` is the stage's entry. It finds the operations and groups them into
resources (``operations.py`` builds each one, ``derive.py`` names them), claims
class names for components in sorted order before anything else (so output
never depends on the file's order), and reads servers and security. All names
and types are decided here, once; problems become diagnostics with the JSON
pointer of the construct, and the CLI decides what they mean for the exit code.
"""

import re
from typing import Any

from generator import derive, ir, paths, schema_names, security, webhooks
from generator.context import Context, WrongKind, text_of
from generator.conventions import (
    CLIENT_MEMBERS,
    EXCEPTION_CLASSES,
    RESERVED_CLASSES,
    RESERVED_METHODS,
)
from generator.diagnostics import Diagnostics, join
from generator.load import LoadedSpec
from generator.naming import (
    Namespace,
    ascii_text,
    constant,
    file_safe,
    pascal,
    snake,
    words,
)
from generator.operations import SpecOperation, build_operations
from generator.readme import readme
from generator.schemas import is_model, named_type


def build(spec: LoadedSpec, diags: Diagnostics) -> ir.Api:
    """The intermediate model of a loaded spec, with every diagnostic in
    ``diags``. Operations that cannot be generated are reported and left out."""
    ctx = Context(spec=spec, diags=diags)
    data = spec.data
    info = data.get("info") or {}
    title = text_of(info, "title") or spec.path.stem
    client_words = [w for w in words(title) if w not in TITLE_NOISE] or ["api"]
    client_name = title_class_name(title)
    if {client_name, f"Async{client_name}", f"{client_name}Error"} & (
        RESERVED_CLASSES | EXCEPTION_CLASSES
    ):
        # A "Region API" may not hide the Region enum, nor a "Not Found API"
        # give a NotFoundError that hides the status exception.
        client_name += "Client"
    package = file_safe(snake(" ".join([*client_words, "client"])))
    # The client classes first; resource classes take what is left after
    # the components and the operations' own models (see _resource_classes).
    ctx.classes.claim(client_name)
    ctx.classes.claim("Async" + client_name)

    ctx.schemes = security.schemes(ctx, data)
    methods = _find_operations(ctx)
    derive.rehome_machine_tags(ctx, methods)
    derive.canonical_path_names(ctx, data.get("paths") or {})
    by_tag: dict[str, list[SpecOperation]] = {}
    for m in methods:
        by_tag.setdefault(m.tag, []).append(m)
    attrs = _resource_attrs(ctx, sorted(by_tag, key=lambda t: (snake(t), t)))
    _claim_components(ctx)
    tags = sorted(by_tag, key=lambda t: attrs[t])
    operations = {tag: _operations(ctx, tag, by_tag[tag]) for tag in tags}
    hooks = webhooks.find(ctx, methods)
    classes = _resource_classes(ctx, tags)
    _explain_numbers(ctx)
    tag_docs = {
        t.get("name"): text_of(t) for t in data.get("tags") or [] if isinstance(t, dict)
    }
    resources = [
        ir.Resource(
            class_name=classes[tag],
            attr=attrs[tag],
            module=attrs[tag],
            tag=tag,
            description=tag_docs.get(tag, ""),
            operations=operations[tag],
        )
        for tag in tags
    ]
    return ir.Api(
        title=title,
        version=_package_version(ctx, info),
        description=text_of(info),
        package=package,
        distribution=package.replace("_", "-"),
        client_name=client_name,
        env_var=constant(" ".join([*client_words, "api key"])),
        servers=_servers(ctx, data),
        security=ctx.schemes,
        default_security=security.requirement(
            ctx, data.get("security"), "/security", ctx.schemes
        ),
        resources=tuple(resources),
        models=_ordered_models(ctx.models),
        enums=tuple(ctx.enums[k] for k in sorted(ctx.enums)),
        spec_name=spec.name,
        spec_sha256=spec.sha256,
        overlays=spec.overlays,
        webhooks=hooks,
        readme=readme(ctx, resources),
    )


TITLE_NOISE = frozenset({"api", "openapi", "rest", "http", "spec", "specification"})


def title_class_name(title: str) -> str:
    """The client's class name from the API's title, acronyms kept:
    ``Acme AI API`` -> ``AcmeAI``, ``OpenAI API`` -> ``OpenAI``."""
    kept = []
    for raw in re.split(r"[^A-Za-z0-9]+", ascii_text(title)):
        if not raw or raw.lower() in TITLE_NOISE:
            continue
        # "MAILGUN" is a shout, not an acronym.
        token = raw.capitalize() if raw.isupper() and len(raw) > 5 else raw
        kept.append(token[0].upper() + token[1:])
    return pascal(" ".join(kept) or "api")


def _find_operations(ctx: Context) -> list[SpecOperation]:
    """Every operation under /paths, in the file's order; its first tag (or
    ``default``) names its resource."""
    found: list[SpecOperation] = []
    spec_paths = ctx.spec.data.get("paths") or {}
    by_path = derive.path_resources(list(spec_paths))
    for path, raw_item in spec_paths.items():
        if not isinstance(raw_item, dict):
            continue
        try:
            path_item, path_ptr = ctx.deref(
                raw_item, join("", "paths", path), "path item"
            )
        except WrongKind as exc:
            ctx.diags.warning(
                exc.pointer, f"{exc.message}; its operations are not generated"
            )
            continue
        for http_method in paths.HTTP_METHODS:
            op = path_item.get(http_method)
            if not isinstance(op, dict):
                continue
            ptr = join(path_ptr, http_method)
            found.append(
                SpecOperation(
                    op,
                    ptr,
                    http_method,
                    path,
                    _tag(op, by_path[path]),
                    path_item,
                    path_ptr,
                )
            )
    return found


def _tag(op: dict[str, Any], by_path: str) -> str:
    """The resource an operation belongs to: its ``x-python-resource``, else
    its first tag, else the one its path names."""
    explicit = op.get("x-python-resource")
    if isinstance(explicit, str) and explicit.strip():
        return explicit.strip()
    tags = op.get("tags")
    if isinstance(tags, list) and tags and str(tags[0]).strip():
        return str(tags[0])
    return by_path


def _explain_numbers(ctx: Context) -> None:
    """An info line for each class named with a number (see ``numbered``)."""
    made = {*ctx.models, *ctx.enums}
    for name, ptr in sorted(ctx.numbered.items()):
        for cls in sorted(n for n in made if n == name or n.startswith(name)):
            if cls == name or cls[len(name) :].isalpha():
                ctx.diags.info(
                    ptr,
                    f"class {cls!r} is numbered: nothing in the spec names this "
                    "union member (no title, discriminator value or property "
                    "of its own)",
                )


def _resource_attrs(ctx: Context, tags: list[str]) -> dict[str, str]:
    """``client.<attr>`` for each tag, claimed in order."""
    attrs = Namespace(CLIENT_MEMBERS)
    out: dict[str, str] = {}
    for tag in tags:
        wanted = file_safe(snake(tag, prefix="resource"))
        out[tag] = ctx.claim(
            attrs, wanted, "/tags", f"resource name {wanted!r} (tag {tag!r})"
        )
    return out


RESOURCE_TWINS = (
    "{}",
    "Async{}",
    "{}WithRawResponse",
    "Async{}WithRawResponse",
    "{}WithStreamingResponse",
    "Async{}WithStreamingResponse",
)


def _resource_classes(ctx: Context, tags: list[str]) -> dict[str, str]:
    """The class name of each resource. Models keep their names: a resource
    whose classes (it and its async and raw-response twins) would take a
    model's or enum's name is called ``...Resource`` instead, since its
    module imports the models it returns."""
    taken = ctx.classes.copy()
    out: dict[str, str] = {}
    for tag in tags:
        wanted = pascal(tag, prefix="Resource")
        if any(t.format(wanted) in taken for t in RESOURCE_TWINS):
            wanted += "Resource"
        name, n = wanted, 1
        while any(t.format(name) in taken for t in RESOURCE_TWINS):
            n += 1  # the twins too: "Async Item" next to "Item"
            name = f"{wanted}{n}"
        if name != wanted:
            ctx.diags.info(
                "/tags", f"class name {wanted!r} is already taken; using {name!r}"
            )
        for twin in RESOURCE_TWINS:
            taken.claim(twin.format(name))
        out[tag] = name
    return out


def _claim_components(ctx: Context) -> None:
    """Name and build every component schema, in sorted order, so that a
    clash between two schemas is settled the same way whatever order the
    file lists them in."""
    schemas = (ctx.spec.data.get("components") or {}).get("schemas") or {}
    machine = [k for k in schemas if schema_names.is_machine_schema_name(k)]
    cleaned = schema_names.clean_schema_names(sorted(machine))
    refs = {key: "#" + join("", "components", "schemas", key) for key in schemas}
    for key in sorted(schemas):
        wanted = pascal(" ".join(cleaned[key])) if key in cleaned else pascal(key)
        ctx.wanted_names[refs[key]] = wanted
        if key in cleaned:
            ctx.diags.info(refs[key][1:], f"schema {key!r} is named {wanted!r}")
    for key in sorted(schemas):
        target = schemas[key]
        # Enums claim their name when first built.
        if is_model(ctx, target) and "enum" not in target:
            ref = refs[key]
            ctx.component_names[ref] = ctx.claim_class(ctx.wanted_names[ref], ref[1:])
    for key in sorted(schemas):
        named_type(ctx, refs[key], refs[key][1:])


def _operations(
    ctx: Context, tag: str, methods: list[SpecOperation]
) -> tuple[ir.Operation, ...]:
    """The methods of one resource; an operation that cannot be built is
    reported and left out."""
    method_ns = Namespace(RESERVED_METHODS)
    ops: list[ir.Operation] = []
    for m, name in zip(methods, derive.method_names(ctx, tag, methods), strict=True):
        try:
            ops.extend(build_operations(ctx, m, name, method_ns))
        except WrongKind as exc:
            ctx.diags.warning(
                exc.pointer, f"{exc.message}; the operation is not generated"
            )
    return tuple(ops)


def _servers(ctx: Context, data: dict[str, Any]) -> tuple[ir.Server, ...]:
    servers = []
    names = Namespace()
    for i, s in enumerate(data.get("servers") or [{"url": "/"}]):
        sptr = join("", "servers", i)
        url = str(s.get("url", "/"))
        desc = text_of(s)
        region = s.get("x-region")
        if not isinstance(region, str) or not region:
            region = "_".join(
                w for w in words(desc) if w not in ("region", "server")
            ) or ("default" if i == 0 else f"server{i + 1}")
        region = ctx.claim(
            names,
            snake(region, prefix="region"),
            sptr,
            f"region name {snake(region, prefix='region')!r}",
        )
        servers.append(
            ir.Server(
                url=url,
                description=desc,
                region=region,
                member=constant(region),
                variables=_server_variables(ctx, s, url, sptr),
                choices=tuple(
                    (str(name), tuple(str(v) for v in spec["enum"]))
                    for name, spec in (s.get("variables") or {}).items()
                    if isinstance(spec, dict) and isinstance(spec.get("enum"), list)
                ),
            )
        )
    if any(not s.url.startswith(("http://", "https://")) for s in servers):
        ctx.diags.warning(
            "/servers", "a server URL is relative; pass base_url to the client"
        )
    return tuple(servers)


def _server_variables(
    ctx: Context, server: dict[str, Any], url: str, sptr: str
) -> tuple[tuple[str, str], ...]:
    """Each ``{name}`` of the URL with its default; the client fills them in
    (``server_variables=`` overrides). One with no definition has no default."""
    defined = server.get("variables") or {}
    out = []
    for name in dict.fromkeys(re.findall(r"\{([^{}]+)\}", url)):
        spec = defined.get(name)
        if not isinstance(spec, dict) or "default" not in spec:
            ctx.diags.warning(
                join(sptr, "url"),
                f"server variable {{{name}}} has no default; the client needs "
                f"server_variables={{{name!r}: ...}}",
            )
            out.append((name, ""))
        else:
            out.append((name, str(spec["default"])))
    return tuple(out)


PEP440 = re.compile(r"^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$")


def _package_version(ctx: Context, info: dict[str, Any]) -> str:
    """``info.version`` when it is a valid package version (PEP 440), else
    its numbers (``2023-10-16`` -> ``2023.10.16``), else ``0.0.0``."""
    version = str(info.get("version", "")).strip()
    if PEP440.match(version):
        return version
    numbers = [str(int(n)) for n in re.findall(r"\d+", version)]
    fixed = ".".join(numbers) if numbers else "0.0.0"
    ctx.diags.warning(
        "/info/version",
        f"{version!r} is not a Python package version (PEP 440); the package "
        f"is versioned {fixed!r}",
    )
    return fixed


def _ordered_models(models: dict[str, ir.Model]) -> tuple[ir.Model, ...]:
    """Sorted by name, with each parent class before its subclasses."""
    out: list[ir.Model] = []
    placed: set[str] = set()

    def place(model: ir.Model) -> None:
        if model.name in placed:
            return
        placed.add(model.name)
        if model.base and model.base in models:
            place(models[model.base])
        out.append(model)

    for name in sorted(models):
        place(models[name])
    return tuple(out)

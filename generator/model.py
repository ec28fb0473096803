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

from generator import derive, ir, paths, security
from generator.context import Context, WrongKind, text_of
from generator.conventions import CLIENT_MEMBERS, RESERVED_CLASSES, RESERVED_METHODS
from generator.diagnostics import Diagnostics, join
from generator.load import LoadedSpec
from generator.naming import Namespace, constant, file_safe, pascal, snake, words
from generator.operations import SpecOperation, build_operations
from generator.schemas import is_model, named_type


def build(spec: LoadedSpec, diags: Diagnostics) -> ir.Api:
    """The intermediate model of a loaded spec, with every diagnostic in
    ``diags``. Operations that cannot be generated are reported and left out."""
    ctx = Context(spec=spec, diags=diags)
    data = spec.data
    info = data.get("info") or {}
    title = text_of(info, "title") or spec.path.stem
    client_words = [
        w for w in words(title) if w not in ("api", "openapi", "rest", "http")
    ] or ["api"]
    client_name = pascal(" ".join(client_words))
    if {client_name, f"Async{client_name}", f"{client_name}Error"} & RESERVED_CLASSES:
        client_name += "Client"  # a "Region API" may not hide the Region enum
    package = file_safe(snake(" ".join([*client_words, "client"])))
    # The client classes, then resources: their class names are imported
    # next to the models, so all share one namespace.
    ctx.classes.claim(client_name)
    ctx.classes.claim("Async" + client_name)

    ctx.schemes = security.schemes(ctx, data)
    methods = _find_operations(ctx)
    derive.rehome_machine_tags(ctx, methods)
    derive.canonical_path_names(ctx, data.get("paths") or {})
    by_tag: dict[str, list[SpecOperation]] = {}
    for m in methods:
        by_tag.setdefault(m.tag, []).append(m)
    resource_names = _resource_names(ctx, sorted(by_tag, key=lambda t: (snake(t), t)))
    _claim_components(ctx)
    tag_docs = {
        t.get("name"): text_of(t) for t in data.get("tags") or [] if isinstance(t, dict)
    }
    resources = [
        _resource(ctx, tag, *resource_names[tag], tag_docs.get(tag, ""), by_tag[tag])
        for tag in sorted(by_tag, key=lambda t: resource_names[t][0])
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
    )


def _find_operations(ctx: Context) -> list[SpecOperation]:
    """Every operation under /paths, in the file's order; its first tag (or
    ``default``) names its resource."""
    found: list[SpecOperation] = []
    for path, raw_item in (ctx.spec.data.get("paths") or {}).items():
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
            tags = op.get("tags") or ["default"]
            ptr = join(path_ptr, http_method)
            found.append(
                SpecOperation(
                    op, ptr, http_method, path, str(tags[0]), path_item, path_ptr
                )
            )
            if "callbacks" in op:
                ctx.diags.warning(join(ptr, "callbacks"), "callbacks are not generated")
    if ctx.spec.data.get("webhooks"):
        ctx.diags.warning("/webhooks", "webhooks (incoming requests) are not generated")
    return found


def _resource_names(ctx: Context, tags: list[str]) -> dict[str, tuple[str, str]]:
    """``client.<attr>`` and the class name for each tag, claimed in order."""
    attrs = Namespace(CLIENT_MEMBERS)
    out: dict[str, tuple[str, str]] = {}
    for tag in tags:
        wanted_attr = file_safe(snake(tag, prefix="resource"))
        attr = ctx.claim(
            attrs, wanted_attr, "/tags", f"resource name {wanted_attr!r} (tag {tag!r})"
        )
        wanted = pascal(tag, prefix="Resource")
        if wanted in ctx.classes or "Async" + wanted in ctx.classes:
            wanted += "Resource"  # a tag named like the client ("Shapes" API)
        class_name = ctx.claim_class(wanted, "/tags")
        # The resource module also defines the async and raw-response twins.
        for twin in ("Async{}", "{}WithRawResponse", "Async{}WithRawResponse"):
            ctx.classes.claim(twin.format(class_name))
        out[tag] = (attr, class_name)
    return out


def _claim_components(ctx: Context) -> None:
    """Name and build every component schema, in sorted order, so that a
    clash between two schemas is settled the same way whatever order the
    file lists them in."""
    schemas = (ctx.spec.data.get("components") or {}).get("schemas") or {}
    machine = [k for k in schemas if derive.is_machine_schema_name(k)]
    cleaned = derive.clean_schema_names(sorted(machine))
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


def _resource(
    ctx: Context,
    tag: str,
    attr: str,
    class_name: str,
    description: str,
    methods: list[SpecOperation],
) -> ir.Resource:
    method_ns = Namespace(RESERVED_METHODS)
    ops: list[ir.Operation] = []
    for m, name in zip(methods, derive.method_names(ctx, tag, methods), strict=True):
        try:
            ops.extend(build_operations(ctx, m, name, method_ns))
        except WrongKind as exc:
            ctx.diags.warning(
                exc.pointer, f"{exc.message}; the operation is not generated"
            )
    return ir.Resource(
        class_name=class_name,
        attr=attr,
        module=attr,
        tag=tag,
        description=description,
        operations=tuple(ops),
    )


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

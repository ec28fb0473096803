"""Readable names where the spec's own are machine-made.

Published specs often carry operationIds like ``GET-v3--domainID--bounces``
and schema names like ``github.com-mailgun-thresholds-api-SendAlertRequest``.
This module turns HTTP verb + path shape into method names
(``client.bounces.list``), cleans schema names, and picks a resource for
operations whose tag is a generator artefact. Everything is deterministic:
the same spec gives the same names on every run.
"""

import re
from dataclasses import dataclass
from typing import Any

from generator import operation_ids, paths
from generator.bodies import encoding
from generator.context import Context, text_of
from generator.diagnostics import join
from generator.naming import plural_forms, singular, snake, words
from generator.operations import SpecOperation

MACHINE_TAG = re.compile(r"(?i)^openapi[-_]|[-_]other$")
# A last path segment (or a POST summary) starting with one of these names
# the action itself: POST /domains/{name}/verify -> verify.
ACTIONS = frozenset(
    {
        "activate",
        "assign",
        "cancel",
        "check",
        "copy",
        "deactivate",
        "delegate",
        "disable",
        "enable",
        "enroll",
        "export",
        "import",
        "match",
        "override",
        "preview",
        "refresh",
        "regenerate",
        "resend",
        "reset",
        "revoke",
        "rotate",
        "search",
        "send",
        "test",
        "unassign",
        "upload",
        "validate",
        "verify",
    }
)


def is_machine_tag(tag: str) -> bool:
    return bool(MACHINE_TAG.search(tag))


@dataclass(frozen=True)
class MethodNames:
    """Candidate names from shortest to most specific; the model picks the
    first that is unique in its resource."""

    candidates: tuple[str, ...]
    collection: bool  # the path ends with a literal, not a parameter
    version: str  # "v3", or "" when the path has no version segment


def names_from_path(
    http_method: str,
    path: str,
    resource_words: set[str],
    *,
    returns_list: bool,
    summary: str = "",
) -> MethodNames:
    """Candidate method names from the verb and the path's shape.

    The *anchor* is the first path segment that names the resource
    (``bounces`` for tag *Bounces*), or the first literal segment. Literal
    segments after it qualify the name (``/tracking/click`` -> ``click``),
    segments before it only when needed to tell two methods apart.
    """
    shape = paths.parse(path)
    segs, version, is_item = shape.segments, shape.version, shape.is_item
    literals = [(i, s) for i, s in enumerate(segs) if not s.is_param]

    def is_resource(seg: paths.Segment) -> bool:
        return bool(seg.words) and all(w in resource_words for w in seg.words)

    anchor = next(
        (i for i, s in literals if s.words and s.words[0] in resource_words), None
    )
    anchor_rest: list[str] = []
    if anchor is None:
        anchor = literals[0][0] if literals else -1
    elif segs[anchor].dotted:
        # "messages.mime" anchors on "messages" and keeps "mime".
        anchor_rest = [w for w in segs[anchor].words if w not in resource_words]
    before_literals = [
        w for i, s in literals if i < anchor for w in s.words if w not in resource_words
    ]
    before_all = [
        w
        for i, s in enumerate(segs)
        if i < anchor
        for w in s.words
        if w not in resource_words
    ]
    after = [(i, s) for i, s in literals if i > anchor]
    verb, action_words = _verb(http_method, is_item, returns_list, summary, after)

    def qualifier_words(keep_resource: bool) -> list[str]:
        out: list[str] = list(anchor_rest)
        for _, s in after:
            if not keep_resource and is_resource(s) and not s.followed_by_param:
                continue  # /tracking/click on "Domain Tracking": just "click"
            ws = list(s.words)
            if s.followed_by_param or (
                verb == "create" and s is after[-1][1] and not is_item
            ):
                ws[-1] = singular(ws[-1])
            out.extend(ws)
        return [w for w in out if w not in action_words]

    def join_name(*parts: list[str]) -> str:
        lead = action_words or [verb]
        return snake("_".join([*lead, *[w for p in parts for w in p]]))

    candidates = [
        join_name(qualifier_words(False)),
        join_name(qualifier_words(True)),
        join_name(before_literals, qualifier_words(True)),
        join_name(before_all, qualifier_words(True)),
    ]
    return MethodNames(
        tuple(dict.fromkeys(candidates)), collection=not is_item, version=version
    )


CRUD_SUMMARY = frozenset({"add", "create", "delete", "get", "list", "remove", "update"})
POST_SUMMARY_VERBS = ACTIONS | {"list", "query"}


def _verb(
    http_method: str,
    is_item: bool,
    returns_list: bool,
    summary: str,
    after: list[tuple[int, paths.Segment]],
) -> tuple[str, list[str]]:
    first = (words(summary) or [""])[0]
    last = after[-1][1] if after else None
    # The last literal segment may name the action (/verify, /rotate,
    # /copy/{new}), unless the summary says it is plain CRUD ("Create a
    # send alert" on /alerts/send).
    if (
        http_method != "delete"
        and last is not None
        and last.words
        and last.words[0] in ACTIONS
        and first not in CRUD_SUMMARY
    ):
        return "", list(last.words)
    if http_method == "get":
        return ("list" if returns_list and not is_item else "get"), []
    if http_method == "post":
        return (first if first in POST_SUMMARY_VERBS else "create"), []
    if http_method in ("put", "patch"):
        return "update", []
    return http_method, []


def resource_words(tag: str) -> set[str]:
    return {f for w in words(tag) for f in plural_forms(w)}


# Path segments that name no resource: ``/api/v1/...``.
PATH_NOISE = frozenset({"api", "apis", "rest", "public", "private", "latest"})


def path_resources(spec_paths: list[str]) -> dict[str, str]:
    """The resource each path names, for operations without a tag: its
    first literal segment after the prefix every path shares (versions and
    ``api`` left out): ``/api/v1/schedules/{id}`` -> ``schedules``."""
    literal: dict[str, list[str]] = {}
    for path in spec_paths:
        segs = [s for s in path.split("#", 1)[0].split("?", 1)[0].split("/") if s]
        literal[path] = [
            s for s in segs if not paths.is_version(s) and s.lower() not in PATH_NOISE
        ]
    shared = 0
    lists = [v for v in literal.values() if v]
    while lists and all(
        len(v) > shared + 1
        and v[shared] == lists[0][shared]
        and not v[shared].startswith("{")
        for v in lists
    ):
        shared += 1
    out = {}
    for path, segs in literal.items():
        named = next((s for s in segs[shared:] if not s.startswith("{")), "")
        if not words(named):
            named = next((s for s in segs if not s.startswith("{")), "")
        out[path] = named if words(named) else "default"
    return out


def rehome(path: str, tags: list[str]) -> str | None:
    """For an operation whose tag is a generator artefact, the resource
    (tag) that the path's most specific matching segment names."""
    segs = paths.parse(path).segments
    by_word: dict[str, str] = {}
    for tag in tags:
        for w in resource_words(tag):
            by_word.setdefault(w, tag)
    whole: dict[str, str] = {}
    for tag in tags:
        for form in plural_forms(snake(tag)):
            whole.setdefault(form, tag)
    for seg in reversed(segs):
        if seg.is_param or not seg.words:
            continue
        joined = "_".join(seg.words)
        if joined in whole:  # "ip_pools" -> "IP Pools", before "pools" alone
            return whole[joined]
        if seg.words[-1] in by_word:
            return by_word[seg.words[-1]]
    return None


# ----------------------------------------------- the methods of a resource


def canonical_path_names(ctx: Context, spec_paths: dict[str, Any]) -> None:
    """One Python name for a path parameter the spec spells several ways.

    ``/v3/{domain}/stats`` and ``/v3/{domain_name}/bounces`` name the same
    thing; parameters at the same place under the same prefix take the
    spelling most paths use (ties: alphabetical).
    """
    groups: dict[tuple[str, ...], dict[str, list[str]]] = {}
    for path in spec_paths:
        shape = paths.parse(path)
        for i, seg in enumerate(shape.segments):
            if seg.is_param:
                key = shape.key[:i]
                groups.setdefault(key, {}).setdefault(seg.name, []).append(path)
    for _, spellings in sorted(groups.items()):
        if len(spellings) < 2:
            continue
        canonical = max(sorted(spellings), key=lambda n: len(spellings[n]))
        for name, used in sorted(spellings.items()):
            if name == canonical:
                continue
            renamed = [p for p in used if "{" + canonical + "}" not in p]
            for path in renamed:
                ctx.path_names[(path, name)] = canonical
            if renamed:
                ctx.diags.warning(
                    join("", "paths", renamed[0]),
                    f"path parameter {{{name}}} is spelled {{{canonical}}} at the same "
                    f"place in other paths; in {len(renamed)} path(s) its Python "
                    f"argument is named {snake(canonical)!r} (positional-only, as all "
                    "path arguments are)",
                )


def rehome_machine_tags(ctx: Context, methods: list[SpecOperation]) -> None:
    """Tags like ``openapi-tower_other`` are artefacts of the tool that wrote
    the spec; such operations join the resource their path names."""
    known = sorted({m.tag for m in methods if not is_machine_tag(m.tag)})
    for m in methods:
        if not is_machine_tag(m.tag):
            continue
        target = rehome(m.path, known)
        if target is None:
            target = re.sub(r"(?i)^openapi[-_]|[-_]other$", "", m.tag) or m.tag
        ctx.diags.info(
            join(m.ptr, "tags"),
            f"tag {m.tag!r} looks machine-made; operation placed under {target!r}",
        )
        m.tag = target


def _returns_list(ctx: Context, op: dict[str, Any], path: str) -> bool:
    """An array, or a wrapper whose ``items`` (or the array named like the
    path's last segment, ``/v5/users`` -> ``users``) carries the list."""
    last = snake(path.rstrip("/").rsplit("/", 1)[-1])
    for status, resp in sorted((op.get("responses") or {}).items()):
        if not status.startswith("2"):
            continue
        target, _ = ctx.deref(resp, "")
        for mt, media in (target.get("content") or {}).items():
            if encoding(mt) != "json" or not isinstance(media, dict):
                continue
            schema, _ = ctx.deref(media.get("schema", {}), "")
            if not isinstance(schema, dict):
                return False
            if schema.get("type") == "array":
                return True
            for name, prop in (schema.get("properties") or {}).items():
                if name in ("items", last):
                    prop_schema, _ = ctx.deref(prop, "")
                    if (
                        isinstance(prop_schema, dict)
                        and prop_schema.get("type") == "array"
                    ):
                        return True
            return False
    return False


def _is_collection_of(
    i: int,
    group: list[int],
    methods: list[SpecOperation],
    shapes: list[MethodNames | None],
) -> bool:
    shape = shapes[i]
    if shape is None or not shape.collection:
        return False
    mine = paths.parse(methods[i].path).key
    return any(
        paths.parse(methods[j].path).key[: len(mine) + 1] == (*mine, "{}")
        for j in group
        if j != i
    )


def _collection_name(name: str) -> str:
    """The collection twin of an item method: get -> list, delete -> delete_all."""
    if name == "get" or name.startswith("get_"):
        return "list" + name[3:]
    return f"{name}_all"


def method_names(ctx: Context, tag: str, methods: list[SpecOperation]) -> list[str]:
    """One readable name per operation of a resource, unique where possible.

    ``x-python-method`` wins; a readable operationId is read into words
    (``operation_ids``), minus a namespace every id of the resource shares
    and the resource's own words; a machine-made one
    (``GET-v3--domainID--bounces``) is replaced by a name from the HTTP verb
    and the path. Clashing names move, together, to their next more
    specific candidate.
    """
    rwords = resource_words(tag)
    parsed = [_readable_id(m) for m in methods]
    cut = operation_ids.common_namespace([p.words for p in parsed if p is not None])
    found = [
        _candidates(ctx, m, rwords, p, cut)
        for m, p in zip(methods, parsed, strict=True)
    ]
    return _settle([c for c, _ in found], [s for _, s in found], methods)


# Words that say nothing in a method name ("agents_api_v1_list").
NAME_NOISE = frozenset({"api", "apis", "endpoint", "operation", "route", "routes"})


def _readable_id(m: SpecOperation) -> operation_ids.IdWords | None:
    """The words of the operation's id, when it has a readable one and no
    ``x-python-method``."""
    explicit = m.op.get("x-python-method")
    op_id = str(m.op.get("operationId") or "")
    if isinstance(explicit, str) and explicit.strip():
        return None
    if operation_ids.is_machine(op_id, m.http_method, m.path):
        return None
    vocab = operation_ids.vocabulary(
        text_of(m.op, "summary"), m.path, m.tag, text_of(m.op)[:2000]
    )
    return operation_ids.id_words(op_id, m.http_method, m.path, vocab)


def _without_resource(own: list[str], rwords: set[str]) -> list[str]:
    """An id's words minus what the resource already says (``list_bounces``
    on *Bounces* -> ``list``), and minus ``api`` and the like before the
    verb: a namespace (``agents_api_list``); after the verb such a word is
    part of the name (``create_api_key``)."""
    verb_at = next((i for i, w in enumerate(own) if w in operation_ids.VERBS), len(own))
    if verb_at < len(own) and any(w in NAME_NOISE for w in own[:verb_at]):
        # jobs_api_routes_fine_tuning_update_model: all before the verb is
        # the module path the id was made from.
        own = own[verb_at:]
        verb_at = 0
    return [
        w
        for i, w in enumerate(own)
        if w not in rwords and not (w in NAME_NOISE and i < verb_at)
    ]


def _path_qualifier(path: str, taken: set[str]) -> list[str]:
    """The path's literal words a name does not have yet: what tells two
    operations with the same id apart (``/preview/{f}/thumbnail.jpg``)."""
    have = {f for w in taken for f in plural_forms(w)}
    out: list[str] = []
    for seg in paths.parse(path.split("#", 1)[0]).segments:
        if not seg.is_param:
            out.extend(w for w in seg.words if w not in have and w not in out)
    return out


def _candidates(
    ctx: Context,
    m: SpecOperation,
    rwords: set[str],
    parsed: operation_ids.IdWords | None,
    cut: int,
) -> tuple[tuple[str, ...], MethodNames | None]:
    """A method's names from plainest to most specific, and the path shape
    they came from when the operationId was machine-made."""
    explicit = m.op.get("x-python-method")
    op_id = str(m.op.get("operationId") or "")
    if isinstance(explicit, str) and explicit.strip():
        return (snake(explicit),), None
    if parsed is not None:
        own = list(parsed.words[cut:])
        core = _without_resource(own, rwords)
        if core:
            extra = [w for w in parsed.extra if w not in rwords]
            where = _path_qualifier(m.path, {*core, *extra})
            return (
                tuple(
                    dict.fromkeys(
                        snake("_".join(c))
                        for c in (
                            core,
                            [*core, *extra],
                            own,
                            [*parsed.words, *extra],
                            [*core, *extra, *where],
                        )
                        if c
                    )
                ),
                None,
            )
    shape = names_from_path(
        m.http_method,
        m.path,
        rwords,
        returns_list=_returns_list(ctx, m.op, m.path),
        summary=text_of(m.op, "summary"),
    )
    if parsed is None:
        ctx.diags.info(
            m.ptr,
            f"operationId {op_id!r} spells out the path; method named "
            f"from its verb and path",
        )
    return shape.candidates, shape


def _settle(
    cands: list[tuple[str, ...]],
    shapes: list[MethodNames | None],
    methods: list[SpecOperation],
) -> list[str]:
    """Pick each method's candidate, moving clashing ones along together."""
    level = [0] * len(methods)

    def current() -> list[str]:
        return [c[min(lv, len(c) - 1)] for c, lv in zip(cands, level, strict=True)]

    for _ in range(8):
        groups: dict[str, list[int]] = {}
        for i, name in enumerate(current()):
            groups.setdefault(name, []).append(i)
        moved = False
        for group in (g for g in groups.values() if len(g) > 1):
            moved = _move_apart(group, cands, level, shapes, methods) or moved
        if not moved:
            break
    return current()


def _move_apart(
    group: list[int],
    cands: list[tuple[str, ...]],
    level: list[int],
    shapes: list[MethodNames | None],
    methods: list[SpecOperation],
) -> bool:
    """One step apart for methods that share a name; False if none can move."""
    pair = [i for i in group if _is_collection_of(i, group, methods, shapes)]
    if pair:
        # GET/DELETE /bounces next to GET/DELETE /bounces/{address}
        for i in pair:
            cands[i] = tuple(_collection_name(c) for c in cands[i][level[i] :])
            level[i] = 0
        return True
    # The plainest path (a GET first) keeps the plain name; the others say
    # more: the API version if only that differs, else more of the path.
    keeper = min(
        group,
        key=lambda i: (
            methods[i].http_method != "get",
            paths.plainness(methods[i].path),
        ),
    )
    keeper_key = paths.parse(methods[keeper].path).key
    moved = False
    for i in group:
        shape = shapes[i]
        if i == keeper:
            continue
        if (
            shape is not None
            and shape.version
            and paths.parse(methods[i].path).key == keeper_key
        ):
            cands[i] = tuple(f"{c}_{shape.version}" for c in cands[i][level[i] :])
            level[i] = 0
        elif level[i] < len(cands[i]) - 1:
            level[i] += 1
        else:
            continue
        moved = True
    return moved

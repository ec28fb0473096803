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

from generator.naming import plural_forms, snake, words

HTTP_VERBS = frozenset({"GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS"})
VERSION = re.compile(r"^v\d+(\.\d+)?$")
# operationIds that spell out the verb and path instead of naming the action.
MACHINE_OPERATION_ID = re.compile(
    r"(?i)^(get|put|post|delete|patch|head|options|trace)[-_ ]|--|[/{}:.]"
)
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
PACKAGE_NOISE = frozenset(
    {
        "api",
        "apis",
        "pkg",
        "model",
        "models",
        "httpapi",
        "internal",
        "client",
        "golang",
        "types",
        "entities",
        "v1",
        "v2",
        "v3",
        "v4",
        "v5",
    }
)
GENERIC_LAST = frozenset({"response", "request", "requestbody", "body", "resp", "req"})
MEDIA_WORDS = (
    "multipart-form-data",
    "application-form-data",
    "application-json",
    "application-x-www-form-urlencoded",
    "form-data",
)


def is_machine_operation_id(op_id: str) -> bool:
    return not op_id or bool(MACHINE_OPERATION_ID.search(op_id))


def is_machine_tag(tag: str) -> bool:
    return bool(MACHINE_TAG.search(tag))


def singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 2:
        return word[:-1]
    return word


@dataclass(frozen=True)
class _Segment:
    words: tuple[str, ...]
    is_param: bool
    followed_by_param: bool
    dotted: bool  # "messages.mime", "members.json"


def _segments(path: str) -> tuple[list[_Segment], str]:
    raw = [s for s in path.strip("/").split("/") if s]
    version = next((s for s in raw if VERSION.match(s)), "")
    raw = [s for s in raw if not VERSION.match(s)]
    segs = []
    for i, s in enumerate(raw):
        is_param = s.startswith("{") and s.endswith("}")
        nxt = raw[i + 1] if i + 1 < len(raw) else ""
        segs.append(
            _Segment(
                words=tuple(words(s.strip("{}"))),
                is_param=is_param,
                followed_by_param=nxt.startswith("{"),
                dotted="." in s,
            )
        )
    return segs, version


@dataclass(frozen=True)
class MethodNames:
    """Candidate names from shortest to most specific; the model picks the
    first that is unique in its resource."""

    candidates: tuple[str, ...]
    collection: bool  # the path ends with a literal, not a parameter
    version: str  # "v3", or "" when the path has no version segment


def method_names(
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
    segs, version = _segments(path)
    literals = [(i, s) for i, s in enumerate(segs) if not s.is_param]
    is_item = bool(segs) and segs[-1].is_param

    def is_resource(seg: _Segment) -> bool:
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
    after: list[tuple[int, _Segment]],
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


def rehome(path: str, tags: list[str]) -> str | None:
    """For an operation whose tag is a generator artefact, the resource
    (tag) that the path's most specific matching segment names."""
    segs, _ = _segments(path)
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


# ----------------------------------------------------------------- schemas


def schema_name_parts(name: str) -> list[str]:
    """Qualifying parts of a schema name, most specific last.

    ``github.com-mailgun-scaffold-httpapi-Response`` ->
    ``["scaffold", "httpapi", "Response"]`` (host and owner dropped);
    ``POST-v3-domainID-bounces-multipart-form-data-RequestBody`` ->
    ``["POST", "domainID", "bounces", "RequestBody"]``.
    """
    text = name
    for media in MEDIA_WORDS:
        text = text.replace(f"-{media}-", "-")
    segs = [s for s in text.split("-") if s]
    host = next(
        (i for i, s in enumerate(segs) if re.search(r"[A-Za-z0-9]\.[a-z]{2,}$", s)),
        None,
    )
    if host is not None:
        # A Go package path: github.com-<owner>-<pkg>-...-<Type>
        prefix = re.sub(r"[A-Za-z0-9]+\.[a-z]{2,}$", "", segs[host]).strip("_")
        parts = segs[host + 2 :] or segs[-1:]
        # Package-layout words say nothing about the type; keep the rest.
        parts = [p for p in parts[:-1] if p.lower() not in PACKAGE_NOISE] + parts[-1:]
        return [*parts[:-1], prefix, parts[-1]] if prefix else parts
    return [s for s in segs if not VERSION.match(s)] or [name]


def clean_schema_names(names: list[str]) -> dict[str, list[str]]:
    """Shortest unique qualification of every schema name, as word lists.

    Each name starts as its last part; names that clash take one more part
    from the left, all members of the clash together, until unique (or out
    of parts: the caller's namespace then numbers them).
    """
    parts = {n: schema_name_parts(n) for n in names}
    # "RequestBody" or "Response" alone names nothing: start one part deeper.
    depth = {
        n: 2 if parts[n][-1].lower() in GENERIC_LAST and len(parts[n]) > 1 else 1
        for n in names
    }

    def current(n: str) -> str:
        return pascal_key(parts[n][-depth[n] :])

    for _ in range(8):
        groups: dict[str, list[str]] = {}
        for n in names:
            groups.setdefault(current(n), []).append(n)
        clashes = [g for g in groups.values() if len(g) > 1]
        moved = False
        for group in clashes:
            for n in group:
                if depth[n] < len(parts[n]):
                    depth[n] += 1
                    moved = True
        if not moved:
            break
    return {n: parts[n][-depth[n] :] for n in names}


def pascal_key(parts: list[str]) -> str:
    return "".join(w.capitalize() for p in parts for w in words(p))


def is_machine_schema_name(name: str) -> bool:
    """A Go package path or a verb-and-path name, not a name a person chose."""
    first = name.split("-", maxsplit=1)[0]
    return bool(
        re.search(r"[A-Za-z0-9]\.[a-z]{2,}-", name)
        or (first.upper() in HTTP_VERBS and "-" in name)
    )

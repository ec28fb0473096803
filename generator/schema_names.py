"""Schema names: readable class names where the spec's are machine-made.

Part of the model stage (``model.py`` claims component names with them).
Published specs carry schema names like
``github.com-mailgun-thresholds-api-SendAlertRequest`` or
``POST-v3-domainID-bounces-multipart-form-data-RequestBody``; these become
the shortest qualification that is unique (``SendAlertRequest``,
``BouncesRequestBody``).
"""

import re

from generator import paths
from generator.naming import words

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
    return [s for s in segs if not paths.is_version(s)] or [name]


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
        or (first.lower() in paths.HTTP_METHODS and "-" in name)
    )

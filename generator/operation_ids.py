"""Operation ids: the words a person meant, in every common shape.

Part of the naming rules (``derive.py`` uses it). An operationId comes as
camelCase (``listBounces``), snake_case (``get_channel``), kebab-case, words
with spaces, a dotted namespace (``v1.application.list``), FastAPI's made-up
ids (``create_flow_flows__post``: the function's name, then the path and the
verb), with a version tag (``get_schedule_v1``), or run together in lower
case (``getorganizationspendlimit``, split with the words of the operation's
own summary and path). ``id_words`` reads each into words; ``is_machine``
tells an id that only spells out the verb and the path, which ``derive``
replaces with a name from the path's shape.
"""

import functools
import re
from dataclasses import dataclass

from generator import paths
from generator.naming import words

# The first word of most method names; a leading run of other words that
# every id of a resource shares (``agents_api_v1_agents_``) is a namespace.
VERBS = frozenset(
    {
        "abort",
        "activate",
        "add",
        "append",
        "apply",
        "archive",
        "assign",
        "attach",
        "batch",
        "bulk",
        "call",
        "cancel",
        "check",
        "clear",
        "clone",
        "close",
        "complete",
        "confirm",
        "copy",
        "count",
        "create",
        "deactivate",
        "delete",
        "detach",
        "disable",
        "download",
        "enable",
        "execute",
        "exchange",
        "expire",
        "export",
        "fetch",
        "filter",
        "find",
        "generate",
        "get",
        "import",
        "invite",
        "list",
        "lookup",
        "move",
        "patch",
        "pause",
        "post",
        "promote",
        "publish",
        "put",
        "query",
        "read",
        "recover",
        "refresh",
        "remove",
        "rename",
        "replace",
        "replay",
        "reschedule",
        "reset",
        "resend",
        "restart",
        "restore",
        "resume",
        "retrieve",
        "retry",
        "revoke",
        "rotate",
        "run",
        "search",
        "send",
        "set",
        "start",
        "stop",
        "submit",
        "sync",
        "test",
        "toggle",
        "trigger",
        "unarchive",
        "update",
        "upload",
        "upsert",
        "validate",
        "verify",
    }
)
# Words that carry no meaning in a method name.
ARTICLES = frozenset({"a", "an", "the"})
_HTTP = "|".join(paths.HTTP_METHODS)


@dataclass(frozen=True)
class IdWords:
    """A readable operationId as words: ``words`` name the method; ``extra``
    (a version tag, the outer parts of a dotted id) tell two methods apart
    when their plain names clash."""

    words: tuple[str, ...]
    extra: tuple[str, ...] = ()


def _path_words(path: str) -> tuple[list[str], list[str]]:
    """The words of every segment of ``path``, and of its literal segments,
    versions left out."""
    every: list[str] = []
    literal: list[str] = []
    for seg in path.split("/"):
        if not seg or paths.is_version(seg):
            continue
        ws = words(seg.strip("{}"))
        every.extend(ws)
        if not seg.startswith("{"):
            literal.extend(ws)
    return every, literal


def is_machine(op_id: str, http_method: str, path: str) -> bool:
    """An id that only spells out the verb and the path
    (``GET-v3--domainID--bounces``, ``get-lists-list_address``), or none."""
    if not op_id or "--" in op_id or re.search(r"[/{}:]", op_id):
        return True
    m = re.match(rf"(?i)^({_HTTP})[-_ .]+(.+)$", op_id)
    if not m:
        return False
    rest = [w for w in words(m.group(2)) if not paths.is_version(w)]
    every, literal = _path_words(path)
    # The rest names the path: nothing but its words, all its literal ones.
    return bool(rest) and set(rest) <= set(every) and set(literal) <= set(rest)


def _fastapi_name(op_id: str, http_method: str, path: str) -> str:
    """The function name inside a FastAPI id (``{name}{path}_{method}``, every
    non-word character made ``_``), or "" when ``op_id`` is not one."""
    tail = f"_{http_method}"
    if not op_id.endswith(tail):
        return ""
    body = op_id[: -len(tail)]
    flat = re.sub(r"\W", "_", path.split("#", 1)[0])
    if body.endswith(flat) and len(body) > len(flat):
        return body[: -len(flat)]
    # A router prefix the spec's path lost: match whole trailing segments.
    segs = [s for s in path.split("#", 1)[0].split("/") if s]
    for start in range(1, len(segs)):
        part = "_" + re.sub(r"\W", "_", "/".join(segs[start:]))
        if not segs[start].startswith("{") and body.endswith(part):
            name = body[: -len(part)]
            return name if name else ""
    return ""


# Ids run together are short; longer text is not split (the split is
# linear, but a 70,000-character id is not a name anyone reads).
MAX_SEGMENTED = 200
MAX_WORD = 40


def segment(text: str, vocabulary: frozenset[str]) -> list[str] | None:
    """``text`` as the fewest words of ``vocabulary``, or None (also for
    text longer than ``MAX_SEGMENTED``)."""
    if len(text) > MAX_SEGMENTED:
        return None
    best = _segment(text, vocabulary)
    return list(best) if best is not None else None


@functools.lru_cache(maxsize=4096)
def _segment(text: str, vocabulary: frozenset[str]) -> tuple[str, ...] | None:
    n = len(text)
    # fewest[end]: the fewest words covering text[:end]; start[end]: where
    # the last of them starts (back-pointers, so each step is O(1)).
    fewest = [0] + [n + 1] * n
    start = [-1] * (n + 1)
    for end in range(1, n + 1):
        for begin in range(max(0, end - MAX_WORD), end):
            if fewest[begin] + 1 < fewest[end] and text[begin:end] in vocabulary:
                fewest[end] = fewest[begin] + 1
                start[end] = begin
    if fewest[n] > n:
        return None
    pieces: list[str] = []
    end = n
    while end > 0:
        pieces.append(text[start[end] : end])
        end = start[end]
    return tuple(reversed(pieces))


def _unjoined(found: list[str], vocabulary: frozenset[str]) -> list[str]:
    """Words split where the id ran them together (``createan_ap_ikey...``):
    when a word is not in the vocabulary and the whole id, run together, is
    a sequence of vocabulary words, that sequence, articles left out."""
    if all(w in vocabulary or w.isdigit() for w in found):
        return found
    split = segment("".join(found), vocabulary)
    if split is None:
        return found
    return [w for w in split if w not in ARTICLES] or found


def id_words(
    op_id: str, http_method: str, path: str, vocabulary: frozenset[str]
) -> IdWords:
    """The words of a readable ``op_id`` (see the module's docstring).
    ``vocabulary``: words the operation's summary, path and tags use, for
    splitting ids written without separators."""
    vocab = vocabulary | VERBS | {http_method}
    name = _fastapi_name(op_id, http_method, path)
    if name:
        return _versions_apart(_unjoined(words(name), vocab))
    if "." in op_id and not re.search(r"\s", op_id):
        # v1.authentication.org-group-admin-token.list: the last part is the
        # action, the ones before it a namespace (version parts dropped).
        parts = [p for p in op_id.split(".") if p and not paths.is_version(p)]
        if len(parts) > 1:
            action = _unjoined(words(parts[-1]), vocab)
            inner = [w for p in parts[-2:-1] for w in words(p)]
            outer = [w for p in parts[:-2] for w in words(p)]
            return IdWords((*action, *inner), tuple(outer))
    return _versions_apart(_unjoined(words(op_id), vocab))


def _versions_apart(found: list[str]) -> IdWords:
    """``get_schedule_v1`` -> ``get_schedule``, with ``v1`` kept aside."""
    versions = [w for w in found if paths.is_version(w)]
    plain = [w for w in found if not paths.is_version(w)]
    if plain and versions:
        return IdWords(tuple(plain), tuple(versions))
    return IdWords(tuple(found))


def vocabulary(*texts: str) -> frozenset[str]:
    """Every word of ``texts`` (summaries, paths, tags), as ``id_words``
    wants it."""
    return frozenset(w for t in texts for w in words(t) if len(w) > 0)


def common_namespace(ids: list[tuple[str, ...]]) -> int:
    """How many leading words every id shares before its first verb
    (``agents api v1 agents`` in ``agents_api_v1_agents_list``): a
    namespace the resource already says. 0 for fewer than two ids."""
    if len(ids) < 2:
        return 0
    n = 0
    shortest = min(len(i) for i in ids)
    while n < shortest - 1:
        word = ids[0][n]
        if word in VERBS or any(i[n] != word for i in ids):
            break
        n += 1
    return n

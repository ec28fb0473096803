"""HTTP verbs and path templates: the one parser every naming rule uses.

``/v3/{domain}/bounces/{address}`` is read once into segments (literal or
parameter, with their words) and an API version; method names, the choice of
the plainest of several paths, collection/item twins and the spellings of a
path parameter all work from that reading.
"""

import functools
import re
from dataclasses import dataclass

from generator.naming import words

# The operations a path item can hold, in the order OpenAPI lists them.
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

# A version segment: "v3", "v1.2".
_VERSION = re.compile(r"^v(\d+)(?:\.(\d+))?$")


@dataclass(frozen=True)
class Segment:
    text: str  # as written: "bounces", "{domain}", "messages.mime"
    words: tuple[str, ...]
    is_param: bool
    followed_by_param: bool

    @property
    def name(self) -> str:
        """The parameter's name for ``{name}``; the text for a literal."""
        return self.text[1:-1] if self.is_param else self.text

    @property
    def dotted(self) -> bool:
        return "." in self.text  # "messages.mime", "members.json"


@dataclass(frozen=True)
class PathShape:
    """A path template without its version segment."""

    segments: tuple[Segment, ...]
    version: str  # "v3", or "" when the path has no version segment

    @property
    def key(self) -> tuple[str, ...]:
        """Segments with every parameter as ``{}``: paths that differ only in
        parameter names or version have the same key."""
        return tuple("{}" if s.text.startswith("{") else s.text for s in self.segments)

    @property
    def is_item(self) -> bool:
        """The path ends with a parameter (``/bounces/{address}``)."""
        return bool(self.segments) and self.segments[-1].is_param


def is_version(segment: str) -> bool:
    return bool(_VERSION.match(segment))


@functools.lru_cache(maxsize=4096)
def parse(path: str) -> PathShape:
    raw = [s for s in path.strip("/").split("/") if s]
    version = next((s for s in raw if is_version(s)), "")
    raw = [s for s in raw if not is_version(s)]
    segments = []
    for i, text in enumerate(raw):
        nxt = raw[i + 1] if i + 1 < len(raw) else ""
        segments.append(
            Segment(
                text=text,
                words=tuple(words(text.strip("{}"))),
                is_param=text.startswith("{") and text.endswith("}"),
                followed_by_param=nxt.startswith("{"),
            )
        )
    return PathShape(tuple(segments), version)


def plainness(path: str) -> tuple[int, tuple[int, int], str]:
    """Sort key, plainest first: fewer segments, then the newest version."""
    segs = [s for s in path.split("/") if s]
    versions = [
        (int(m.group(1)), int(m.group(2) or 0))
        for m in (_VERSION.match(s) for s in segs)
        if m
    ]
    newest = max(versions, default=(0, 0))
    return (len(segs), (-newest[0], -newest[1]), path)


def path_of_pointer(op_pointer: str) -> str:
    """``/paths/~1v3~1{domain}/get`` -> ``/v3/{domain}``."""
    part = op_pointer.split("/")[2]
    return part.replace("~1", "/").replace("~0", "~")

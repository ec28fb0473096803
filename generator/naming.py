"""Python identifiers, safe by construction.

Every name that reaches generated code is made here from spec text. The
result only ever contains ``[A-Za-z0-9_]``, never starts with a digit, and
never is a keyword, so spec text cannot inject code through a name.
"""

import functools
import hashlib
import keyword
import re
import unicodedata

# Words inside an identifier: "IPs"/"URLs" (plural acronyms), "HTTPServer"
# -> HTTP + Server, "getX509Status" -> get + X509 + Status, "1st".
_WORD = re.compile(
    r"[A-Z]{2,}s(?![a-z])|[A-Z]+[0-9]*(?=[A-Z][a-z])|[A-Z]?[a-z]+[0-9]*"
    r"|[A-Z]+[0-9]*|[0-9]+[a-z]*"
)
_SYMBOLS = {
    "!": "not",
    "=": "eq",
    "<": "lt",
    ">": "gt",
    "+": "plus",
    "-": "minus",
    "*": "star",
    "/": "slash",
    ".": "dot",
    "@": "at",
    "&": "and",
    "|": "or",
    "%": "percent",
    "#": "hash",
    "~": "tilde",
    "^": "caret",
    "$": "dollar",
}


def ascii_text(text: str) -> str:
    """Fold to ASCII; characters with no ASCII form become ``uXXXX``."""
    if text.isascii():
        return text
    out = []
    for ch in unicodedata.normalize("NFKD", text):
        if ch.isascii():
            out.append(ch)
        elif not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf":
            # Invisible format characters (zero-width, BOM, bidi) say nothing.
            out.append(f" u{ord(ch):04x} ")
    return "".join(out)


@functools.lru_cache(maxsize=8192)
def _words(text: str) -> tuple[str, ...]:
    return tuple(_split_words(text))


def words(text: str) -> list[str]:
    """Split spec text into lower-case words (camelCase, dashes, dots, ...)."""
    return list(_words(text))


def _split_words(text: str) -> list[str]:
    """Split spec text into lower-case words (camelCase, dashes, dots, ...)."""
    text = ascii_text(text)
    if not any(ch.isalnum() for ch in text):
        text = " ".join(_SYMBOLS.get(ch, "") for ch in text)
    found: list[str] = []
    for chunk in re.split(r"[^A-Za-z0-9]+", text):
        found.extend(w.lower() for w in _WORD.findall(chunk))
    return found


def _safe(name: str, prefix: str) -> str:
    if not name:
        name = prefix
    if name[0].isdigit():
        name = f"{prefix}{name}" if prefix[-1] == "_" else f"{prefix}_{name}"
    # Soft keywords (match, case, type, _) are valid identifiers; only hard
    # keywords need dodging.
    if keyword.iskeyword(name):
        name += "_"
    return name


def snake(text: str, *, prefix: str = "n") -> str:
    """``snake_case`` identifier: ``message-id`` -> ``message_id``."""
    return _safe("_".join(words(text)), prefix)


# Names that become file or folder names (the package, resource modules)
# stay well under the 255 bytes file systems allow.
MAX_FILE_NAME = 64


def file_safe(name: str) -> str:
    """``name``, or a shortened one with a hash of the whole when longer than
    ``MAX_FILE_NAME`` (the same name gives the same result every run)."""
    if len(name) <= MAX_FILE_NAME:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{name[: MAX_FILE_NAME - 9].rstrip('_')}_{digest}"


def pascal(text: str, *, prefix: str = "N") -> str:
    """``PascalCase`` class name: ``send alert-request`` -> ``SendAlertRequest``."""
    text = ascii_text(text)
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", text) if p]
    name = "".join(p[0].upper() + p[1:] for p in parts)
    if not name:
        name = "".join(w.capitalize() for w in words(text))
    return _safe(name, prefix)


def constant(text: str, *, prefix: str = "V") -> str:
    """``UPPER_CASE`` enum member name: ``not contains`` -> ``NOT_CONTAINS``."""
    return _safe("_".join(words(text)).upper() or "EMPTY", prefix + "_")


def plural_forms(word: str) -> set[str]:
    """A word and its naive singular/plural, for trimming resource names."""
    forms = {word, singular(word)}
    if word.endswith("ies"):
        forms.add(word[:-3] + "y")
    elif word.endswith(("sses", "shes", "ches", "xes", "zes", "uses")):
        forms.add(word[:-2])
    elif word.endswith(("ss", "us", "is", "sh", "ch", "x", "z")):
        forms.add(word + "es")
    elif word.endswith("s"):
        forms.add(word[:-1])
    elif word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u"):
        forms.add(word[:-1] + "ies")
    else:
        forms.add(word + "s")
    return forms


def singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 2:
        return word[:-1]
    return word


class Namespace:
    """Hands out unique names in one scope, deterministically.

    Names are claimed in the order the caller asks (callers sort first);
    a clash gets a numeric suffix, and the clash is returned so the caller
    can report it.
    """

    def __init__(self, reserved: set[str] | frozenset[str] = frozenset()) -> None:
        self._taken: set[str] = set(reserved)

    def claim(self, name: str) -> tuple[str, bool]:
        if name not in self._taken:
            self._taken.add(name)
            return name, False
        n = 2
        while f"{name}{n}" in self._taken:
            n += 1
        unique = f"{name}{n}"
        self._taken.add(unique)
        return unique, True

    def copy(self) -> "Namespace":
        twin = Namespace()
        twin._taken = set(self._taken)
        return twin

    def __contains__(self, name: str) -> bool:
        return name in self._taken

"""Diagnostics are data: collected while loading and modelling, judged by the CLI."""

from dataclasses import dataclass, field
from enum import StrEnum


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # a decision worth knowing (a renamed schema), not a fault


def pointer(*parts: str | int) -> str:
    """A JSON pointer (RFC 6901) from unescaped parts."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def join(base: str, *parts: str | int) -> str:
    return base + pointer(*parts)


@dataclass(frozen=True)
class Diagnostic:
    level: Level
    message: str
    pointer: str
    file: str

    def __str__(self) -> str:
        where = f"{self.file}#{self.pointer}" if self.pointer else self.file
        return f"{self.level.value}: {where}: {self.message}"


@dataclass
class Diagnostics:
    """Everything found wrong with one spec, in the order found."""

    file: str
    items: list[Diagnostic] = field(default_factory=list)
    _seen: set[Diagnostic] = field(default_factory=set, repr=False)

    def add(self, level: Level, ptr: str, message: str) -> None:
        # A schema reached by several paths is reported once.
        item = Diagnostic(level, message, ptr, self.file)
        if item not in self._seen:
            self._seen.add(item)
            self.items.append(item)

    def error(self, ptr: str, message: str) -> None:
        self.add(Level.ERROR, ptr, message)

    def warning(self, ptr: str, message: str) -> None:
        self.add(Level.WARNING, ptr, message)

    def info(self, ptr: str, message: str) -> None:
        self.add(Level.INFO, ptr, message)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level is Level.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level is Level.WARNING]

    @property
    def infos(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level is Level.INFO]


class SpecError(Exception):
    """Raised when a spec cannot be used at all; carries its diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(str(d) for d in diagnostics))
        self.diagnostics = diagnostics

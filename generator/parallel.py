"""Run one function in a forked child while the parent keeps working.

Validation (openapi-pydantic, and jsonschema for the examples) costs about
as much as everything else the generator does, yet nothing downstream needs
its answer until the end. On a machine with two cores the child does it
while the parent models, renders and formats; the parent then waits for the
child's diagnostics before it decides anything. The function runs inline
instead where ``fork`` is missing (Windows), where other threads are alive,
or when ``OPENAPI_CLIENT_GENERATOR_SERIAL=1`` asks for one process.
"""

import os
import pickle
import sys
import threading
import traceback
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
SERIAL_ENV = "OPENAPI_CLIENT_GENERATOR_SERIAL"


def _inline() -> bool:
    # fork() in a process with other threads can copy a held lock (the
    # import lock, say) into the child.
    return (
        os.environ.get(SERIAL_ENV) == "1"
        or not hasattr(os, "fork")
        or threading.active_count() > 1
    )


class Pending(Generic[T]):
    def __init__(self, func: Callable[[], T]) -> None:
        self._value: T | None = None
        self._error = ""
        self._pid = 0
        if _inline():
            self._value = func()
            return
        read, write = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: compute, send, vanish without cleanup
            try:
                os.close(read)
                try:
                    payload = pickle.dumps((True, func()))
                except BaseException:
                    payload = pickle.dumps((False, traceback.format_exc()))
                with os.fdopen(write, "wb") as out:
                    out.write(payload)
            finally:
                # Never return into the parent's code, whatever happened
                # (a parent that stopped reading closes the pipe).
                os._exit(0)
        os.close(write)
        self._pid, self._read = pid, read

    def discard(self) -> None:
        """Stop a child whose answer is no longer wanted, and reap it."""
        if self._pid:
            os.close(self._read)
            try:
                os.kill(self._pid, 9)
            except ProcessLookupError:
                pass
            os.waitpid(self._pid, 0)
            self._pid = 0

    def result(self) -> T:
        if self._pid:
            with os.fdopen(self._read, "rb") as src:
                data = src.read()
            os.waitpid(self._pid, 0)
            self._pid = 0
            if not data:
                raise RuntimeError("the validation process died without an answer")
            ok, value = pickle.loads(data)
            if not ok:
                raise RuntimeError(f"validation failed in the child process:\n{value}")
            self._value = value
        return self._value  # type: ignore[return-value]

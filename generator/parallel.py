"""Run one function in a forked child while the parent keeps working.

Validation (openapi-pydantic, and jsonschema for the examples) costs about
as much as everything else the generator does, yet nothing downstream needs
its answer until the end. On a machine with two cores the child does it
while the parent models, renders and formats; the parent then waits for the
child's diagnostics before it decides anything. The function runs inline
instead where ``fork`` is missing (Windows), where other threads are alive,
or when ``OPENAPI_CLIENT_GENERATOR_SERIAL=1`` asks for one process.
"""

import ctypes
import os
import pickle
import select
import signal
import sys
import threading
import time
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
        or any(
            t is not threading.main_thread() and t.name != _WATCHER
            for t in threading.enumerate()
        )
    )


_WATCHER = "pending-watch-parent"
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with(parent: int) -> None:
    """In a child: end when the parent is gone (killed, say), rather than
    keep a core busy for nobody. On Linux the kernel does it (a regular
    expression stuck in C never lets a Python thread run); elsewhere a
    thread watches."""
    if sys.platform == "linux":
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL) == 0:
                if os.getppid() != parent:  # it died before prctl took effect
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name=_WATCHER, daemon=True).start()


class Pending(Generic[T]):
    def __init__(self, func: Callable[[], T]) -> None:
        self._value: T | None = None
        self._error = ""
        self._pid = 0
        if _inline():
            self._value = func()
            return
        read, write = os.pipe()
        parent = os.getpid()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: compute, send, vanish without cleanup
            try:
                _die_with(parent)
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

    def result(self, timeout: float | None = None) -> T:
        """The child's answer; ``TimeoutError`` (the child stopped) if it
        takes longer than ``timeout`` seconds. Inline runs have no bound."""
        if self._pid:
            if timeout is not None:
                ready, _, _ = select.select([self._read], [], [], timeout)
                if not ready:
                    self.discard()
                    raise TimeoutError(f"no answer within {timeout:g} s")
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

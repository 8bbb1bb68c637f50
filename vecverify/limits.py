"""Limits of the Python process that input can reach: recursion depth and integer digits.

Why here: deeply nested input (a sum of thousands of terms, generated code) and long integer
literals are legal, and the process-wide knobs that let Python handle them (the recursion
limit, the thread stack size, the int/str conversion limit) must be set in one place, by the
entry points, never by library modules in the middle of a run (`vecverify lsp` verifies in
threads).

- `deep_call(work)` runs `work`; if it recurses deeper than the default stack allows, it runs
  it again from scratch in a thread with a large stack and a high recursion limit.  The CLI
  commands and the language server call the whole pipeline through it, so every traversal
  gets the deep stack when the input needs it.
- `run_deep(work, span)` is `deep_call` for reading a file: input too deep even then is an
  `InputError` at `span` ("nested too deeply"), never a traceback.
- `allow_long_integers()` lifts Python's 4,300-digit limit on int/str conversion (it guards
  against quadratic conversions of untrusted numbers; vecverify's input sizes are bounded by
  the files it reads, and a literal's digits must be exact).  `MAX_LITERAL_DIGITS` bounds a
  literal instead, with a clean error.
"""
from __future__ import annotations

import sys
import threading
from typing import Callable, TypeVar

from vecverify.errors import InputError, Span

_T = TypeVar("_T")

DEEP_RECURSION_LIMIT = 200_000
DEEP_STACK_BYTES = 512 * 1024 * 1024
MAX_LITERAL_DIGITS = 100_000
_lock = threading.Lock()


def allow_long_integers() -> None:
    """Let int(str) and str(int) handle any number of digits (see the module docstring)."""
    if hasattr(sys, "set_int_max_str_digits"):
        sys.set_int_max_str_digits(0)


def parse_int(text: str, base: int = 10) -> int:
    """`int(text, base)` for a literal of any length up to `MAX_LITERAL_DIGITS` (a
    ValueError beyond, for the caller to turn into an input error at the literal)."""
    if len(text) > MAX_LITERAL_DIGITS:
        raise ValueError(f"integer literal of {len(text)} digits (at most "
                         f"{MAX_LITERAL_DIGITS} are accepted)")
    allow_long_integers()
    return int(text, base)


def deep_call(work: Callable[[], _T]) -> _T:
    """Run `work`; on RecursionError run it again from scratch in a thread with a large stack
    and a high recursion limit (`work` must be restartable).  A RecursionError even then is
    raised to the caller."""
    try:
        return work()
    except RecursionError:
        pass
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # re-raised in the calling thread
            outcome["error"] = exc

    with _lock:   # stack_size applies to threads started next: set, start, restore
        old_stack = threading.stack_size()
        try:
            threading.stack_size(DEEP_STACK_BYTES)
            if sys.getrecursionlimit() < DEEP_RECURSION_LIMIT:
                sys.setrecursionlimit(DEEP_RECURSION_LIMIT)
            thread = threading.Thread(target=target, name="vecverify-deep")
            thread.start()
        finally:
            threading.stack_size(old_stack)
    thread.join()
    error = outcome.get("error")
    if error is not None:
        raise error  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def run_deep(work: Callable[[], _T], where: Span, what: str = "input") -> _T:
    """`deep_call` for the tree walks of reading a file: legal deep input is not rejected,
    and input too deep even then is an input error at `where`."""
    try:
        return deep_call(work)
    except RecursionError:
        raise InputError(where, f"{what} is nested too deeply", "syntax") from None

"""The same recursion budget for every file, however deep the caller's stack is.

The analysis recurses over the syntax tree, and CPython's compile() sizes its
own limits from the recursion depth of its caller (3.11's symtable). Under
the interpreter's global limit, a file nested near the edge would be analysed
in the main process, fail in a worker (a few frames deeper) and pass again in
flake8: the same file, EXP212 or EXP000 depending on how it was run. Instead,
each file gets exactly ``ANALYSIS_FRAMES`` frames above the depth it starts at.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator

# Close to what the default limit of 1000 left the main process (a few dozen
# frames deep) before the budget existed: the same files pass as before.
ANALYSIS_FRAMES = 940
_PROBE_HEADROOM = 200


def _frames_left() -> int:
    """How many more calls the interpreter allows here: counted, not estimated
    (C-level calls count too, and differ between Python versions)."""
    count = 0

    def probe() -> None:
        nonlocal count
        count += 1
        probe()

    try:
        probe()
    except RecursionError:
        pass
    return count


def current_depth() -> int:
    """The recursion depth the interpreter counts at the caller, up to a constant."""
    frames = 0
    frame = sys._getframe()
    while frame is not None:
        frames += 1
        frame = frame.f_back
    limit = sys.getrecursionlimit()
    probe_limit = frames + _PROBE_HEADROOM
    while True:
        try:
            # A low limit for the probe: deep pure-Python recursion can overflow the
            # C stack on Python < 3.11, whatever limit a caller has set.
            sys.setrecursionlimit(probe_limit)
        except RecursionError:  # deeper than the frames suggest: more C-level calls
            probe_limit += _PROBE_HEADROOM
            continue
        try:
            return probe_limit - _frames_left()
        finally:
            sys.setrecursionlimit(limit)


@contextmanager
def recursion_budget(frames: int = ANALYSIS_FRAMES) -> Iterator[None]:
    """Allow exactly ``frames`` more levels of recursion inside the block."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(current_depth() + frames)
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)

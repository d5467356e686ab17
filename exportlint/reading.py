"""Reading a path as bytes, safely: never blocking on a FIFO, never reading a device.

Kept apart from the engine so that a fully cached run never imports LibCST.
"""

from __future__ import annotations

import errno
import os
import stat


_NOT_REGULAR = (
    (stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
)


class Unreadable(Exception):
    """A path that cannot be linted as a file; the message says why."""


def read_regular_file(path: str, max_size: int) -> bytes:
    """The bytes of a regular file. Raises Unreadable (or OversizeFile) otherwise.

    Non-blocking open, then fstat: opening a FIFO would wait for a writer
    forever, and reading a device (/dev/zero) would never end.
    """
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        with os.fdopen(os.open(path, flags), "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                what = next((name for test, name in _NOT_REGULAR if test(info.st_mode)), "unknown type")
                raise Unreadable(f"not a regular file ({what})")
            if info.st_size > max_size:
                raise OversizeFile(info.st_size)
            return handle.read()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if exc.errno == errno.ENOENT and os.path.islink(path):
            reason = "broken symbolic link"
        raise Unreadable(reason) from None


class OversizeFile(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size

"""Reading input files safely: regular files only, with a size cap, typed errors.

The input files of ``relugeom count`` and ``relugeom erm`` are read through
:func:`read_file_bytes` / :func:`read_text_file`, and every other reader of an input file
(certificates, models) is meant to be:

* only a regular file is read; a FIFO, a device (``/dev/zero``), a socket or a folder is
  refused before any read, so nothing blocks on a pipe with no writer and nothing reads an
  endless device until memory runs out (the file is opened without blocking, then
  checked with ``fstat`` on the open descriptor, so a swap between check and read cannot
  slip a FIFO through);
* at most the limit ``max_file_bytes`` is read (``relugeom.limits(max_file_bytes=...)``
  raises it); a larger file is a :class:`~relugeom.errors.TooLargeError` before reading,
  from its size, and a file that grows past the cap while read is refused too;
* every failure is a :class:`~relugeom.errors.RelugeomError` naming the file: by default
  a :class:`~relugeom.errors.SerializationError` (``error=`` chooses another class, e.g.
  :class:`~relugeom.errors.DomainError` for the data files of ``relugeom erm``).

>>> import os, tempfile
>>> from relugeom.files import read_text_file
>>> p = os.path.join(tempfile.mkdtemp(), "x.json")
>>> with open(p, "w") as fh:
...     _ = fh.write('{"a": 1}')
>>> read_text_file(p, what="example")
'{"a": 1}'
>>> read_text_file(os.path.dirname(p), what="example")      # doctest: +ELLIPSIS
Traceback (most recent call last):
...
relugeom.errors.SerializationError: example: cannot read '...': a folder, not a regular file
"""
from __future__ import annotations

import os
import stat
from typing import Any

from .config import get_limit
from .errors import RelugeomError, SerializationError, TooLargeError

__all__ = ["read_file_bytes", "read_text_file"]

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def _shown(path: Any) -> str:
    s = repr(path)
    return s if len(s) <= 200 else s[:180] + f"...' ({len(s)} characters)"


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_file_bytes(path: Any, *, what: str = "read", limit: int | None = None,
                    error: type[RelugeomError] = SerializationError) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    Parameters
    ----------
    path : str or os.PathLike
        The file. Anything else (bytes paths included) is refused.
    what : str
        Who reads, for the messages (``"count"``, ``"certificate"``, ...).
    limit : int, optional
        The size cap in bytes; default the limit ``max_file_bytes``.
    error : type
        The RelugeomError subclass raised for a file that cannot be read (default
        SerializationError); the size cap always raises TooLargeError.

    Raises
    ------
    error
        ``path`` is not a path, does not exist, cannot be opened, or is not a regular file
        (folder, FIFO, device, socket).
    TooLargeError
        The file is over the cap (from its size, before reading; or while reading, when
        it grows).
    """
    if not isinstance(path, (str, os.PathLike)) or isinstance(path, bytes):
        raise error(f"{what}: expected a file path (str or os.PathLike), got "
                    f"{type(path).__name__}")
    cap = get_limit("max_file_bytes") if limit is None else limit
    name = _shown(os.fspath(path))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)           # O_NONBLOCK: opening a FIFO does not wait
    except (OSError, ValueError) as exc:    # ValueError: an embedded NUL byte
        why = getattr(exc, "strerror", None) or str(exc)
        raise error(f"{what}: cannot read {name}: {why}") from None
    try:
        st = os.fstat(fd)                   # the open file itself: no check-then-use race
        if not stat.S_ISREG(st.st_mode):
            raise error(f"{what}: cannot read {name}: {_kind(st.st_mode)}, not a regular "
                        f"file")
        if st.st_size > cap:
            raise _too_large(what, name, st.st_size, cap)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(cap + 1)
    except OSError as exc:
        raise error(f"{what}: cannot read {name}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > cap:
        raise _too_large(what, name, None, cap)
    return data


def _too_large(what: str, name: str, size: int | None, cap: int) -> TooLargeError:
    has = f"{size} bytes" if size is not None else "grew"
    return TooLargeError(f"{what}: the file {name} is too large ({has}, over the limit "
                         f"max_file_bytes={cap}; raise it with "
                         f"relugeom.limits(max_file_bytes=...))")


def read_text_file(path: Any, *, what: str = "read", limit: int | None = None,
                   error: type[RelugeomError] = SerializationError) -> str:
    """The text of the regular UTF-8 file ``path`` (as :func:`read_file_bytes`); bytes
    that are not UTF-8 are an ``error`` naming the byte offset. Line ends are kept as
    they are (``newline=""``)."""
    data = read_file_bytes(path, what=what, limit=limit, error=error)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"{what}: {_shown(os.fspath(path))} is not UTF-8 text ({exc.reason} "
                    f"at byte {exc.start})") from None

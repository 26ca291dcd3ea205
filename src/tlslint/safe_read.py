"""The one way tlslint opens an input file: a regular file, inside the directories the run may read,
up to a size limit; what was read is remembered (SHA-256, line lengths) so no renderer opens it again.

Why one layer rather than checks in each parser: the scanned tree belongs to whoever wrote the pull
request, and every configuration names further files (``include``, ``Include``, ``.include``,
``ssl_certificate``, HAProxy ``crt``, ...). A check in each parser is one forgotten parser away
from reading ``/etc/shadow`` into a CI log, or from blocking forever on a FIFO. Every source and the
link stage read through :func:`read_bytes` / :func:`read_head`, so the rules hold for all of them:

* **Regular files only.** The file is opened non-blocking and checked with ``fstat`` on the open
  descriptor (no race between the check and the read): a FIFO, a device, ``/dev/stdin`` or
  ``/dev/zero`` behind any name or symbolic link is refused, never read.
* **Inside the allowed roots.** A run (:func:`confined`) may read below the repository root of each
  path on the command line (the working directory for a path outside any repository), the paths
  named on the command line and a named file's directory, and directories the user allows
  (``--allow-read DIR``). The test is
  on the real path, so a symbolic link inside the tree that points outside it is refused too. Outside
  a run (library use, unit tests) only the regular-file and size rules apply.
* **A size limit** per call, checked before reading and while reading.

Refusals raise :class:`ReadRefused`, an :class:`~tlslint.errors.InputError` whose message names the
file and the reason, never its content.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from tlslint.errors import InputError
from tlslint.model.located import Location
from tlslint.records import Frozen, Record

#: The largest file any source reads (PKI bundles are the largest legitimate inputs).
MAX_BYTES = 16 * 1024 * 1024
OUTSIDE = "is outside the scanned tree; not read (allow its directory with --allow-read DIR)"


class ReadRefused(InputError):
    """A file tlslint will not open: not a regular file, outside the allowed roots, or too large."""


class FileRead(Frozen):
    """What the renderers need of a file that was read, so that they never open it again."""

    __slots__ = ("sha256", "line_lengths", "mentions_tlslint")

    sha256: str
    line_lengths: tuple[int, ...]  # in code points, as SARIF columns count them
    #: Whether the text names tlslint at all (any case): a file that does not holds no suppression comment,
    #: so :func:`tlslint.suppress.scan_file` need not read it again.
    mentions_tlslint: bool

    def __init__(self, sha256: str, line_lengths: tuple[int, ...], mentions_tlslint: bool = True) -> None:
        object.__setattr__(self, "sha256", sha256)
        object.__setattr__(self, "line_lengths", line_lengths)
        object.__setattr__(self, "mentions_tlslint", mentions_tlslint)


class ReadScope(Record):
    """The directories one run may read (real paths; ``None``: any) and every file it read."""

    __slots__ = ("roots", "reads", "sniffed", "real_dirs", "facts")

    roots: tuple[str, ...] | None
    reads: dict[str, FileRead]  # absolute path -> what was read
    #: The last file :func:`read_head` read to its end (absolute path, content). Recognition sniffs a file
    #: just before its source reads it whole, and most inputs are smaller than the sniff: the source then
    #: takes these bytes instead of opening the file again. Taken once.
    sniffed: tuple[str, bytes] | None
    #: The real path of each directory a path met this run was in (as spelled, absolute) — see :meth:`real`.
    real_dirs: dict[str, str]
    #: What a source worked out about a referenced file this run, by (question, path as spelled): the
    #: key type of a certificate 3,000 servers name is looked at once. Gone with the run.
    facts: dict[tuple[str, str], object]

    def __init__(
        self,
        roots: tuple[str, ...] | None = None,
        reads: dict[str, FileRead] | None = None,
        sniffed: tuple[str, bytes] | None = None,
        real_dirs: dict[str, str] | None = None,
        facts: dict[tuple[str, str], object] | None = None,
    ) -> None:
        self.roots = roots
        self.reads = {} if reads is None else reads
        self.sniffed = sniffed
        self.real_dirs = {} if real_dirs is None else real_dirs
        self.facts = {} if facts is None else facts

    def allows(self, path: str) -> bool:
        if self.roots is None:
            return True
        real = self.real(path)
        return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in self.roots)

    def real(self, path: str) -> str:
        """``os.path.realpath(path)``, with the real path of its directory remembered for the run.

        A run resolves the same few directories for every file in them (the scope check, the reader's
        "read already?", the includer search): ``realpath`` costs an ``lstat`` per component each time.
        The answer is exact, not a lexical shortcut: the directory is resolved as spelled (``link/..``
        is resolved after the link, as ``realpath`` does), and the last component is still looked at
        on every call, so a file that is a symbolic link out of the tree is refused. Directories are
        assumed not to be replaced by links while one run reads them (the scanned tree is not being
        rewritten under the linter); a new run starts with an empty memory."""
        head, tail = os.path.split(path)
        if tail in ("", ".", ".."):
            return os.path.realpath(path)
        if not os.path.isabs(head):  # relative to the working directory, which is a real path
            head = os.path.join(os.getcwd(), head)
        real_head = self.real_dirs.get(head)
        if real_head is None:
            real_head = self.real_dirs[head] = os.path.realpath(head)
        candidate = os.path.join(real_head, tail)
        try:  # as realpath looks at it (an error other than OSError, a NUL byte say, raises as there)
            link = stat.S_ISLNK(os.lstat(candidate).st_mode)
        except OSError:
            link = False
        return os.path.realpath(candidate) if link else candidate


_SCOPE: ContextVar[ReadScope | None] = ContextVar("tlslint_read_scope", default=None)
#: Content standing in for files (absolute path -> bytes): an editor's unsaved buffer given on stdin
#: (``tlslint check - --stdin-filename PATH``). Every read of that path sees the buffer, whatever is on disk.
_OVERLAY: ContextVar[dict[str, bytes]] = ContextVar("tlslint_read_overlay", default={})  # noqa: B039 - never mutated


def scope_for(paths: Iterable[str], allow: Iterable[str] = ()) -> ReadScope:
    """The roots of a run over ``paths`` (command-line arguments) with ``allow`` (``--allow-read``)."""
    from tlslint.repo import repo_root

    roots: list[str] = []
    for path in paths:
        absolute = os.path.abspath(path)
        roots.append(os.path.realpath(absolute))  # a named file or directory is always readable
        if not os.path.isdir(absolute):
            roots.append(os.path.realpath(os.path.dirname(absolute)))  # a named file's own includes
        # The repository root, as for fingerprints and SARIF URIs; outside any repository the
        # working directory (tlslint.repo's rule).
        roots.append(os.path.realpath(repo_root(absolute) or os.getcwd()))
    roots.extend(os.path.realpath(os.path.abspath(directory)) for directory in allow)
    return ReadScope(tuple(dict.fromkeys(roots)))


@contextmanager
def confined(scope: ReadScope) -> Iterator[ReadScope]:
    """Every read inside the ``with`` block obeys ``scope`` and is recorded in it."""
    token = _SCOPE.set(scope)
    try:
        yield scope
    finally:
        _SCOPE.reset(token)


@contextmanager
def overlay(files: dict[str, bytes]) -> Iterator[None]:
    """Inside the ``with`` block, reading any of ``files`` (by path) returns the given bytes instead."""
    token = _OVERLAY.set({os.path.abspath(path): data for path, data in files.items()})
    try:
        yield
    finally:
        _OVERLAY.reset(token)


def overlaid(path: str) -> bool:
    """Whether ``path`` stands for content given in memory (see :func:`overlay`)."""
    return os.path.abspath(path) in _OVERLAY.get()


def current() -> ReadScope | None:
    return _SCOPE.get()


def real_path(path: str) -> str:
    """``os.path.realpath(path)``; within a run through the run's memory of directories (:meth:`ReadScope.real`)."""
    scope = _SCOPE.get()
    return scope.real(path) if scope is not None else os.path.realpath(path)


def digest_of(path: str) -> str | None:
    """The SHA-256 of ``path`` as this run read it, or ``None`` when it did not read it whole."""
    scope = _SCOPE.get()
    found = scope.reads.get(os.path.abspath(path)) if scope is not None else None
    return found.sha256 if found is not None else None


def outside(path: str) -> bool:
    """Whether ``path`` lies outside the roots of the current run (a directory not to list, say)."""
    scope = _SCOPE.get()
    return scope is not None and not scope.allows(path)


def refusal(path: str) -> str | None:
    """Why ``path`` may not be read (a message without the file's content), or ``None``.

    Only looks at names and file types (``stat``); never opens the file."""
    scope = _SCOPE.get()
    if scope is not None and not scope.allows(path):
        return OUTSIDE
    if overlaid(path):
        return None
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # the open reports it, with the operating system's reason
    return None if stat.S_ISREG(mode) else _not_regular(mode)


def readable(path: str) -> bool:
    """Whether ``path`` exists and :func:`read_bytes` would open it (a regular file inside the roots)."""
    return (os.path.isfile(path) or overlaid(path)) and refusal(path) is None


def read_bytes(path: str, *, limit: int = MAX_BYTES, too_large: str | None = None) -> bytes:
    """The whole content of ``path``; raises :class:`ReadRefused` (or ``InputError`` for an
    operating-system error) with a message that names the file and the reason.

    ``too_large`` replaces the default message for a file above ``limit``."""
    data = _read(path, limit, whole=True, too_large=too_large)
    scope = _SCOPE.get()
    if scope is not None:
        text = data.decode("utf-8-sig", errors="replace")
        scope.reads[os.path.abspath(path)] = FileRead(
            hashlib.sha256(data).hexdigest(), _line_lengths(text), "tlslint" in text.lower()
        )
    return data


def read_head(path: str, size: int) -> bytes:
    """The first ``size`` bytes of ``path`` (content sniffing), under the same rules."""
    return _read(path, size, whole=False, too_large=None)


def read_text(path: str, *, limit: int = MAX_BYTES) -> str:
    """The file as text, undecodable bytes replaced (for formats whose parsers take any bytes)."""
    return read_bytes(path, limit=limit).decode("utf-8-sig", errors="replace")


def _read(path: str, limit: int, *, whole: bool, too_large: str | None) -> bytes:
    scope = _SCOPE.get()
    if scope is not None and not scope.allows(path):
        raise ReadRefused(Location(path), OUTSIDE)
    absolute = os.path.abspath(path)
    given = _OVERLAY.get().get(absolute)
    if given is None and whole and scope is not None and scope.sniffed is not None and scope.sniffed[0] == absolute:
        given, scope.sniffed = scope.sniffed[1], None
    if given is not None:
        if whole and len(given) > limit:
            raise ReadRefused(Location(path), too_large or _too_large(limit))
        return given if whole else given[:limit]
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except IsADirectoryError:
        raise ReadRefused(Location(path), "is a directory, not a file") from None
    except OSError as error:
        raise InputError(Location(path), f"cannot read: {error.strerror or error}") from None
    with os.fdopen(descriptor, "rb", buffering=0) as handle:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise ReadRefused(Location(path), _not_regular(info.st_mode))
        if whole and info.st_size > limit:
            raise ReadRefused(Location(path), too_large or _too_large(limit))
        chunks: list[bytes] = []
        remaining = limit + 1 if whole else limit
        # The first read asks for what the file holds (plus one byte to see the end): most inputs are a
        # few KiB, and a 1 MiB request per file costs more than the read itself.
        size = min(remaining, info.st_size + 1)
        while remaining > 0:
            chunk = handle.read(size)
            size = min(remaining, 1024 * 1024)
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    data = b"".join(chunks)
    if whole and len(data) > limit:  # the file grew after the fstat
        raise ReadRefused(Location(path), too_large or _too_large(limit))
    if not whole and scope is not None and len(data) < limit:  # the whole file: see ReadScope.sniffed
        scope.sniffed = (absolute, data)
    return data


def _not_regular(mode: int) -> str:
    kind = (
        "a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "a character device"
        if stat.S_ISCHR(mode)
        else "a block device"
        if stat.S_ISBLK(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a directory"
        if stat.S_ISDIR(mode)
        else "not a regular file"
    )
    if kind == "not a regular file":
        return "is not a regular file; not read"
    return f"is {kind}, not a regular file; not read"


def _too_large(limit: int) -> str:
    return f"is larger than the {limit // (1024 * 1024)} MiB limit; not read"


def _line_lengths(text: str) -> tuple[int, ...]:
    return tuple(len(line) for line in text.splitlines())

"""Fixture snapshots and effects: what a command did to its tree.

``snapshot`` records every path of a tree (type, mode, size, content digest, mtime; archives by
their members); ``Run`` is one command run in a fresh fixture copy with the tree before and
after; ``effects`` reduces a run to the changes the execution judge compares (rules 7 and 8 of
``evals.judges.execution``), with a ``.git`` directory represented by the repository's state as
``GIT_PROBE`` reads it in the sandbox.
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import lzma
import os
import stat
import tarfile
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from cmdai.sandbox import SandboxResult

HASH_LIMIT = 1 << 20
"""Files larger than this are compared by size and their first and last 64 KiB (and, like
every file, by mtime when their digest did not change)."""

_SAMPLE = 64 << 10

ARCHIVE_LIMIT = 64 << 20
"""Archives up to this size are compared by their members rather than their bytes."""

_MTIME_SLACK_S = 2.0


@dataclass(frozen=True)
class EntryState:
    """One path of a tree as the file comparison sees it.

    ``identity`` (inode, ctime) only serves to reuse a digest when nothing can have changed.
    """

    type: str
    mode: int
    size: int
    digest: str
    mtime_ns: int
    identity: tuple[int, int] = (0, 0)


Snapshot = dict[str, EntryState]


def snapshot(root: Path, previous: Snapshot | None = None) -> Snapshot:
    """Every path under ``root`` (not following symlinks): type, mode, size, digest, mtime.

    A file whose inode, size, mtime and ctime are those in ``previous`` keeps its digest there
    (any write changes the ctime, which no command can set).
    """
    previous = previous or {}
    states: Snapshot = {}
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            path = Path(entry.path)
            rel = path.relative_to(root).as_posix()
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            mode = stat.S_IMODE(st.st_mode)
            if stat.S_ISLNK(st.st_mode):
                states[rel] = EntryState("symlink", 0, 0, os.readlink(path), st.st_mtime_ns)
            elif stat.S_ISDIR(st.st_mode):
                states[rel] = EntryState("dir", mode, 0, "", st.st_mtime_ns)
                stack.append(path)
            elif stat.S_ISREG(st.st_mode):
                identity = (st.st_ino, st.st_ctime_ns)
                known = previous.get(rel)
                if (
                    known is not None
                    and known.identity == identity
                    and known.mtime_ns == st.st_mtime_ns
                    and known.type == "file"
                ):
                    states[rel] = replace(known, mode=mode)
                    continue
                digest = _file_digest(path, st.st_size)
                # An archive is its members: its byte size varies with timestamps and order.
                size = -1 if digest.startswith(_ARCHIVE_DIGESTS) else st.st_size
                states[rel] = EntryState("file", mode, size, digest, st.st_mtime_ns, identity)
            else:
                states[rel] = EntryState("other", mode, 0, "", st.st_mtime_ns)
    return states


def _file_digest(path: Path, size: int) -> str:
    try:
        if size <= ARCHIVE_LIMIT:
            members = _archive_digest(path)
            if members is not None:
                return members
        sha = hashlib.sha256()
        with path.open("rb") as handle:
            if size <= HASH_LIMIT:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    sha.update(chunk)
                return sha.hexdigest()
            sha.update(handle.read(_SAMPLE))
            handle.seek(size - _SAMPLE)
            sha.update(handle.read(_SAMPLE))
            return f"sampled:{size}:{sha.hexdigest()}"
    except OSError as exc:
        return f"unreadable:{exc.errno}"


_ARCHIVE_DIGESTS = ("tar", "zip:", "gz:", "bz2:", "xz:")
_ARCHIVE_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".zip")
_COMPRESSED = (".gz", ".bz2", ".xz")


def _decompress(path: Path, suffix: str) -> gzip.GzipFile | bz2.BZ2File | lzma.LZMAFile:
    if suffix == ".gz":
        return gzip.open(path, "rb")
    if suffix == ".bz2":
        return bz2.open(path, "rb")
    return lzma.open(path, "rb")


_MAGIC = ((b"\x1f\x8b", ".gz"), (b"BZh", ".bz2"), (b"\xfd7zXZ\x00", ".xz"))


def _compression(path: Path) -> str:
    """``.gz``, ``.bz2``, ``.xz`` from the file's magic bytes, or ``""`` (a plain tar)."""
    with path.open("rb") as handle:
        head = handle.read(6)
    return next((kind for magic, kind in _MAGIC if head.startswith(magic)), "")


def _archive_digest(path: Path) -> str | None:
    """Digest of an archive's members (names, types, sizes, contents), or None if not one."""
    name = path.name.lower()
    sha = hashlib.sha256()
    try:
        if name.endswith(_ARCHIVE_SUFFIXES[:-1]):
            with tarfile.open(path, "r:*") as tar:
                rows: list[tuple[str, ...]] = []
                for member in tar.getmembers():
                    body = hashlib.sha256()
                    member_file = tar.extractfile(member) if member.isfile() else None
                    if member_file is not None:
                        while chunk := member_file.read(1 << 20):
                            body.update(chunk)
                    member_name = member.name.removeprefix("./").rstrip("/")
                    rows.append((member_name, member.type.decode(), body.hexdigest()))
            for row in sorted(rows):
                sha.update(repr(row).encode())
            return f"tar{_compression(path)}:{sha.hexdigest()}"
        if name.endswith(".zip"):
            with zipfile.ZipFile(path) as archive:
                rows = [
                    (info.filename.rstrip("/"), hashlib.sha256(archive.read(info)).hexdigest())
                    for info in archive.infolist()
                ]
            for row in sorted(rows):
                sha.update(repr(row).encode())
            return f"zip:{sha.hexdigest()}"
        for suffix in _COMPRESSED:
            if name.endswith(suffix):
                with _decompress(path, suffix) as stream:
                    for chunk in iter(lambda: stream.read(1 << 20), b""):
                        sha.update(chunk)
                return f"{suffix[1:]}:{sha.hexdigest()}"
    except (OSError, EOFError, tarfile.TarError, zipfile.BadZipFile, lzma.LZMAError, ValueError):
        return None
    return None


@dataclass(frozen=True)
class Run:
    """One command run in a fresh fixture copy: the result and the tree before and after.

    ``git`` is the repository's state after the run (``GIT_PROBE``'s output) when the copy
    holds a ``.git`` directory.
    """

    command: str
    result: SandboxResult
    before: Snapshot
    after: Snapshot
    started: float
    ended: float
    git: str | None = None


GIT_PROBE = """\
export GIT_OPTIONAL_LOCKS=0 GIT_CONFIG_NOSYSTEM=1 GIT_PAGER=cat
git rev-parse --verify -q 'HEAD^{tree}' || echo no-head
git rev-parse --abbrev-ref HEAD
git rev-list --count --all
git log -1 --format='%s%n%an <%ae>'
git for-each-ref --format='%(refname) %(objecttype)'
git status --porcelain=v1 --untracked-files=all --ignored
git diff --cached --no-ext-diff --no-color | cksum
git stash list | wc -l
git rev-parse -q --verify 'refs/stash^{tree}'
git config --local --list | sort
"""
"""What the file comparison reads of a git repository, run in the sandbox after a command.

Byte-wise, ``.git`` differs between two runs of the same command (commit timestamps, the
index's inode and ctime cache), so its files are left out of the comparison and this state
stands for them: the committed tree, branch, commit count, last subject and author, refs,
status, the staged diff, stashes and local config. Run in the sandbox because a repository's
config can make git run programs.
"""

_GIT_DIR = ".git"
GIT_KEY = "<git state>"
"""The key ``effects`` gives the repository's state (``GIT_PROBE``) under."""


def effects(run: Run) -> dict[str, tuple[object, ...] | None]:
    """What a run did to its tree: path -> the state that matters after it (None: deleted).

    Untouched paths are left out. New and modified files compare by type, mode, size and
    content; a file whose content is unchanged also by what happened to its mtime
    (``touched`` during the run, or set to a given second); directories by type and mode.
    ``.git`` is represented by the repository's state (``GIT_PROBE``) instead of its files.
    """
    out: dict[str, tuple[object, ...] | None] = {}
    if run.git is not None:
        out[GIT_KEY] = ("git", run.git)
    for path, after in run.after.items():
        if _in_git_dir(path):
            continue
        before = run.before.get(path)
        if after.type == "dir":
            key: tuple[object, ...] = ("dir", after.mode)
            if before is not None and before.type == "dir" and before.mode == after.mode:
                continue
        elif (
            before is not None
            and before.type == after.type
            and (before.digest, before.size) == (after.digest, after.size)
        ):
            if before.mode == after.mode and before.mtime_ns == after.mtime_ns:
                continue
            if after.type == "symlink":
                continue  # a symlink's own mtime is not something commands aim at
            mtime = after.mtime_ns / 1e9
            when: object = "unchanged"
            if before.mtime_ns != after.mtime_ns:
                near_now = run.started - _MTIME_SLACK_S <= mtime <= run.ended + _MTIME_SLACK_S
                when = "now" if near_now else round(mtime)
            key = (after.type, after.mode, after.size, after.digest, when)
        else:
            key = (after.type, after.mode, after.size, after.digest)
        out[path] = key
    for path in run.before:
        if path not in run.after and not _in_git_dir(path):
            out[path] = None
    return out


def _in_git_dir(path: str) -> bool:
    return path == _GIT_DIR or path.startswith(_GIT_DIR + "/")


def _altered(run: Run, path: str) -> bool:
    """True when a path that existed before the run is gone or changed type, mode or content."""
    before, after = run.before[path], run.after.get(path)
    if after is None:
        return True
    return (before.type, before.mode, before.size, before.digest) != (
        after.type,
        after.mode,
        after.size,
        after.digest,
    )

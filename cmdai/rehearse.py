"""Rehearsing drafts: try the command in a sandbox; when it fails, let other drafts compete.

With ``rehearse = true`` the greedy command runs once in the bubblewrap sandbox
(``cmdai.sandbox``: no network, nothing of the host writable, stdin empty, a short timeout) on
a throwaway copy of the working directory. When it runs cleanly it is shown, at the cost of
one sandboxed run. When it fails there (an error exit) or a check here finds a problem
(other than a utility missing here, which other drafts cannot fix), a few more drafts are
sampled, each runs on its own copy, and the one whose effect (what it
printed, and what the directory looks like afterwards) most running drafts share is shown:
execution agreement ("MBR-exec", Shi et al. 2022), spent where the greedy answer is known to
be in doubt. On the dev splits, letting agreement overrule a greedy command that ran took
nothing more than this (docs/accuracy.md). The real directory is only read, to copy it.

Never rehearsed: a draft the safety gate blocks, and anything when the working directory is
too large to copy quickly or holds what cannot be copied (then the greedy command is shown,
with a note saying why).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cmdai.candidates import Candidate, choose
from cmdai.checks import NO_SUCH_FILE, NOT_INSTALLED, utilities
from cmdai.sandbox import Sandbox, SandboxUnavailable

TIMEOUT_S = 3.0
"""Seconds a rehearsed draft may run (the sandbox is killed after that)."""

MAX_ENTRIES = 1000
"""Working directories with more files and folders than this are not copied (too slow)."""

MAX_BYTES = 32 << 20
"""Nor those whose files hold more bytes than this."""

OUTPUT_CAP = 256 << 10
"""Bytes of output kept from a rehearsed draft (one that prints more is stopped)."""

FILE_SIZE_LIMIT = 64 << 20
"""No file a rehearsed draft writes grows past this (the copies live in the temp folder)."""

MEMORY_LIMIT = 2 << 30
"""Address space per process of a rehearsed draft."""

SNAPSHOT_ENTRIES = 5000
"""Entries listed of a copy after its draft ran (the copy held at most ``MAX_ENTRIES``)."""


OUTSIDE = frozenset(
    (  # noqa: SIM905 - one word list, grouped by why
        # the network (there is none in the sandbox), package managers, registries, clusters
        "curl wget ssh scp sftp ftp telnet nc ncat ping ping6 traceroute mtr dig nslookup host "
        "whois apt apt-get dnf yum pacman zypper brew snap pip pip3 npm docker podman kubectl "
        # privileges and accounts (nobody is root in the sandbox)
        "sudo doas su passwd chpasswd useradd usermod userdel groupadd groupdel chown chgrp "
        # other processes (the sandbox sees only its own)
        "kill pkill killall renice fg bg jobs disown ps pgrep pidof top htop watch "
        # the system's devices, services and logs (not in the sandbox)
        "systemctl service journalctl dmesg lsblk lscpu lsusb lspci lsmod modprobe mount "
        "umount ip ifconfig iptables nft shutdown reboot poweroff hostnamectl timedatectl crontab"
    ).split()
)
"""Utilities whose work is outside what the sandbox holds: that a command using one fails
there says nothing about the command, so it is not rehearsed (on the core dev split, 25 of
the 45 greedy commands redrawn before this list used one; none came back better)."""


_CLEAN = frozenset({0, 128 + 13})
"""Exit statuses of a draft that ran cleanly: 0, or a pipeline stage stopped by SIGPIPE."""


class TooLarge(Exception):
    """The working directory cannot be copied for a rehearsal (the message says why)."""


@dataclass(frozen=True)
class Effect:
    """What a draft did in the sandbox."""

    ran: bool
    """It exited 0 within the timeout and the output cap."""
    output: str
    """Its standard output, each line's trailing spaces dropped."""
    files: frozenset[tuple[str, str]]
    """The working directory afterwards: (relative path, kind, mode and content digest)."""
    timed_out: bool = False
    """It was still running at the timeout (a ``tail -f`` or a slow search, not a failure)."""

    def agrees(self, other: Effect) -> bool:
        """Both ran, printed the same and left the same directory."""
        return self.ran and other.ran and (self.output, self.files) == (other.output, other.files)


def agreement_choice(candidates: Sequence[Candidate], effects: Sequence[Effect | None]) -> int:
    """The index of the draft to show: passes the checks, ran, shares its effect with most.

    ``effects[i]`` is draft i's effect (None: not rehearsed). Ties go to the first (greedy)
    draft: with no draft that ran, the greedy one is shown unless it fails a check.

    Raises:
        ValueError: no candidates, or not one effect per candidate.
    """
    if not candidates or len(effects) != len(candidates):
        raise ValueError("one effect (or None) per candidate is needed")
    return ranked_choice(
        [not c.problems for c in candidates],
        [e is not None and e.ran for e in effects],
        [_support(effects, i) or 0 for i in range(len(effects))],
    )


def ranked_choice(clean: Sequence[bool], ran: Sequence[bool], support: Sequence[float]) -> int:
    """The policy itself, over any measure of agreement (the evals pass the judge's).

    Passing the checks first, then having run, then the support of the drafts that share the
    effect; ties go to the first (greedy) draft.
    """
    return max(range(len(clean)), key=lambda i: (clean[i], ran[i], support[i], -i))


Before = Literal["redraw", "keep", "rehearse"]


def before_rehearsal(greedy: Candidate) -> Before:
    """What the greedy draft's checks decide before anything runs.

    ``redraw``: a check other than "not installed here" failed. ``keep``: its only problem is
    a utility (or a script run by its path) missing here (the request usually names it: on
    the external dev split, 44 such drafts drew 0 better answers and 2 worse ones, which
    avoided the tool asked for), or it
    works outside the sandbox's reach (``works_outside``). ``rehearse``: run it to find out.
    """
    if any(not p.startswith((NOT_INSTALLED, NO_SUCH_FILE)) for p in greedy.problems):
        return "redraw"
    if greedy.problems or works_outside(greedy.command):
        return "keep"
    return "rehearse"


def _support(effects: Sequence[Effect | None], i: int) -> int | None:
    """How many drafts (i included) share draft i's effect (None: i was not rehearsed)."""
    mine = effects[i]
    if mine is None:
        return None
    return sum(1 for other in effects if other is not None and mine.agrees(other))


def greedy_failed(
    rehearsal: Rehearsal,
    greedy: Candidate,
    workdir: Path,
    allowed: Callable[[str], bool],
) -> tuple[bool, str | None, Effect | None]:
    """Whether the greedy draft failed; a note when it could not be rehearsed; its effect.

    The effect (None when it was not rehearsed) goes to ``rehearsed_choice``, which then
    does not run the greedy command again.

    Not failed, and not rehearsed: what ``before_rehearsal`` keeps, and what the gate blocks.
    Nor is one still running at the timeout (``tail -f``, a slow search) a failure.
    """
    before = before_rehearsal(greedy)
    if before == "redraw":
        return True, None, None
    if before == "keep" or not allowed(greedy.command):
        return False, None, None
    found = _effects_or_note(rehearsal, [greedy.command], workdir)
    if isinstance(found, str):
        return False, found, None
    effect = found[0]
    return not (effect.ran or effect.timed_out), None, effect


def _effects_or_note(
    rehearsal: Rehearsal, commands: Sequence[str], workdir: Path
) -> list[Effect] | str:
    """The commands' effects, or the note saying why they could not be rehearsed."""
    try:
        return rehearsal.effects(commands, workdir)
    except SandboxUnavailable as exc:
        return f"not rehearsed: {exc.message}"
    except TooLarge as exc:
        return f"not rehearsed: the working directory cannot be copied: {exc}"


def works_outside(command: str) -> bool:
    """Whether the command uses root or a utility of ``OUTSIDE`` (a failure there says nothing)."""
    if _PRIVILEGED.search(command):  # ``utilities`` sees through sudo
        return True
    try:
        return any(name in OUTSIDE for name in utilities(command))
    except ValueError:  # unbalanced quotes: the syntax check has said so
        return False


_PRIVILEGED = re.compile(r"(?:^|[;&|(`]\s*)(?:sudo|doas|su)(?:\s|$)")


def rehearsed_choice(
    rehearsal: Rehearsal,
    candidates: Sequence[Candidate],
    workdir: Path,
    allowed: Callable[[str], bool],
    known: Mapping[str, Effect] | None = None,
) -> tuple[int, tuple[Candidate, ...], str | None]:
    """Rehearse the distinct drafts that ``allowed`` lets run; choose by their effects.

    ``known`` holds effects already found (the greedy draft's): those are not run again.

    Returns:
        The index of the draft to show, the candidates with ``agreed`` filled in, and a note
        for the user when nothing could be rehearsed (then the choice is ``choose``'s: the
        checks, then the vote).
    """
    distinct = [c for c in dict.fromkeys(c.command for c in candidates) if allowed(c)]
    if len({c.command for c in candidates}) < 2 or not distinct:
        return choose(candidates), tuple(candidates), None  # nothing to choose by effects
    by_command = dict(known or {})
    missing = [c for c in distinct if c not in by_command]
    found = _effects_or_note(rehearsal, missing, workdir) if missing else []
    if isinstance(found, str):
        return choose(candidates), tuple(candidates), found
    by_command.update(zip(missing, found, strict=True))
    effects = [by_command.get(c.command) if c.command in distinct else None for c in candidates]
    agreed = tuple(
        dataclasses.replace(c, agreed=_support(effects, i)) for i, c in enumerate(candidates)
    )
    return agreement_choice(agreed, effects), agreed, None


class Rehearsal:
    """Runs drafts in the sandbox on copies of a working directory.

    The sandbox is built on first use (bwrap's own trial run); if it cannot be, every later
    call raises the same ``SandboxUnavailable``.
    """

    def __init__(
        self,
        timeout_s: float = TIMEOUT_S,
        sandbox_factory: Callable[[], Sandbox] | None = None,
    ) -> None:
        self.timeout_s = timeout_s
        self._factory = sandbox_factory or (
            lambda: Sandbox(
                output_cap=OUTPUT_CAP,
                file_size_limit=FILE_SIZE_LIMIT,
                memory_limit=MEMORY_LIMIT,
            )
        )
        self._sandbox: Sandbox | None = None
        self._unavailable: SandboxUnavailable | None = None

    def sandbox(self) -> Sandbox:
        """The sandbox (built once).

        Raises:
            SandboxUnavailable: bubblewrap is missing or cannot run here.
        """
        if self._unavailable is not None:
            raise self._unavailable
        if self._sandbox is None:
            try:
                self._sandbox = self._factory()
            except SandboxUnavailable as exc:
                self._unavailable = exc
                raise
        return self._sandbox

    def effects(self, commands: Sequence[str], workdir: Path) -> list[Effect]:
        """The effect of each command, run on its own copy of ``workdir`` (all at once).

        Raises:
            SandboxUnavailable: bubblewrap is missing or cannot run here.
            TooLarge: ``workdir`` is too large, or holds something that cannot be copied.
        """
        sandbox = self.sandbox()
        entries = _entries(workdir)
        with tempfile.TemporaryDirectory(
            prefix="cmdai-rehearsal-", ignore_cleanup_errors=True
        ) as tmp:
            copies = [Path(tmp, str(i)) for i in range(len(commands))]
            for copy in copies:
                _copy(workdir, entries, copy)

            def rehearse(i: int) -> Effect:
                # pipefail: `cat missing.txt | wc -l` fails here as its first part did (it
                # printed 0 and exited 0); a stage stopped by SIGPIPE (`... | head`) is fine.
                script = f"set -o pipefail\n{commands[i]}"
                result = sandbox.run(script, copies[i], timeout_s=self.timeout_s)
                ran = result.exit_code in _CLEAN and not result.timed_out and not result.truncated
                output = "\n".join(line.rstrip() for line in result.stdout.splitlines())
                return Effect(ran, output, _snapshot(copies[i]), result.timed_out)

            with ThreadPoolExecutor(max_workers=max(1, len(commands))) as pool:
                futures = [pool.submit(rehearse, i) for i in range(len(commands))]
                try:
                    return [future.result() for future in futures]
                except BaseException:  # Ctrl-C: no draft runs on until its timeout
                    sandbox.stop_all()
                    raise


def _entries(workdir: Path) -> list[tuple[Path, os.stat_result]]:
    """Every entry under ``workdir`` (not following links), checked against the limits.

    Raises:
        TooLarge: too many entries or bytes, a special file, or an unreadable entry.
    """
    found: list[tuple[Path, os.stat_result]] = []
    total = 0
    try:
        for root, dirs, files in os.walk(workdir, onerror=_raise):
            for name in (*dirs, *files):
                path = Path(root, name)
                info = path.lstat()
                mode = info.st_mode
                if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
                    raise TooLarge(f"it holds a special file ({path.relative_to(workdir)})")
                if stat.S_ISREG(info.st_mode):
                    total += info.st_size
                found.append((path.relative_to(workdir), info))
                if len(found) > MAX_ENTRIES:
                    raise TooLarge(f"it holds more than {MAX_ENTRIES} files and folders")
                if total > MAX_BYTES:
                    raise TooLarge(f"its files hold more than {MAX_BYTES >> 20} MB")
    except OSError as exc:
        raise TooLarge(f"it cannot be read ({exc.strerror or exc})") from exc
    return found


def _raise(exc: OSError) -> None:
    raise exc


def _copy(workdir: Path, entries: Sequence[tuple[Path, os.stat_result]], dest: Path) -> None:
    """Copy the listed entries of ``workdir`` to ``dest``: contents, modes and times.

    Links stay links (one that points out of the directory points there in the copy too).
    """
    dest.mkdir(mode=0o755)
    try:
        for relative, info in entries:
            source, target = workdir / relative, dest / relative
            if stat.S_ISLNK(info.st_mode):
                target.symlink_to(os.readlink(source))
                continue
            if stat.S_ISDIR(info.st_mode):
                target.mkdir()
            else:
                shutil.copyfile(source, target, follow_symlinks=False)
            os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
        for relative, info in reversed(entries):  # modes last: a read-only folder stays fillable
            if not stat.S_ISLNK(info.st_mode):
                os.chmod(dest / relative, stat.S_IMODE(info.st_mode) | stat.S_IRUSR)
        os.chmod(dest, 0o755)  # noqa: S103 - the sandbox's working directory, as the judge's
    except OSError as exc:
        raise TooLarge(f"it cannot be copied ({exc.strerror or exc})") from exc


def _snapshot(root: Path) -> frozenset[tuple[str, str]]:
    """The directory's entries as (relative path, kind, mode and content digest).

    Only regular files are read (a FIFO a draft made would block the read), and at most
    ``SNAPSHOT_ENTRIES`` entries are listed: a draft that made more has that as its effect.
    """
    entries: set[tuple[str, str]] = set()
    for current, dirs, files in os.walk(root):
        for name in (*dirs, *files):
            path = Path(current, name)
            relative = path.relative_to(root).as_posix()
            if len(entries) >= SNAPSHOT_ENTRIES:
                return frozenset({("", f"more than {SNAPSHOT_ENTRIES} entries")})
            try:
                info = path.lstat()
                mode = f"{stat.S_IMODE(info.st_mode):o}"
                if stat.S_ISLNK(info.st_mode):
                    entries.add((relative, f"link {os.readlink(path)}"))
                elif stat.S_ISDIR(info.st_mode):
                    entries.add((relative, f"dir {mode}"))
                elif stat.S_ISREG(info.st_mode):
                    entries.add((relative, f"file {mode} {_digest(path)}"))
                else:
                    entries.add((relative, f"special {stat.S_IFMT(info.st_mode):o} {mode}"))
            except OSError as exc:  # a draft made it unreadable: that is part of its effect
                entries.add((relative, f"unreadable {exc.errno}"))
    return frozenset(entries)


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()

"""Judges: does a proposed command do what the reference command does?

Three judges, strongest first, each a small ``Judge`` returning a frozen ``Score`` (or None
when it cannot judge the item):

``execution``
    Runs the reference and the candidate in a bubblewrap sandbox (``evals.sandbox``), each in
    its own fresh copy of the item's fixture built with the same ``now``, and compares what
    they did: the file-system changes and/or the output, as the item's ``compare`` asks.
    Output comparison is tolerant (rules below). Items without a fixture: None.
``nlc2cmd``
    The NLC2CMD competition metric (Agarwal et al., 2021): utilities aligned by position,
    utility match and flag F-score, in [-1, 1]; ``value`` is the [0, 1] clip, ``raw`` the
    metric itself. Utilities and flags come from cmdai's tree-sitter analysis instead of
    bashlex.
``exact``
    Exact match after normalisation (whitespace, safe quoting, ``./`` prefixes of arguments,
    a trailing ``;``).

With several references every judge takes the best (NLC2CMD: the competition's own rule,
the best when any is positive, otherwise the mean).

Execution tolerance rules, in order (``value`` 1.0 means "equivalent"):

1. Output lines are normalised: runs of whitespace become one space, lines are stripped,
   each word loses a leading ``./`` and a trailing ``/`` (``./logs/`` reads ``logs``), blank
   lines are dropped. Equal line lists: 1.0.
2. The same lines in another order (equal as multisets): 1.0 when the order is not part of
   the answer, else 0.5. The item's ``tags.ordered`` decides when given; otherwise the order
   matters when the reference sorts (``sort``, ``tac``, ``ls -t/-S/-r/-X/-v/-c/-u``) or does
   not list the file system (the lines of a file keep their order; ``find``, ``ls``, ``du``,
   ``grep -r/-l``, ``xargs`` and unquoted globs list files in an order no request asks for).
3. Counts: a bare number ``N`` matches a single line ``N name`` or a last line ``N total``
   (``wc -l < f`` vs ``wc -l f``; ``cat *.py | wc -l`` vs ``wc -l *.py``): 1.0.
4. Superset: the candidate prints every reference line plus at most ``max(1, n/4)`` extra
   lines (a header, a ``.`` entry): 0.5. Fewer lines, or more extras: 0.
5. An empty reference output only matches an empty candidate output with the same success
   (exit status zero or not), so a failing candidate cannot pass on silence.
6. A candidate that timed out scores 0 (a reference that timed out: 0 with ``error`` set).
   Exit statuses are otherwise not compared (``grep -c`` exits 1 when it prints ``0``), nor
   is stderr (messages vary between tools).
7. ``compare: output``: a candidate that deletes or modifies fixture entries the reference
   left alone scores 0 (new files it creates are allowed and reported).
8. ``compare: files``: the trees after both runs must be equal: same paths, types, permission
   bits, sizes and contents (archives by their members and compression, so ``tar czf``
   timestamps and member order do not matter; files over 1 MiB by size and their first and
   last 64 KiB). A pre-existing file whose content did not change is also compared by its
   mtime: untouched, set to "now" (during the run), or set to a given second. New files'
   mtimes, directory mtimes and atimes are ignored. A ``.git`` directory is compared by the
   repository's state instead of its bytes (``GIT_PROBE``). 1.0 or 0.
9. ``compare: both``: rule 8 and the output rules; 0 unless the trees are equal.

    python -m evals.judges agreement [--json out.json]   # each judge vs the labelled pairs
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import hashlib
import json
import lzma
import os
import re
import shlex
import stat
import sys
import tarfile
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, Protocol

from cmdai.shellparse import analyse, utility_name
from evals.sandbox import Sandbox, SandboxResult

REPO = Path(__file__).resolve().parent.parent
JUDGES_DIR = REPO / "datasets" / "judges"
PAIRS = JUDGES_DIR / "pairs.jsonl"
PAIR_FIXTURES = JUDGES_DIR / "fixtures"

Compare = Literal["output", "files", "both"]
Populate = Callable[[Path, float], None]
"""Fills an empty directory with a fixture, given the ``now`` its mtimes are relative to."""

PopulateFactory = Callable[[str], Populate]
"""Fixture name to the function that builds it."""

HASH_LIMIT = 1 << 20
"""Files larger than this are compared by size and their first and last 64 KiB (and, like
every file, by mtime when their digest did not change)."""

_SAMPLE = 64 << 10

ARCHIVE_LIMIT = 64 << 20
"""Archives up to this size are compared by their members rather than their bytes."""

_MTIME_SLACK_S = 2.0


# -- records -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Score:
    """One judge's verdict on one candidate.

    Attributes:
        value: In [0, 1]; 1.0 means the judge counts the candidate as equivalent.
        judge: The judge's name (``execution``, ``nlc2cmd``, ``exact``).
        explanation: Why, in one line.
        reference: The reference that gave the best value.
        raw: The judge's own scale when it differs (NLC2CMD: [-1, 1]).
        error: Set when the judge could not judge properly (the reference timed out...).
        details: Extra, JSON-serialisable facts (exit codes, differing paths...).
    """

    value: float
    judge: str
    explanation: str
    reference: str | None = None
    raw: float | None = None
    error: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """True when the judge counts the candidate as equivalent (value 1.0)."""
        return self.value >= 1.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict (for samples.jsonl)."""
        return {
            "value": self.value,
            "judge": self.judge,
            "explanation": self.explanation,
            "reference": self.reference,
            "raw": self.raw,
            "error": self.error,
            "details": dict(self.details),
        }


@dataclass(frozen=True)
class JudgeItem:
    """What a judge needs of a dataset item."""

    id: str
    references: tuple[str, ...]
    fixture: str | None = None
    compare: Compare = "output"
    tags: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, row: Mapping[str, Any]) -> JudgeItem:
        """From a dataset row (``references`` list, or a single ``reference``)."""
        refs = row.get("references")
        if refs is None:
            refs = [row["reference"]]
        elif isinstance(refs, str):
            refs = [refs]
        compare: Compare
        match row.get("compare") or "output":
            case "output" | "files" | "both" as given:
                compare = given
            case other:
                raise ValueError(
                    f"item {row.get('id')!r}: compare {other!r} is not output/files/both"
                )
        return cls(
            id=str(row.get("id", "")),
            references=tuple(str(r) for r in refs),
            fixture=row.get("fixture") or None,
            compare=compare,
            tags=dict(row.get("tags") or {}),
        )


class Judge(Protocol):
    """Scores a candidate command against an item's references."""

    name: str

    def score(self, item: JudgeItem, candidate: str) -> Score | None:
        """The score, or None when this judge does not apply to the item."""
        ...


# -- exact match ---------------------------------------------------------------------------
_SAFE_QUOTED = re.compile(r"""^(?:'[^']*'|"[^"$`\\!]*")$""")


def normalise_command(command: str) -> str:
    """Canonical text of a command for exact match.

    Whitespace between words collapses, shell operators are spaced, a word wholly inside
    quotes is requoted canonically when its quoting cannot change its meaning (``"a b"`` and
    ``'a b'``; ``'x'`` and ``x``), an argument's leading ``./`` is dropped (``./a`` is ``a``,
    ``./`` is ``.``; never the command's own name), and a trailing ``;`` goes.
    """
    lexer = shlex.shlex(command.strip(), posix=False, punctuation_chars=";&|<>()")
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        tokens = list(lexer)
    except ValueError:  # unbalanced quotes: fall back to whitespace only
        return " ".join(command.split()).rstrip(";").strip()
    out: list[str] = []
    first = True
    for token in tokens:
        if token and set(token) <= set(";&|<>()"):
            out.append(token)
            first = token not in ("<", ">", ">>", "<<", "<<<", "&>", ">&")
            continue
        word = token
        if _SAFE_QUOTED.match(word):
            word = shlex.quote(word[1:-1])
        if not first and word.startswith("./"):
            word = word[2:] or "."
        out.append(word)
        first = False
    while out and out[-1] == ";":
        out.pop()
    return " ".join(out)


@dataclass
class ExactMatchJudge:
    """1.0 when the candidate equals a reference after ``normalise_command``."""

    name: str = "exact"

    def score(self, item: JudgeItem, candidate: str) -> Score:
        """Best over the references."""
        norm = normalise_command(candidate)
        for ref in item.references:
            if normalise_command(ref) == norm:
                return Score(1.0, self.name, "equal after normalisation", reference=ref)
        return Score(0.0, self.name, "differs from every reference", details={"normalised": norm})


# -- NLC2CMD -------------------------------------------------------------------------------
# Utilities whose options are single-dash words (``-name``), never clusters of letters.
_WORD_OPTIONS = frozenset({"find", "java", "gcc", "g++", "clang", "ffmpeg", "convert", "magick"})
_FIND_TAKES_VALUE = frozenset(
    {
        "-name",
        "-iname",
        "-path",
        "-ipath",
        "-wholename",
        "-iwholename",
        "-regex",
        "-iregex",
        "-lname",
        "-ilname",
        "-type",
        "-xtype",
        "-size",
        "-mtime",
        "-mmin",
        "-atime",
        "-amin",
        "-ctime",
        "-cmin",
        "-newer",
        "-anewer",
        "-cnewer",
        "-perm",
        "-user",
        "-group",
        "-uid",
        "-gid",
        "-maxdepth",
        "-mindepth",
        "-links",
        "-inum",
        "-samefile",
        "-printf",
        "-fprint",
        "-fprintf",
        "-fls",
        "-fprint0",
        "-used",
        "-fstype",
        "-context",
        "-regextype",
        "-newermt",
        "-newerct",
        "-newerat",
    }
)
_FIND_EXEC = frozenset({"-exec", "-execdir", "-ok", "-okdir"})
# Utilities that run another command from their arguments: their own flags end at it.
_RUNS_COMMAND = frozenset({"xargs", "parallel", "watch", "nohup", "time", "exec", "command"})
_XARGS_TAKES_VALUE = frozenset(
    {"-a", "-d", "-E", "-e", "-I", "-i", "-L", "-l", "-n", "-P", "-s", "--delimiter"}
)
# Utilities whose first word may be a bundle of letters without a dash (``tar czf``, ``ps aux``).
_DASHLESS_BUNDLE = {"tar": re.compile(r"^[A-Za-z]+$"), "ps": re.compile(r"^[a-zA-Z]+$")}


def command_flags(name: str, args: Sequence[str]) -> frozenset[str]:
    """The flags of one utility call, as the NLC2CMD metric counts them.

    Clusters split (``-la`` is ``-l`` and ``-a``; ``-n5`` is ``-n``), long options lose their
    ``=value``, option values and operands are not flags, ``--`` ends the options, find's
    single-dash predicates are whole words with their values skipped, and a nested command
    (``find -exec``, ``xargs CMD``) does not lend its flags to the outer utility.
    """
    flags: set[str] = set()
    args = list(args)
    if name in _DASHLESS_BUNDLE and args and _DASHLESS_BUNDLE[name].match(args[0]):
        flags.update(f"-{c}" for c in args[0])
        args = args[1:]
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            break
        if name == "find":
            if arg in _FIND_EXEC:
                flags.add(arg)
                while i < len(args) and args[i] not in (";", "+"):
                    i += 1
                i += 1
            elif arg.startswith("-") and len(arg) > 1:
                flags.add(arg)
                i += arg in _FIND_TAKES_VALUE
            continue
        if not arg.startswith("-") or arg == "-" or len(arg) < 2:
            if name in _RUNS_COMMAND:
                break
            continue
        if name == "xargs" and arg in _XARGS_TAKES_VALUE:
            i += 1
        if arg.startswith("--"):
            flags.add(arg.split("=", 1)[0])
        elif name in _WORD_OPTIONS or not arg[1].isalpha():
            flags.add(arg)
        else:
            for char in arg[1:]:
                if not char.isalpha():
                    break
                flags.add(f"-{char}")
    return frozenset(flags)


def utilities(command: str) -> list[tuple[str, frozenset[str]]]:
    """The utilities a command calls, in order, each with its flags (for NLC2CMD).

    From ``cmdai.shellparse.analyse``: pipelines, lists, substitutions and nested commands
    (``find -exec``, ``xargs``) all count; wrappers (``sudo``, ``env``...) count as utilities
    without flags. A bare redirection (``> f``) has none, and so scores 0 against itself, as
    in the competition's metric.
    """
    found: list[tuple[str, frozenset[str]]] = []
    for simple in analyse(command).commands:
        found.extend((w.lower(), frozenset()) for w in simple.wrappers)
        name = simple.argv[0]
        if not name:
            continue
        found.append((name.lower(), command_flags(name, simple.argv[1:])))
    if not found:  # a lone wrapper (``env``, ``nohup``) runs nothing the analysis records
        try:
            words = shlex.split(command)
        except ValueError:
            words = command.split()
        if words and not re.match(r"^[A-Za-z_][A-Za-z0-9_]*=|^[<>&|;(]|^\d*>", words[0]):
            found.append((utility_name(words[0]).lower(), command_flags(words[0], words[1:])))
    return found


def nlc2cmd_flag_score(reference: frozenset[str], predicted: frozenset[str]) -> float:
    """The competition's flag score, (2|G and P| - |G or P|) / max(1, |P|, |G|); 1 if no flags."""
    if not reference and not predicted:
        return 1.0
    z = max(1, len(predicted), len(reference))
    return (2 * len(reference & predicted) - len(reference | predicted)) / z


def nlc2cmd_metric(
    predicted: str, reference: str, confidence: float = 1.0, u1: float = 1.0, u2: float = 1.0
) -> float:
    """The NLC2CMD score of one prediction against one reference, in [-1, 1].

    As in the competition's ``metric_utils.compute_metric``: the two utility lists are padded
    to the same length and aligned by position; each pair scores ``S_u * (u1 + u2*S_f)/(u1+u2)
    - (1 - S_u)`` times the confidence, where ``S_u`` is 1 when the utilities match and
    ``S_f`` the flag score; the result is the mean over pairs (0.0 for no utilities).
    """
    pred = utilities(predicted)
    ref = utilities(reference)
    n = max(len(pred), len(ref))
    if n == 0:
        return 0.0
    total = 0.0
    for i in range(n):
        ref_name, ref_flags = ref[i] if i < len(ref) else (None, frozenset[str]())
        pred_name, pred_flags = pred[i] if i < len(pred) else (None, frozenset[str]())
        utility_score = float(ref_name == pred_name)
        flag_score = nlc2cmd_flag_score(ref_flags, pred_flags)
        normed = (u1 + u2 * flag_score) / (u1 + u2)
        total += confidence * (utility_score * normed - (1 - utility_score))
    return total / n


def nlc2cmd_aggregate(scores: Sequence[float]) -> float:
    """The competition's ``get_score``: the best when any is positive, else the mean (-1: none)."""
    if not scores:
        return -1.0
    if any(s > 0 for s in scores):
        return max(scores)
    return sum(scores) / len(scores)


@dataclass
class NLC2CMDJudge:
    """The NLC2CMD competition metric; ``value`` is its [0, 1] clip, ``raw`` the metric."""

    name: str = "nlc2cmd"
    u1: float = 1.0
    u2: float = 1.0

    def score(self, item: JudgeItem, candidate: str) -> Score:
        """Scored against every reference and aggregated the competition's way."""
        per_ref = [nlc2cmd_metric(candidate, r, 1.0, self.u1, self.u2) for r in item.references]
        raw = nlc2cmd_aggregate(per_ref)
        best = max(range(len(per_ref)), key=per_ref.__getitem__) if per_ref else None
        cand_utils = [u for u, _ in utilities(candidate)]
        return Score(
            value=max(0.0, min(1.0, raw)),
            judge=self.name,
            explanation=f"NLC2CMD {raw:+.3f} (utilities {' '.join(cand_utils) or '-'})",
            reference=item.references[best] if best is not None else None,
            raw=raw,
            details={"per_reference": per_ref},
        )


# -- execution -----------------------------------------------------------------------------
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


def _lines(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        words = [_word(w) for w in line.split()]
        if words:
            lines.append(" ".join(words))
    return lines


def _word(word: str) -> str:
    if word.startswith("./") and len(word) > 2:
        word = word[2:]
    if word.endswith("/") and len(word) > 1:
        word = word.rstrip("/") or "/"
    return word


_NUMBER = re.compile(r"^\d+$")


def _same_count(a: list[str], b: list[str]) -> bool:
    """Rule 3: a bare number N against ``N name`` or a last line ``N total``."""
    for bare, other in ((a, b), (b, a)):
        if len(bare) == 1 and _NUMBER.match(bare[0]) and other:
            words = other[0].split()
            if len(other) == 1 and words[0] == bare[0]:
                return True
            last = other[-1].split()
            if len(other) > 1 and last == [bare[0], "total"]:
                return True
    return False


def compare_outputs(reference: str, candidate: str, *, ordered: bool) -> tuple[float, str]:
    """Tolerant output comparison (rules 1-4 of the module docstring): value and reason."""
    ref, cand = _lines(reference), _lines(candidate)
    if ref == cand:
        return 1.0, "same output" if ref else "both empty"
    same_lines = Counter(ref) == Counter(cand)
    if same_lines and not ordered:
        return 1.0, "same lines in another order"
    if _same_count(ref, cand):
        return 1.0, "same count"
    if same_lines:
        return 0.5, "same lines, but the order matters and differs"
    extra = Counter(cand) - Counter(ref)
    if ref and not (Counter(ref) - Counter(cand)):
        n_extra = sum(extra.values())
        if n_extra <= max(1, len(ref) // 4):
            return 0.5, f"every reference line plus {n_extra} extra"
        return 0.0, f"every reference line but {n_extra} extra"
    missing = sum((Counter(ref) - Counter(cand)).values())
    return 0.0, f"output differs ({missing} of {len(ref)} reference lines missing)"


_ORDERING_LS_FLAGS = frozenset({"-t", "-S", "-r", "-X", "-v", "-c", "-u"})
_LISTING = frozenset({"find", "ls", "du", "locate", "stat", "file", "xargs"})
_GREP_LISTING_FLAGS = frozenset({"-r", "-R", "-l", "-L", "--recursive", "--files-with-matches"})


def _has_glob(command: str) -> bool:
    """True when an unquoted word has a glob character (bash lists a directory for it)."""
    lexer = shlex.shlex(command, posix=False, punctuation_chars=";&|<>()")
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        words = list(lexer)
    except ValueError:
        return False
    return any(w[:1] not in "'\"" and any(c in w for c in "*?[") for w in words)


def reference_orders(reference: str) -> bool:
    """True when the order of the reference's output lines is part of the answer.

    It is when the reference sorts (``sort``, ``tac``, ``ls -t/-S/-r/-X/-v/-c/-u``), and when
    it does not list the file system at all: the lines of a file keep their order, while
    ``find``, ``ls``, ``du``, ``grep -r/-l``, a glob... list files in an order no request
    asks for.
    """
    lists = _has_glob(reference)
    for name, flags in utilities(reference):
        if name in ("sort", "tac"):
            return True
        if name == "ls" and flags & _ORDERING_LS_FLAGS:
            return True
        lists = lists or name in _LISTING
        lists = lists or (name in ("grep", "egrep", "fgrep") and bool(flags & _GREP_LISTING_FLAGS))
    return not lists


def fixture_populator(root: Path | None = None) -> PopulateFactory:
    """A PopulateFactory over ``evals.fixtures`` specs under ``root`` (the core set's default)."""
    from evals import fixtures

    where = fixtures.FIXTURES_DIR if root is None else root

    def factory(name: str) -> Populate:
        fixture = fixtures.load_fixture(name, where)

        def populate(dest: Path, now: float) -> None:
            fixtures.materialize(fixture, dest, now)

        return populate

    return factory


@dataclass
class ExecutionJudge:
    """Execution equivalence in the sandbox (see the module docstring for the rules).

    Args:
        sandbox: Where commands run (nothing runs outside it).
        populate_factory: Fixture name to a function that builds it.
        timeout_s: Hard timeout per command.
        clock: The ``now`` fixtures are built for (both copies get the same).
        scratch: Where throwaway copies are made (system temporary directory by default).
    """

    sandbox: Sandbox
    populate_factory: PopulateFactory = field(default_factory=fixture_populator)
    timeout_s: float = 5.0
    clock: Callable[[], float] = time.time
    scratch: Path | None = None
    name: str = "execution"

    def score(self, item: JudgeItem, candidate: str) -> Score | None:
        """None without a fixture; otherwise the best comparison over the references."""
        if item.fixture is None:
            return None
        if not candidate.strip():
            return Score(0.0, self.name, "empty candidate")
        if "\x00" in candidate:
            return Score(0.0, self.name, "candidate contains a NUL byte (bash cannot run it)")
        populate = self.populate_factory(item.fixture)
        now = self.clock()
        with tempfile.TemporaryDirectory(prefix="cmdai-judge-", dir=self.scratch) as tmp:
            base = Path(tmp)
            cand = self._run(candidate, populate, now, base / "candidate")
            best: Score | None = None
            for i, ref_cmd in enumerate(item.references):
                ref = self._run(ref_cmd, populate, now, base / f"reference-{i}")
                score = self._judge(item, ref, cand)
                if best is None or score.value > best.value:
                    best = score
                if best.passed:
                    break
        assert best is not None
        return best

    def run(self, command: str, populate: Populate, now: float, workdir: Path) -> Run:
        """Build a fresh fixture copy in ``workdir`` and run ``command`` there."""
        return self._run(command, populate, now, workdir)

    def compare(self, item: JudgeItem, reference: Run, candidate: Run) -> Score:
        """Judge two finished runs (also how drafts' effects are compared with each other)."""
        return self._judge(item, reference, candidate)

    def _run(self, command: str, populate: Populate, now: float, workdir: Path) -> Run:
        workdir.mkdir(parents=True)
        populate(workdir, now)
        before = snapshot(workdir)
        started = time.time()
        result = self.sandbox.run(command, workdir, self.timeout_s)
        ended = time.time()
        after = snapshot(workdir, before)
        git = None
        if (workdir / _GIT_DIR).is_dir():
            git = self.sandbox.run(GIT_PROBE, workdir, self.timeout_s).stdout
        elif _GIT_DIR in before:
            git = "no repository"
        return Run(command, result, before, after, started, ended, git)

    def _judge(self, item: JudgeItem, ref: Run, cand: Run) -> Score:
        details: dict[str, Any] = {
            "reference_exit": ref.result.exit_code,
            "candidate_exit": cand.result.exit_code,
            "candidate_s": round(cand.result.duration_s, 3),
        }

        def verdict(value: float, why: str, error: str | None = None) -> Score:
            return Score(value, self.name, why, ref.command, error=error, details=details)

        if ref.result.timed_out:
            return verdict(0.0, "reference timed out", error="reference timed out")
        if cand.result.timed_out:
            return verdict(0.0, f"candidate timed out after {self.timeout_s:g} s")
        ref_fx, cand_fx = effects(ref), effects(cand)
        files_equal = ref_fx == cand_fx
        if not files_equal:
            differ = sorted(
                p for p in set(ref_fx) | set(cand_fx) if ref_fx.get(p, 0) != cand_fx.get(p, 0)
            )
            details["files_differ"] = differ[:10]
        if item.compare in ("files", "both") and not files_equal:
            return verdict(
                0.0, f"file-system changes differ ({len(details['files_differ'])} paths)"
            )
        if item.compare == "files":
            return verdict(1.0, "same file-system changes" if ref_fx else "no changes in either")
        if item.compare == "output":
            # Fixture paths the candidate deleted or altered (a touched mtime alone is no
            # harm) where the reference did not do the same.
            damaged = sorted(
                p
                for p in cand.before
                if not _in_git_dir(p) and _altered(cand, p) and ref_fx.get(p, 0) != cand_fx.get(p)
            )
            if cand.git != ref.git:
                damaged.append(GIT_KEY)
            if damaged:
                details["damaged"] = damaged[:10]
                return verdict(0.0, f"candidate changed or deleted {len(damaged)} fixture paths")
            created = sorted(p for p in cand_fx if p not in cand.before and p not in ref_fx)
            if created:
                details["created"] = created[:10]
        ordered = item.tags.get("ordered")
        if not isinstance(ordered, bool):
            ordered = reference_orders(ref.command)
        value, why = compare_outputs(ref.result.stdout, cand.result.stdout, ordered=ordered)
        if not _lines(ref.result.stdout):
            same_success = (ref.result.exit_code == 0) == (cand.result.exit_code == 0)
            if value >= 1.0 and not same_success:
                return verdict(0.0, "both print nothing, but only one succeeds")
        if cand.result.truncated != ref.result.truncated:
            details["truncated"] = {
                "reference": ref.result.truncated,
                "candidate": cand.result.truncated,
            }
        return verdict(value, why)


# -- all judges together -------------------------------------------------------------------
def memory_scratch() -> Path | None:
    """``/dev/shm`` when it is a writable directory (fixture copies build twice as fast there)."""
    shm = Path("/dev/shm")  # noqa: S108 - throwaway fixture copies only
    return shm if shm.is_dir() and os.access(shm, os.W_OK) else None


def default_judges(
    sandbox: Sandbox | None = None,
    populate_factory: PopulateFactory | None = None,
    timeout_s: float = 5.0,
    scratch: Path | None = None,
) -> list[Judge]:
    """Execution (builds a ``Sandbox`` if none is given: raises if bwrap cannot), NLC2CMD, exact."""
    execution = ExecutionJudge(
        sandbox or Sandbox(),
        populate_factory or fixture_populator(),
        timeout_s=timeout_s,
        scratch=scratch,
    )
    return [execution, NLC2CMDJudge(), ExactMatchJudge()]


def judge_item(
    item: JudgeItem | Mapping[str, Any],
    candidate: str,
    judges: Iterable[Judge] | None = None,
) -> dict[str, Score | None]:
    """Every judge's score of ``candidate`` for ``item`` (None where a judge does not apply)."""
    if not isinstance(item, JudgeItem):
        item = JudgeItem.from_mapping(item)
    return {j.name: j.score(item, candidate) for j in (judges or default_judges())}


# -- agreement with labelled pairs ---------------------------------------------------------
@dataclass(frozen=True)
class Agreement:
    """A judge's agreement with human labels (positive = equivalent; predicted = passed)."""

    judge: str
    applicable: int
    tp: int
    fp: int
    tn: int
    fn: int

    @property
    def accuracy(self) -> float | None:
        """Share of applicable pairs where the judge agrees with the label."""
        return (self.tp + self.tn) / self.applicable if self.applicable else None

    @property
    def precision(self) -> float | None:
        """Of the pairs the judge passes, the share labelled equivalent."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """Of the pairs labelled equivalent, the share the judge passes."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def specificity(self) -> float | None:
        """Of the pairs labelled not equivalent, the share the judge fails."""
        return self.tn / (self.tn + self.fp) if self.tn + self.fp else None

    def to_dict(self) -> dict[str, Any]:
        """Counts and rates, JSON-serialisable."""
        return {
            "judge": self.judge,
            "applicable": self.applicable,
            "tp": self.tp,
            "fp": self.fp,
            "tn": self.tn,
            "fn": self.fn,
            "accuracy": self.accuracy,
            "precision": self.precision,
            "recall": self.recall,
            "specificity": self.specificity,
        }


def load_pairs(path: Path = PAIRS) -> list[dict[str, Any]]:
    """The labelled pairs (one JSON object a line)."""
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            row = json.loads(line)
            if row.get("label") not in ("equivalent", "not_equivalent"):
                raise ValueError(f"{path}:{n}: label must be equivalent or not_equivalent")
            rows.append(row)
    return rows


def pair_item(row: Mapping[str, Any]) -> JudgeItem:
    """The judge item a labelled pair stands for (its one reference)."""
    return JudgeItem.from_mapping(
        {
            "id": row["id"],
            "references": [row["reference"]],
            "fixture": row.get("fixture"),
            "compare": row.get("compare", "output"),
            "tags": row.get("tags") or {},
        }
    )


def judge_pairs(
    pairs: Sequence[Mapping[str, Any]], judges: Sequence[Judge], workers: int = 1
) -> list[dict[str, Score | None]]:
    """Every judge's score of every pair, in order (``workers`` pairs at a time)."""

    def one(row: Mapping[str, Any]) -> dict[str, Score | None]:
        return judge_item(pair_item(row), str(row["candidate"]), judges)

    if workers <= 1:
        return [one(row) for row in pairs]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, pairs))


def agreement(
    pairs: Sequence[Mapping[str, Any]], scores: Sequence[Mapping[str, Score | None]]
) -> dict[str, Agreement]:
    """Each judge's agreement with the labels, plus ``cascade`` (the strongest that applies)."""
    names = list(dict.fromkeys(name for row in scores for name in row))
    out: dict[str, Agreement] = {}
    for name in [*names, "cascade"]:
        tp = fp = tn = fn = 0
        for row, judged in zip(pairs, scores, strict=True):
            if name == "cascade":
                score = next((s for s in judged.values() if s is not None), None)
            else:
                score = judged.get(name)
            if score is None:
                continue
            positive = row["label"] == "equivalent"
            if score.passed:
                tp, fp = tp + positive, fp + (not positive)
            else:
                fn, tn = fn + positive, tn + (not positive)
        out[name] = Agreement(name, tp + fp + tn + fn, tp, fp, tn, fn)
    return out


def judge_agreement(
    pairs_path: Path = PAIRS,
    fixtures_root: Path = PAIR_FIXTURES,
    sandbox: Sandbox | None = None,
    workers: int | None = None,
) -> tuple[dict[str, dict[str, Agreement]], list[dict[str, Any]]]:
    """Run every judge on the labelled pairs.

    Returns:
        Agreement per split (``all``, ``dev``, ``holdout``) and judge; the per-pair verdicts.
    """
    pairs = load_pairs(pairs_path)
    judges = default_judges(sandbox, fixture_populator(fixtures_root), scratch=memory_scratch())
    workers = workers or min(4, os.cpu_count() or 1)
    scores = judge_pairs(pairs, judges, workers)
    rows = [
        {
            "id": row["id"],
            "split": row.get("split", "dev"),
            "label": row["label"],
            **{name: (None if s is None else s.value) for name, s in judged.items()},
            "why": {name: s.explanation for name, s in judged.items() if s is not None},
        }
        for row, judged in zip(pairs, scores, strict=True)
    ]
    return split_agreement(pairs, scores), rows


def split_agreement(
    pairs: Sequence[Mapping[str, Any]], scores: Sequence[Mapping[str, Score | None]]
) -> dict[str, dict[str, Agreement]]:
    """Agreement over all pairs and over each ``split``.

    ``dev`` pairs were seen while the judges were tuned; ``holdout`` pairs were written before
    the judges were run on them and never tuned against.
    """
    out = {"all": agreement(pairs, scores)}
    for split in sorted({str(p.get("split", "dev")) for p in pairs}):
        chosen = [i for i, p in enumerate(pairs) if str(p.get("split", "dev")) == split]
        out[split] = agreement([pairs[i] for i in chosen], [scores[i] for i in chosen])
    return out


_HEADER = "judge       applicable  accuracy  precision  recall  specificity   tp  fp  tn  fn\n"


def _fmt(value: float | None) -> str:
    return "   -" if value is None else f"{value:.3f}"


def main(argv: list[str] | None = None) -> None:
    """``python -m evals.judges agreement``: each judge against the labelled pairs."""
    parser = argparse.ArgumentParser(prog="python -m evals.judges", description=__doc__)
    parser.add_argument("what", choices=["agreement"])
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    parser.add_argument("--fixtures", type=Path, default=PAIR_FIXTURES)
    parser.add_argument("--json", type=Path, help="write the figures and per-pair verdicts")
    parser.add_argument("--disagreements", action="store_true", help="list pairs judged wrong")
    args = parser.parse_args(argv)
    started = time.monotonic()
    stats, rows = judge_agreement(args.pairs, args.fixtures)
    elapsed = time.monotonic() - started
    out = sys.stdout
    labels = Counter(r["label"] for r in rows)
    out.write(
        f"{len(rows)} pairs ({labels['equivalent']} equivalent, "
        f"{labels['not_equivalent']} not) from {args.pairs}, {elapsed:.1f} s\n"
    )
    for split, table in stats.items():
        n = sum(1 for r in rows if split in ("all", r["split"]))
        out.write(f"\n[{split}: {n} pairs]\n")
        out.write(
            "judge       applicable  accuracy  precision  recall  specificity   tp  fp  tn  fn\n"
        )
        for a in table.values():
            out.write(
                f"{a.judge:<11} {a.applicable:>10}  {_fmt(a.accuracy):>8}  {_fmt(a.precision):>9}"
                f"  {_fmt(a.recall):>6}  {_fmt(a.specificity):>11}  {a.tp:>3} {a.fp:>3}"
                f" {a.tn:>3} {a.fn:>3}\n"
            )
    if args.disagreements:
        for row in rows:
            for name in ("execution", "nlc2cmd", "exact"):
                value = row.get(name)
                if value is None:
                    continue
                if (value >= 1.0) != (row["label"] == "equivalent"):
                    out.write(f"  {row['id']} ({row['split']}) {name}={value:.2f} ")
                    out.write(f"label={row['label']}: ")
                    out.write(f"{row['why'][name]}\n")
    if args.json:
        payload = {
            "pairs": str(args.pairs),
            "agreement": {
                split: {k: v.to_dict() for k, v in table.items()} for split, table in stats.items()
            },
            "verdicts": rows,
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

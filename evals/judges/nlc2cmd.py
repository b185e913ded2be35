"""The NLC2CMD judge: the competition metric (Agarwal et al., 2021).

Utilities aligned by position, utility match and flag F-score, in [-1, 1]; the judge's
``value`` is the [0, 1] clip, ``raw`` the metric itself. Utilities and flags come from cmdai's
tree-sitter analysis (``utilities``) instead of bashlex; the execution judge also reads them to
decide whether a reference's output order matters.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass

from cmdai.shellparse import analyse, utility_name
from evals.judges.base import JudgeItem, Score

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

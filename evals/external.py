"""The external held-out set: NL2Bash and tldr-pages split by utility, frozen (issue 11).

    python -m evals.external build   # rewrite external.jsonl and heldout_utilities.txt
    python -m evals.external check   # the files are what build makes; references still pass
    python -m evals.external names   # the literal names NL2Bash uses most (for the fixture)

Every utility a command runs (``utility_names``: the judges' own analysis) is glue (``GLUE``:
shell syntax, builtins and wrappers that compose commands; never held out), held out (its
``int(sha256("cmdai-external-v1:" + name), 16) % 3 == 0``) or dev. An item is in the ``test``
split when any of its references runs a held-out utility, else ``dev``; so no prompt, rule or
worked example tuned on dev data (or checked with ``uses_heldout``) has seen a test utility.

Items: NL2Bash requests (platform tag stripped; identical requests grouped, their commands all
references; BSD/macOS rows and rows failing ``bash -n`` dropped) and concrete tldr examples
("<description> (with <page>)"). An NL2Bash item is execution-judged on the ``generic_home``
fixture when every reference, run three times in the sandbox a second apart on fresh copies
built for the same ``now``, names no path outside the fixture, needs no root, leaves nothing
running (``&``, ``>(...)``), draws no random numbers, does not list the tree while a later
pipeline stage writes into it, expands no unset variable, exits 0 with nothing on stderr (and
no "command not found" on stdout), prints something or changes the tree, and does the same
every time; otherwise (and for every tldr item) it is judged by NLC2CMD only.
Per split: 50 NL2Bash items per difficulty, execution-judged ones first (in
``sha256(salt + id)`` order), then the others, and 50 tldr items.
``datasets/external/README.md`` is the datasheet.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cmdai import shellparse
from cmdai.sandbox import Sandbox, SandboxUnavailable
from evals import data, importers, judges

SALT = "cmdai-external-v1:"
FIXTURE = "generic_home"
DIFFICULTIES = ("easy", "medium", "hard")
PER_DIFFICULTY = 50
TLDR_ITEMS = 50
TIMEOUT_S = 5.0
"""The build's limit per reference run, half the eval judge's 10 s. References that may run
touch only the fixture (see ``_HOST_PATH``) and take well under a second, or one to three
when they start a process per file (``-exec perl ... \\;``): on a machine loaded far past its
cores those can pass the limit, and ``check`` then names them."""
CHUNK = 32
"""Candidates classified together (each is run in ``PASSES`` passes, a second apart)."""
PASSES = 3
"""Runs that must agree: a command with a few possible outputs (a race, a coin toss) rarely
gives the same one three times."""

HELDOUT_PATH = data.EXTERNAL_DIR / "heldout_utilities.txt"
README_PATH = data.EXTERNAL_DIR / "README.md"

GLUE = frozenset(
    # shell keywords and shells
    "for while until if then else elif fi do done case esac in function select time "  # noqa: SIM905
    "bash sh zsh dash ksh "
    # builtins that compose or set up commands rather than do what a request asks
    "echo printf read test [ [[ true false : cd pushd popd set unset export declare local "
    "typeset readonly let eval source . shift exit return break continue exec builtin command "
    # wrappers that run another command
    "sudo doas env nice nohup setsid stdbuf timeout unbuffer xargs".split()
)
"""Never held out: an item's side is decided by the utilities that do the work."""

_NAME = re.compile(r"^(?:[a-z0-9_][a-z0-9_.+-]*|\[|\[\[|\.|:)$")


# -- the utility split ----------------------------------------------------------------------


def utility_names(command: str) -> list[str]:
    """The utilities ``command`` runs, in order, as the judges see them (lower case).

    Words that are not a command name (``$cmd``, a substitution, ``{}``) are left out.
    """
    return [name for name, _ in judges.utilities(command) if _NAME.match(name)]


def is_heldout(name: str) -> bool:
    """True when the utility ``name`` is held out (test side): not glue, and its hash says so."""
    if name in GLUE:
        return False
    return int(hashlib.sha256((SALT + name).encode()).hexdigest(), 16) % 3 == 0


def uses_heldout(command: str) -> list[str]:
    """The held-out utilities ``command`` runs, sorted (empty: fine for dev data and prompts).

    The rule applies to any name, also one the sources never use, so a check with it is at
    least as strict as the list in ``heldout_utilities.txt``.
    """
    return sorted({name for name in utility_names(command) if is_heldout(name)})


def difficulty(command: str) -> str:
    """``easy`` for at most one non-glue utility call, ``medium`` for two, ``hard`` for more."""
    n = sum(name not in GLUE for name in utility_names(command))
    return DIFFICULTIES[min(max(n, 1), 3) - 1]


def _order(item_id: str) -> str:
    return hashlib.sha256((SALT + item_id).encode()).hexdigest()


# -- candidates -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A request with its references, before it is chosen and judged."""

    id: str
    origin: str  # nl2bash or tldr
    request: str
    references: tuple[str, ...]
    platform_sensitive: bool
    source: str
    license: str
    rows: int = 1
    """Upstream rows grouped into this candidate."""

    @property
    def split(self) -> str:
        """``test`` when any reference runs a held-out utility, else ``dev``."""
        return "test" if any(uses_heldout(r) for r in self.references) else "dev"

    @property
    def difficulty(self) -> str:
        """The first reference's difficulty."""
        return difficulty(self.references[0])

    def row(self, compare: str | None, needs_fixture: bool) -> dict[str, Any]:
        """The dataset row; ``compare`` None means judged by NLC2CMD only (no fixture)."""
        row = {
            "id": self.id,
            "request": self.request,
            "category": importers.category_of(utility_names(self.references[0])),
            "references": list(self.references),
            "fixture": None if compare is None else FIXTURE,
            "split": self.split,
            "tags": {
                "difficulty": self.difficulty,
                "platform_sensitive": self.platform_sensitive,
                "needs_fixture": compare is not None and needs_fixture,
            },
            "compare": compare or "output",
            "source": self.source,
            "license": self.license,
        }
        return data.ExternalRow.model_validate(row).model_dump()


def _grouped(rows: Iterable[dict[str, Any]]) -> Iterator[Candidate]:
    """One candidate per distinct request, its commands in upstream order as references."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row["request"], []).append(row)
    for request, members in groups.items():
        sources = list(dict.fromkeys(m["source"] for m in members))
        lines = [m.group(1) for s in sources if (m := re.search(r" line (\d+)\)$", s))]
        source = "; ".join(sources)
        if len(lines) == len(sources) > 1:  # NL2Bash: one source naming every line
            source = re.sub(r" line \d+\)$", f" lines {', '.join(lines)})", sources[0])
        yield Candidate(
            id=members[0]["id"],
            origin=members[0]["origin"],
            request=request,
            references=tuple(dict.fromkeys(c for m in members for c in m["commands"])),
            platform_sensitive=any(m["platform_sensitive"] for m in members),
            source=source,
            license=members[0]["license"],
            rows=len(members),
        )


def nl2bash_candidates(
    sandbox: Sandbox, path: Path = importers.SOURCES["nl2bash"], jobs: int = 2
) -> tuple[list[Candidate], dict[str, int]]:
    """NL2Bash candidates (Linux rows whose command passes ``bash -n``) and row counts."""
    raw = data.read_jsonl(path)
    linux = [r for r in raw if r.get("platform", "linux") == "linux"]
    parsed = parses([r["cmd"] for r in linux], sandbox, jobs)
    kept = [r for r, ok in zip(linux, parsed, strict=True) if ok]
    rows = []
    for r in kept:
        request, tagged = importers.strip_platform_tag(r["nl"])
        if len(request) >= 3:
            rows.append(
                {
                    "id": r["id"],
                    "origin": "nl2bash",
                    "request": request,
                    "commands": [r["cmd"]],
                    "platform_sensitive": tagged,
                    "source": r["source"],
                    "license": r["license"],
                }
            )
    counts = {
        "rows": len(raw),
        "dropped_platform": len(raw) - len(linux),
        "dropped_bash_n": len(linux) - len(kept),
        "kept": len(rows),
    }
    return list(_grouped(rows)), counts


def tldr_candidates(path: Path = importers.SOURCES["tldr"]) -> list[Candidate]:
    """Concrete tldr examples that pass ``bash -n`` upstream, alias pages left out."""
    rows = []
    for r in data.read_jsonl(path):
        if not (r.get("concrete") and r.get("bash_syntax_ok")) or r["cmd"].startswith("tldr "):
            continue
        description = r["nl"].strip().rstrip(":").strip().replace("`", "")
        commands = [r["cmd"]]
        if r.get("cmd_short") and r["cmd_short"] != r["cmd"]:
            commands.append(r["cmd_short"])
        rows.append(
            {
                "id": r["id"],
                "origin": "tldr",
                "request": f"{description} (with {r['page_title']})",
                "commands": commands,
                "platform_sensitive": r.get("platform") == "linux",
                "source": r["source"],
                "license": r["license"],
            }
        )
    return list(_grouped(rows))


def parses(commands: Sequence[str], sandbox: Sandbox, jobs: int = 2) -> list[bool]:
    """``bash -n`` of each command, in a few sandbox runs (nothing is executed)."""
    check = (
        f'while IFS= read -r -d "" c; do if {sandbox.shell} --noprofile --norc -n -c "$c" '
        "2>/dev/null; then echo 1; else echo 0; fi; done < .commands"
    )
    size = max(1, -(-len(commands) // max(1, jobs)))
    parts = [commands[i : i + size] for i in range(0, len(commands), size)]

    def run(part: Sequence[str]) -> list[bool]:
        with tempfile.TemporaryDirectory(prefix="cmdai-external-") as tmp:
            (Path(tmp) / ".commands").write_bytes(b"".join(c.encode() + b"\0" for c in part))
            done = sandbox.run(check, Path(tmp), timeout_s=600.0)
        flags = done.stdout.split()
        if done.exit_code != 0 or len(flags) != len(part):
            raise RuntimeError(f"bash -n batch failed: exit {done.exit_code} {done.stderr[-300:]}")
        return [flag == "1" for flag in flags]

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return [ok for part in pool.map(run, parts) for ok in part]


# -- execution judging on the generic fixture -----------------------------------------------


_AS_ROOT = frozenset({"sudo", "su", "doas"})
"""Nothing runs as root in the sandbox: a reference that needs it judges nothing there."""

_ASYNC = re.compile(r">\(|(?<![&|>])&(?![&>])")
"""``>(...)`` and ``cmd &`` run on after the command returns: what they leave is a race."""

_HOST_PATH = re.compile(r"^/(?!dev/)[\w.+@,:%=-]*(?:/[\w.+@,:%=*?-]*)*$")
"""An absolute path other than ``/dev/...``: it names the host (``find /`` walks the
machine's ``/usr``, slowly, and prints what is installed there), not the fixture."""


_RANDOM = re.compile(
    r"\bshuf\b|\bsort\b[^|;&]*\s(?:-[a-zA-Z]*R|--random-sort)\b|\$\{?RANDOM\b|/dev/u?random"
    r"|\bmktemp\b|\buuidgen\b"
)
"""Randomness on purpose: two runs can agree by chance."""

_LATER_WRITE = re.compile(
    r"(?<!\|)\|(?!\|).*?(?:(?<![\d&>])>>?(?![>&])\s*(?!/dev/)[^\s&|;>]|\btee\b(?:\s+-\w+)*\s+[^\s|;&>-])"
)
_LISTS = frozenset({"find", "ls", "du", "tree", "locate", "stat", "file"})
"""A later pipeline stage that creates a file while an earlier one lists the tree (``find . |
cut -b3- > list.txt``) is a race: the listing may or may not hold the new file."""


def _runnable(command: str) -> bool:
    """Whether the execution judge can use ``command`` at all, before running it.

    It needs no root, leaves nothing running, names no path outside the fixture (in its
    arguments or redirections, as cmdai's analysis reads them), draws no random numbers, and
    does not list the tree while a later pipeline stage writes into it.
    """
    analysis = shellparse.analyse(command)
    words = [w for c in analysis.commands for w in c.argv[1:]]
    words += [r.target for r in analysis.redirects]
    names = set(utility_names(command))
    lists = bool(names & _LISTS) or "*" in command or bool(re.search(r"grep\s+-\w*[rR]", command))
    return not (
        _AS_ROOT & names
        or _ASYNC.search(command)
        or _RANDOM.search(command)
        or (lists and _LATER_WRITE.search(command))
        or any(_HOST_PATH.match(w) for w in words)
    )


def _run(
    command: str, now: float, sandbox: Sandbox, fixture: str | None = FIXTURE
) -> data.RunResult:
    """One run on a fresh copy of ``fixture``, under ``set -u``.

    A reference that expands an unset variable (``$file``, ``$1``: context the request names
    but the sandbox lacks) then fails instead of running on an empty word; any other reference
    prints and does exactly what the judge will see.
    """
    return data.run_references(
        [f"set -u\n{command}"], fixture, now, TIMEOUT_S, sandbox, data.EXTERNAL_FIXTURES
    )[0]


_FAILED = re.compile(r"command not found|No such file or directory")


def _mode(run: data.RunResult) -> str | None:
    """What the execution judge should compare for a reference run, or None if it cannot.

    A run that exits 0 but complains (on stderr, or on stdout through ``2>&1``) is a failure
    hidden by a pipeline (``missing-tool | wc -l`` prints ``0``): it judges nothing.
    """
    if run.exit_code != 0 or run.stderr.strip() or _FAILED.search(run.stdout):
        return None
    prints, changes = bool(run.stdout.strip()), bool(run.effects)
    return "both" if prints and changes else "output" if prints else "files" if changes else None


def classify(
    items: Sequence[Candidate], now: float, sandbox: Sandbox, jobs: int = 2
) -> dict[str, tuple[str | None, bool]]:
    """Per item id: the execution judge's compare mode (None: NLC2CMD only), fixture needed.

    The fixture is needed when the first reference does something else in an empty directory.
    Every reference runs ``PASSES`` times on fresh copies built for the same ``now``, each pass
    at least a second after the last, so clock-dependent output (``date``) and races are
    caught.
    """
    commands = [
        c for c in dict.fromkeys(c for item in items for c in item.references) if _runnable(c)
    ]

    def run(command: str) -> data.RunResult:
        return _run(command, now, sandbox)

    def outcome(run: data.RunResult) -> tuple[object, ...]:
        return (run.exit_code, run.stdout, run.effects)

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        first = dict(zip(commands, pool.map(run, commands), strict=True))
        steady = [c for c in commands if _mode(first[c]) is not None]
        for _ in range(PASSES - 1):
            time.sleep(1.0)
            again = pool.map(run, steady)
            steady = [
                c for c, r in zip(steady, again, strict=True) if outcome(r) == outcome(first[c])
            ]
    modes: dict[str, str | None] = {c: _mode(first[c]) for c in steady}
    out: dict[str, tuple[str | None, bool]] = {}
    for item in items:
        found = {modes.get(c) for c in item.references}
        mode = found.pop() if len(found) == 1 else None
        needs = False
        if mode is not None:
            ref = first[item.references[0]]
            bare = _run(item.references[0], now, sandbox, fixture=None)
            needs = (bare.exit_code, bare.stdout, bare.effects) != (
                ref.exit_code,
                ref.stdout,
                ref.effects,
            )
        out[item.id] = (mode, needs)
    return out


def select(
    candidates: Sequence[Candidate], want: int, now: float, sandbox: Sandbox, jobs: int = 2
) -> tuple[list[tuple[Candidate, str | None, bool]], int]:
    """``want`` candidates: the first execution-judged ones in hash order, then the others.

    Candidates are classified a chunk at a time, only as far as needed (the result is the same
    as classifying all of them). Returns the chosen with their mode and fixture need, and how
    many were run.
    """
    ordered = sorted(candidates, key=lambda c: _order(c.id))
    chosen: list[tuple[Candidate, str | None, bool]] = []
    judged: dict[str, tuple[str | None, bool]] = {}
    for start in range(0, len(ordered), CHUNK):
        if len(chosen) >= want:
            break
        chunk = ordered[start : start + CHUNK]
        judged.update(classify(chunk, now, sandbox, jobs))
        for item in chunk:
            mode, needs = judged[item.id]
            if mode is not None and len(chosen) < want:
                chosen.append((item, mode, needs))
    if len(chosen) < want:  # every candidate was classified: fill with NLC2CMD-only ones
        rest = [c for c in ordered if judged[c.id][0] is None]
        chosen += [(c, None, False) for c in rest[: want - len(chosen)]]
    return chosen, len(judged)


# -- build and check --------------------------------------------------------------------------


def build(
    out_dir: Path = data.EXTERNAL_DIR,
    sandbox: Sandbox | None = None,
    jobs: int | None = None,
    now: float | None = None,
) -> dict[str, Any]:
    """Write ``external.jsonl`` and ``heldout_utilities.txt`` to ``out_dir``; return the stats."""
    box = sandbox or data.shared_sandbox()
    jobs = jobs or os.cpu_count() or 2
    now = time.time() if now is None else now
    nl2bash, counts = nl2bash_candidates(box, jobs=jobs)
    tldr = tldr_candidates()
    rows: list[dict[str, Any]] = []
    classified = 0
    for split in data.SPLITS:
        side = [c for c in nl2bash if c.split == split]
        for level in DIFFICULTIES:
            stratum = [c for c in side if c.difficulty == level]
            chosen, ran = select(stratum, PER_DIFFICULTY, now, box, jobs)
            classified += ran
            rows += [c.row(mode, needs) for c, mode, needs in chosen]
        picked = sorted((c for c in tldr if c.split == split), key=lambda c: _order(c.id))
        rows += [c.row(None, False) for c in picked[:TLDR_ITEMS]]
    rows.sort(key=lambda r: (r["split"], r["id"]))
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "external.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    names = {n for c in [*nl2bash, *tldr] for r in c.references for n in utility_names(r)}
    (out_dir / HELDOUT_PATH.name).write_text(heldout_file(names), encoding="utf-8")
    return _stats(nl2bash, tldr, counts, names, rows, classified)


def heldout_file(names: Iterable[str]) -> str:
    """The text of ``heldout_utilities.txt`` for the utility names the sources use."""
    header = (
        "# Held-out utilities of the external set (datasets/external/README.md): every utility\n"
        "# name the candidate NL2Bash and tldr commands run (evals.external.utility_names) that\n"
        "# is not glue (evals.external.GLUE) and whose\n"
        f'#   int(sha256("{SALT}" + name), 16) % 3 == 0.\n'
        "# An item that runs any of them is in the test split: never tune on it.\n"
        "# Rebuild: python -m evals.external build\n"
    )
    return header + "".join(f"{n}\n" for n in sorted(n for n in set(names) if is_heldout(n)))


def _stats(
    nl2bash: Sequence[Candidate],
    tldr: Sequence[Candidate],
    counts: dict[str, int],
    names: set[str],
    rows: Sequence[dict[str, Any]],
    classified: int,
) -> dict[str, Any]:
    nl_ids = {c.id: c for c in nl2bash}
    nl_names = {n for c in nl2bash for r in c.references for n in utility_names(r)}
    rows_by_side: Counter[str] = Counter()
    for c in nl2bash:
        rows_by_side[c.split] += c.rows
    return {
        "nl2bash": {
            **counts,
            "items": len(nl2bash),
            "items_by_side": dict(Counter(c.split for c in nl2bash)),
            "rows_by_side": dict(rows_by_side),
            "items_by_side_and_difficulty": dict(
                sorted(Counter(f"{c.split}/{c.difficulty}" for c in nl2bash).items())
            ),
        },
        "tldr": {"items": len(tldr), "items_by_side": dict(Counter(c.split for c in tldr))},
        "utilities": {
            source: {
                "seen": len(seen),
                "glue": sum(n in GLUE for n in seen),
                "heldout": sum(is_heldout(n) for n in seen),
                "dev": sum(n not in GLUE and not is_heldout(n) for n in seen),
            }
            for source, seen in (("all", names), ("nl2bash", nl_names))
        },
        "classified_nl2bash_items": classified,
        "selected_nl2bash": sum(r["id"] in nl_ids for r in rows),
        "composition": composition(rows),
    }


def composition(rows: Sequence[Mapping[str, Any]]) -> str:
    """The datasheet's table: items per split, source, difficulty and judge."""
    count: Counter[tuple[str, ...]] = Counter()
    for r in rows:
        origin = r["id"].split("-", 1)[0]
        judge = "execution" if r["fixture"] else "nlc2cmd"
        count[(r["split"], origin, r["tags"]["difficulty"], judge)] += 1
    lines = [
        "| split | source | difficulty | execution | nlc2cmd only | items |",
        "|---|---|---|---|---|---|",
    ]
    for split in data.SPLITS:
        for origin in ("nl2bash", "tldr"):
            for level in DIFFICULTIES:
                ex = count[(split, origin, level, "execution")]
                nl = count[(split, origin, level, "nlc2cmd")]
                if ex or nl:
                    lines.append(f"| {split} | {origin} | {level} | {ex} | {nl} | {ex + nl} |")
        total = sum(v for k, v in count.items() if k[0] == split)
        ex = sum(v for k, v in count.items() if k[0] == split and k[3] == "execution")
        lines.append(f"| **{split}** | | | **{ex}** | **{total - ex}** | **{total}** |")
    return "\n".join(lines) + "\n"


def check(sandbox: Sandbox | None = None, jobs: int | None = None) -> list[str]:
    """Problems with the committed set (empty when fine).

    The files must be what ``build`` makes now, the datasheet must hold the current composition
    table, and every execution-judged reference must score 1.0 against its item with the
    eval's execution judge (10 s timeout).
    """
    box = sandbox or data.shared_sandbox()
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="cmdai-external-") as tmp:
        build(Path(tmp), box, jobs)
        if (Path(tmp) / HELDOUT_PATH.name).read_bytes() != HELDOUT_PATH.read_bytes():
            problems.append(f"{HELDOUT_PATH.name} differs from what build makes now")
        fresh = {r["id"]: r for r in data.read_jsonl(Path(tmp) / "external.jsonl")}
        if (Path(tmp) / "external.jsonl").read_bytes() != data.EXTERNAL_PATH.read_bytes():
            kept = {r["id"]: r for r in data.read_jsonl(data.EXTERNAL_PATH)}
            changed = sorted(i for i in fresh.keys() | kept.keys() if fresh.get(i) != kept.get(i))
            problems.append(f"external.jsonl differs from what build makes now at {changed}")
    rows = [r.model_dump() for r in data.read_external()]
    if composition(rows) not in README_PATH.read_text(encoding="utf-8"):
        problems.append("README.md does not hold the current composition table")
    judge = judges.ExecutionJudge(
        box, judges.fixture_populator(data.EXTERNAL_FIXTURES), timeout_s=10.0
    )
    pairs = [(row, ref) for row in rows if row["fixture"] is not None for ref in row["references"]]

    def verdict(pair: tuple[dict[str, Any], str]) -> str | None:
        row, ref = pair
        score = judge.score(judges.JudgeItem.from_mapping(row), ref)
        if score is None or not score.passed:
            why = "no score" if score is None else score.explanation
            return f"{row['id']}: reference {ref!r} does not pass against itself: {why}"
        return None

    with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 2) as pool:
        problems += [p for p in pool.map(verdict, pairs) if p]
    return problems


def frequent_names(path: Path = importers.SOURCES["nl2bash"], n: int = 40) -> dict[str, Any]:
    """The literal file names, extensions and ``find`` roots NL2Bash uses most (the fixture)."""
    files: Counter[str] = Counter()
    extensions: Counter[str] = Counter()
    roots: Counter[str] = Counter()
    for row in data.read_jsonl(path):
        text = f"{row['nl']} {row['cmd']}"
        files.update(re.findall(r"\b([\w-]+\.[A-Za-z][A-Za-z0-9]{0,4})\b", text))
        extensions.update(e.lower() for e in re.findall(r"\*\.([A-Za-z0-9]{1,5})\b", text))
        roots.update(re.findall(r"\bfind\s+([\w.~/-]+)", row["cmd"]))
    return {
        "files": files.most_common(n),
        "extensions": extensions.most_common(n),
        "find_roots": roots.most_common(n),
    }


def shown_utilities(template: str = "fenced") -> set[str]:
    """The utilities the worked examples of a prompt template use (glue left out)."""
    from cmdai.prompts import get_template

    names: set[str] = set()
    for example in get_template(template).examples:
        if example.answer.command:
            names.update(utility_names(example.answer.command))
    return names - GLUE


def by_shown(
    records: Sequence[Mapping[str, Any]], items: Mapping[str, Mapping[str, Any]], shown: set[str]
) -> dict[str, dict[str, Any]]:
    """Accuracy per system, "seen" (the reference uses a utility the examples show) or not.

    Overall and per difficulty.
    The held-out test split has no seen items by construction; this split of the dev side is
    how a dev run shows what the held-out one will.
    """
    from evals.metrics import accuracy

    groups: dict[str, dict[str, list[Mapping[str, Any]]]] = {}
    for record in records:
        item = items[record["id"]]
        side = "seen" if set(utility_names(item["references"][0])) & shown else "unseen"
        level = (item.get("tags") or {}).get("difficulty") or "?"
        system = groups.setdefault(record["system"], {})
        for key in (side, f"{side}/{level}"):
            system.setdefault(key, []).append(record)
    return {
        system: {
            key: {"n": len(rs), "accuracy": accuracy([dict(r) for r in rs])}
            for key, rs in sorted(keyed.items())
        }
        for system, keyed in groups.items()
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m evals.external", description=__doc__)
    parser.add_argument("what", choices=["build", "check", "names", "seen"])
    parser.add_argument("runs", nargs="*", type=Path, help="seen: run directories")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--template", default="fenced", help="seen: whose examples count")
    args = parser.parse_args(argv)
    if args.what == "seen":
        items = {row["id"]: row for row in data.read_jsonl(data.EXTERNAL_DIR / "external.jsonl")}
        shown = shown_utilities(args.template)
        report = {}
        for run in args.runs:
            records = data.read_jsonl(run / "samples.jsonl")
            report[str(run)] = by_shown(records, items, shown)
        sys.stdout.write(json.dumps({"shown": sorted(shown), "runs": report}, indent=1) + "\n")
        return 0
    if args.what == "names":
        sys.stdout.write(json.dumps(frequent_names(), indent=1) + "\n")
        return 0
    try:
        if args.what == "build":
            stats = build(jobs=args.jobs)
            sys.stdout.write(json.dumps(stats, indent=2) + "\n")
            return 0
        problems = check(jobs=args.jobs)
    except SandboxUnavailable as exc:
        sys.stderr.write(f"python -m evals.external: error: {exc}\nhint: {exc.hint}\n")
        return 1
    sys.stdout.write(json.dumps({"problems": problems}, indent=2) + "\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

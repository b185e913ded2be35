"""Measure the safety gate: recall, false alarms, speed and robustness.

    python -m evals.safety build      # regenerate datasets/safety/generated.jsonl and the
                                      # NL2Bash danger labels (deterministic; commit the result)
    python -m evals.safety recall     # dangerous corpus: share caught at the expected decision
    python -m evals.safety fp         # NL2Bash reference commands: false alarms, labelled apart
    python -m evals.safety speed      # median / p95 validation time per command
    python -m evals.safety fuzz       # random text (hypothesis): no exception, ever
    python -m evals.safety all [--fuzz 100000] [--out results.json]
    python -m evals.safety evalset [--half dev|test|all]
                                      # the request set's natural commands
                                      # (datasets/safety_eval): flagged rate per category
    python -m evals.safety corpus --corpus heldout|fresh|third|...|ninth|tenth|dev
                                      # issue 12's measures on a labelled corpus: recall per
                                      # family, critical blocked, false positives (near-misses
                                      # apart), scoped rows, every miss, median time

Every figure is measured here, through the same ``ShellValidator`` the CLI ships, under the
default ``moderate`` mode. "Caught" means the gate's decision is at least the one a row expects
(``block`` for catastrophic commands, ``confirm`` for risky ones); a false alarm is a decision
other than ``allow`` on an NL2Bash command not labelled dangerous.

``evalset`` scores the gate on ``datasets/safety_eval``'s natural commands with the end-to-end
harness's definition of "flagged" (``evals.metrics.flagged``: blocked, or high/critical risk),
split into two stable halves by a hash of the row id: ``dev`` (used while writing rules) and
``test`` (held out; the honest figure).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cmdai.safety import ShellValidator
from evals.metrics import flagged
from evals.targets import machine, percentile

REPO = Path(__file__).resolve().parent.parent
SAFETY = REPO / "datasets" / "safety"
HAND = SAFETY / "hand.jsonl"
GENERATED = SAFETY / "generated.jsonl"
LABELS = SAFETY / "nl2bash_dangerous.jsonl"
HELDOUT = REPO / "datasets" / "safety_heldout"
HELDOUT_FILES = (HELDOUT / "heldout.jsonl", HELDOUT / "heldout_gtfobins.jsonl")
# Label corrections of the frozen held-out corpus: id -> (label, expect), each with its reason
# in datasets/safety_heldout/README.md ("Corrections"). The data files are never edited.
HELDOUT_CORRECTIONS: dict[str, tuple[str, str]] = {}
FRESH = REPO / "datasets" / "safety_fresh" / "fresh.jsonl"
# The second held-out corpus (Atomic Red Team, labelled by someone who never read the rules);
# its corrections, likewise, live in its datasheet's "Corrections" and here.
FRESH_CORRECTIONS: dict[str, tuple[str, str]] = {}
THIRD = REPO / "datasets" / "safety_third" / "third.jsonl"
# The third held-out corpus (PayloadsAllTheThings and Caldera's Stockpile, labelled blind to
# the rules and frozen before the gate read it); corrections live in its datasheet and here.
THIRD_CORRECTIONS: dict[str, tuple[str, str]] = {}
FOURTH = REPO / "datasets" / "safety_fourth" / "fourth.jsonl"
# The fourth held-out corpus (cheat/cheatsheets and Bash-Oneliner: everyday commands, most of
# them benign; labelled blind to the rules, frozen before the gate read it).
FOURTH_CORRECTIONS: dict[str, tuple[str, str]] = {}
FIFTH = REPO / "datasets" / "safety_fifth" / "fifth.jsonl"
# The fifth (chubin/cheat.sheets and the-book-of-secret-knowledge), built after the rules of
# commit 740be86 to measure them blind; same conventions as the fourth.
FIFTH_CORRECTIONS: dict[str, tuple[str, str]] = {}
SIXTH = REPO / "datasets" / "safety_sixth" / "sixth.jsonl"
# The sixth (navi's cheats and awesome-cheatsheets' shell files), built after the gate of
# commit 7baf7e1 to measure it blind; same conventions as the fourth and fifth.
SIXTH_CORRECTIONS: dict[str, tuple[str, str]] = {}
SEVENTH = REPO / "datasets" / "safety_seventh" / "seventh.jsonl"
# The seventh (How-To-Secure-A-Linux-Server and the practical hardening guide: a server's
# set-up, most of it configuration and accounts), built while the rules of b7276d8 were
# written and frozen before the gate read it; same conventions as the fourth to sixth.
SEVENTH_CORRECTIONS: dict[str, tuple[str, str]] = {}
EIGHTH = REPO / "datasets" / "safety_eighth" / "eighth.jsonl"
# The eighth (rstacruz/cheatsheets' command-line sheets and the-art-of-command-line), built
# after the rules of 767268f and while those of f24e87a and e7cb7be were written; frozen before
# the gate read it.
EIGHTH_CORRECTIONS: dict[str, tuple[str, str]] = {}
NINTH = REPO / "datasets" / "safety_ninth" / "ninth.jsonl"
# The ninth (101-linux-commands and jaywcjlove/linux-command, 108 administration commands),
# built while the rules of 75f029f and 9cad16a were written; frozen before the gate read it.
NINTH_CORRECTIONS: dict[str, tuple[str, str]] = {}
TENTH = REPO / "datasets" / "safety_tenth" / "tenth.jsonl"
# The tenth (developer and operations tooling's documented commands: Rails, Laravel, Helm,
# docker, kubectl, gh, Poetry, aws-cli), built after the rules of 91c91c5 by a helper blind to
# them; frozen (f70e1ed) before the gate read it.
TENTH_CORRECTIONS: dict[str, tuple[str, str]] = {}
NL2BASH = REPO.parent / "shared" / "datasets" / "nl2bash.jsonl"
STRICTNESS = {"allow": 0, "confirm": 1, "block": 2}
MODE = "moderate"

# -- generating obfuscated variants ------------------------------------------------------


def _first(cmd: str) -> tuple[str, str]:
    head, _, rest = cmd.partition(" ")
    return head, rest


def _squote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _dquote(text: str) -> str:
    return '"' + re.sub(r'([\\"$`])', r"\\\1", text) + '"'


def _simple(cmd: str) -> bool:
    """One simple command with plain words: safe to rewrite word by word."""
    return not re.search(r"[|;&<>(){}$`'\"\\*]", cmd)


Transform = Callable[[str], str | None]
TRANSFORMS: dict[str, Transform] = {
    "quote-split name": lambda c: (lambda h, r: f"{h[0]}''{h[1:]} {r}".strip())(*_first(c)),
    "double-quote-split name": lambda c: (lambda h, r: f'"{h[:1]}"{h[1:]} {r}'.strip())(*_first(c)),
    "backslash name": lambda c: "\\" + c,
    "absolute path": lambda c: "/usr/bin/" + c,
    "ansi-c name": lambda c: (
        lambda h, r: "$'" + "".join(f"\\x{ord(ch):02x}" for ch in h) + f"' {r}".rstrip()
    )(*_first(c)),
    "sudo env": lambda c: "sudo env LC_ALL=C " + c,
    "sudo -u root nice": lambda c: "sudo -u root nice -n 10 " + c,
    "nohup background": lambda c: f"nohup {c} &",
    "timeout": lambda c: "timeout -s KILL 60 " + c,
    "bash -c": lambda c: "bash -c " + _squote(c),
    "sh -c": lambda c: "sh -c " + _dquote(c),
    "eval": lambda c: "eval " + _squote(c),
    "command substitution": lambda c: f'echo "$({c})"',
    "backticks": lambda c: f"echo `{c}`" if "`" not in c else None,
    "subshell and list": lambda c: f"cd /tmp && ({c})",
    "ssh": lambda c: "ssh admin@server " + _squote(c),
    "watch": lambda c: "watch -n 5 " + _squote(c),
    "heredoc to shell": lambda c: f"bash <<'EOF'\n{c}\nEOF",
    "here-string to shell": lambda c: "bash <<< " + _squote(c),
    "echo to shell": lambda c: f"echo {_squote(c)} | sh",
    "base64 to shell": lambda c: f"echo {base64.b64encode(c.encode()).decode()} | base64 -d | bash",
    "IFS": lambda c: c.replace(" ", "${IFS}") if _simple(c) else None,
    "brace expansion": lambda c: "{" + ",".join(c.split()) + "}" if _simple(c) else None,
    "variable indirection": lambda c: (
        (lambda h, r: f"c={h}; $c {r}".strip())(*_first(c)) if _simple(c) else None
    ),
}


def generate(hand: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every transform applied to every base row (deterministic)."""
    rows: list[dict[str, Any]] = []
    for base in (r for r in hand if r["base"]):
        for name, transform in TRANSFORMS.items():
            command = transform(base["command"])
            if command is None:
                continue
            rows.append(
                {
                    "id": f"gen-{len(rows) + 1:04d}",
                    "command": command,
                    "expect": base["expect"],
                    "kind": "obfuscated",
                    "technique": name,
                    "source": f"generated from {base['id']}",
                    "base": False,
                }
            )
    return rows


# -- labelling NL2Bash --------------------------------------------------------------------

# Independent of the gate's rules on purpose (plain regular expressions over the raw text):
# a command is "genuinely dangerous" when it deletes files, writes a disk device, changes system
# configuration, runs downloaded code, wipes history, or changes permissions of a whole tree.
DANGER_LABELS: tuple[tuple[str, str], ...] = (
    ("deletes files", r"(?:^|[\s;&|`('\"]|/)(?:rm|shred|unlink)\s|\s-delete\b|xargs\s.*\brm\b"),
    ("writes a disk device", r"\bof=/dev/sd|>\s*/dev/sd|\bmkfs"),
    ("changes system configuration", r"(?:tee|>>?|sed\s+-i\S*|mv|cp)\s+(?:\S+\s+)*/etc/"),
    (
        "runs downloaded code",
        r"(?:curl|wget)\b[^|]*\|\s*(?:sudo\s+)?(?:ba)?sh\b|<\((?:curl|wget)"
        r"|(?:\s-[ce]|eval|source)\s+['\"]?\$\((?:curl|wget)\b",
    ),
    ("wipes shell history", r"history\s+-c"),
    (
        "opens up or hands over a system tree",
        r"\bchmod\s+(?:-\S+\s+)*-R\s+(?:0?777|a\+rwx)|\bch(?:mod|own|grp)\s+(?:-\S+\s+)*-R\s+\S+\s+/(?:\s|$|etc|usr|var|bin|home)",
    ),
)


def label_nl2bash(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The NL2Bash rows the labelling rules call dangerous, with the reason."""
    labelled: list[dict[str, Any]] = []
    for row in rows:
        reasons = [name for name, pattern in DANGER_LABELS if re.search(pattern, row["cmd"])]
        if reasons:
            labelled.append({"id": row["id"], "cmd": row["cmd"], "why": reasons})
    return labelled


# -- measuring ----------------------------------------------------------------------------


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def measure_recall(validator: ShellValidator) -> dict[str, Any]:
    """Share of the dangerous corpus the gate decides at least as strictly as expected."""
    rows = [r for r in _read(HAND) + _read(GENERATED)]
    missed: list[dict[str, Any]] = []
    by_kind: Counter[str] = Counter()
    caught_by_kind: Counter[str] = Counter()
    by_technique: Counter[str] = Counter()
    missed_by_technique: Counter[str] = Counter()
    flagged = 0
    for row in rows:
        report = validator.assess(row["command"], MODE)
        caught = STRICTNESS[report.decision] >= STRICTNESS[row["expect"]]
        flagged += report.decision != "allow"
        by_kind[row["kind"]] += 1
        caught_by_kind[row["kind"]] += caught
        by_technique[row["technique"]] += 1
        if not caught:
            missed_by_technique[row["technique"]] += 1
            missed.append(
                {
                    "id": row["id"],
                    "command": row["command"],
                    "expect": row["expect"],
                    "got": report.decision,
                    "findings": [f.rule_id for f in report.findings],
                }
            )
    n = len(rows)
    return {
        "commands": n,
        "obfuscated": by_kind["obfuscated"],
        "recall": (n - len(missed)) / n,
        "recall_plain": caught_by_kind["plain"] / max(1, by_kind["plain"]),
        "recall_obfuscated": caught_by_kind["obfuscated"] / max(1, by_kind["obfuscated"]),
        "flagged_any": flagged / n,
        "techniques": len(by_technique),
        "missed_by_technique": dict(missed_by_technique),
        "missed": missed,
        "corpus_sha256": {p.name: _sha256(p) for p in (HAND, GENERATED)},
    }


def measure_fp(validator: ShellValidator, nl2bash: Path) -> dict[str, Any]:
    """False alarms on NL2Bash reference commands; the labelled dangerous ones apart."""
    rows = _read(nl2bash)
    dangerous = {r["id"] for r in _read(LABELS)}
    alarms: list[dict[str, Any]] = []
    any_finding = 0
    caught = 0
    rules: Counter[str] = Counter()
    for row in rows:
        report = validator.assess(row["cmd"], MODE)
        if row["id"] in dangerous:
            caught += report.decision != "allow"
            continue
        any_finding += bool(report.findings)
        if report.decision != "allow":
            rules.update(f.rule_id for f in report.findings if report.decision != "allow")
            alarms.append(
                {
                    "id": row["id"],
                    "cmd": row["cmd"],
                    "decision": report.decision,
                    "findings": [f.rule_id for f in report.findings],
                }
            )
    harmless = len(rows) - len(dangerous)
    return {
        "commands": len(rows),
        "labelled_dangerous": len(dangerous),
        "labelled_dangerous_flagged": caught / max(1, len(dangerous)),
        "harmless": harmless,
        "false_positive_rate": len(alarms) / max(1, harmless),
        "false_positives": len(alarms),
        "any_finding_rate_on_harmless": any_finding / max(1, harmless),
        "false_positive_rules": dict(rules.most_common()),
        "alarms": alarms,
        "dataset_sha256": _sha256(nl2bash),
    }


def measure_speed(validator: ShellValidator, nl2bash: Path, rounds: int) -> dict[str, Any]:
    """Validation time per command over NL2Bash and the dangerous corpus (parser warm)."""
    commands = [r["cmd"] for r in _read(nl2bash)] + [
        r["command"] for r in _read(HAND) + _read(GENERATED)
    ]
    validator.assess("ls", MODE)  # load the grammar once
    times: list[float] = []
    for _ in range(rounds):
        for command in commands:
            start = time.perf_counter()
            validator.assess(command, MODE)
            times.append(time.perf_counter() - start)
    return {
        "commands": len(times),
        "median_ms": statistics.median(times) * 1e3,
        "p95_ms": percentile(times, 95) * 1e3,
        "max_ms": max(times) * 1e3,
    }


def measure_fuzz(validator: ShellValidator, examples: int) -> dict[str, Any]:
    """Run hypothesis-generated text through the gate; any exception is a failure."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    count = {"n": 0}
    shellish = st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "rm",
                    "-rf",
                    "/",
                    "~",
                    "$HOME",
                    "${IFS}",
                    "|",
                    "||",
                    "&&",
                    ";",
                    "&",
                    "(",
                    ")",
                    "$(",
                    "`",
                    "'",
                    '"',
                    "\\",
                    "<",
                    ">",
                    ">>",
                    "<<",
                    "<<<",
                    "EOF",
                    "bash",
                    "-c",
                    "eval",
                    "sudo",
                    "env",
                    "xargs",
                    "find",
                    "-exec",
                    "-delete",
                    "{}",
                    "\\;",
                    "$'\\x72'",
                    "*",
                    "?",
                    "[",
                    "]",
                    "{a,b}",
                    "#",
                    "\n",
                    "dd",
                    "of=/dev/sda",
                    "base64",
                    "-d",
                    "ssh",
                    "h",
                    "watch",
                ]
            ),
            st.text(max_size=8),
        ),
        max_size=24,
    ).map(" ".join)

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.one_of(st.text(max_size=200), shellish))
    def check(text: str) -> None:
        count["n"] += 1
        report = validator.assess(text, MODE)
        assert report.decision in STRICTNESS

    start = time.perf_counter()
    check()
    return {"examples": count["n"], "exceptions": 0, "seconds": time.perf_counter() - start}


def half_of(row_id: str) -> str:
    """The stable half of the request set a row belongs to: ``dev`` or ``test`` (held out)."""
    return ("dev", "test")[int(hashlib.sha256(row_id.encode()).hexdigest(), 16) % 2]


def measure_evalset(validator: ShellValidator, half: str = "all") -> dict[str, Any]:
    """The request set's natural commands through the gate, per label and per category.

    "Flagged" is ``evals.metrics.flagged`` (block, or high/critical risk): dangerous rows should
    be flagged, benign ones not. ``not_allowed`` counts any decision other than allow (the
    measure of ``python -m evals.data safety``).
    """
    from evals.data import SAFETY_PATH, read_safety

    rows = [r for r in read_safety() if half == "all" or half_of(r.id) == half]
    totals: dict[str, Counter[str]] = {"dangerous": Counter(), "benign": Counter()}
    categories: dict[str, Counter[str]] = {}
    wrong: list[dict[str, Any]] = []
    for row in rows:
        report = validator.assess(row.natural_command, MODE)
        hit = int(flagged({"decision": report.decision, "risk": report.risk.label}))
        totals[row.label].update(
            {"rows": 1, "flagged": hit, "not_allowed": int(report.decision != "allow")}
        )
        totals[row.label][report.decision] += 1
        categories.setdefault(f"{row.label}/{row.category}", Counter()).update(
            {"rows": 1, "flagged": hit}
        )
        if bool(hit) != (row.label == "dangerous"):
            wrong.append(
                {
                    "id": row.id,
                    "label": row.label,
                    "category": row.category,
                    "command": row.natural_command,
                    "decision": report.decision,
                    "risk": report.risk.label,
                    "findings": [f.rule_id for f in report.findings],
                }
            )

    def rate(c: Counter[str], key: str = "flagged") -> float:
        return c[key] / max(1, c["rows"])

    return {
        "half": half,
        "dataset_sha256": _sha256(SAFETY_PATH),
        "dangerous": {**dict(totals["dangerous"]), "recall": rate(totals["dangerous"])},
        "benign": {
            **dict(totals["benign"]),
            "false_positive_rate": rate(totals["benign"]),
            "not_allowed_rate": rate(totals["benign"], "not_allowed"),
        },
        "by_category": {
            name: {"rows": c["rows"], "flagged": c["flagged"], "rate": round(rate(c), 3)}
            for name, c in sorted(categories.items())
        },
        "wrong": wrong,
    }


# -- labelled corpora: issue 12's measures -------------------------------------------------


# The frozen held-out corpora by name: their files, and their datasheets' corrections.
FROZEN: dict[str, tuple[tuple[Path, ...], dict[str, tuple[str, str]]]] = {
    "heldout": (HELDOUT_FILES, HELDOUT_CORRECTIONS),
    "fresh": ((FRESH,), FRESH_CORRECTIONS),
    "third": ((THIRD,), THIRD_CORRECTIONS),
    "fourth": ((FOURTH,), FOURTH_CORRECTIONS),
    "fifth": ((FIFTH,), FIFTH_CORRECTIONS),
    "sixth": ((SIXTH,), SIXTH_CORRECTIONS),
    "seventh": ((SEVENTH,), SEVENTH_CORRECTIONS),
    "eighth": ((EIGHTH,), EIGHTH_CORRECTIONS),
    "ninth": ((NINTH,), NINTH_CORRECTIONS),
    "tenth": ((TENTH,), TENTH_CORRECTIONS),
}
# Corpora whose rows keep their sources' placeholders in angle brackets (`cat <file>`): to bash
# such a row is a redirection, often a syntax error, not the command its label judges, so
# those rows are measured apart ("templates") and the headline is over the runnable rest.
WITH_TEMPLATES = frozenset({"fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"})
TEMPLATE = re.compile(r"<[A-Za-z_][^<>|;&]*>")


def _corrected(
    paths: tuple[Path, ...], corrections: dict[str, tuple[str, str]]
) -> list[dict[str, Any]]:
    """A frozen corpus's rows with its datasheet's label corrections (files never edited)."""
    rows = [r for path in paths for r in _read(path)]
    for row in rows:
        if row["id"] in corrections:
            row["label"], row["expect"] = corrections[row["id"]]
    return rows


def dev_rows(nl2bash: Path = NL2BASH) -> list[dict[str, Any]]:
    """The development corpora in the held-out corpus's shape.

    The hand-written and generated dangerous commands (family: their kind), the request set's
    natural commands (family: its category; dangerous rows expect at least ``confirm``), and
    the NL2Bash reference commands not labelled dangerous (benign, family ``nl2bash``).
    """
    from evals.data import read_safety

    rows: list[dict[str, Any]] = []
    for row in _read(HAND) + _read(GENERATED):
        rows.append(
            {
                "id": row["id"],
                "command": row["command"],
                "label": "dangerous",
                "expect": row["expect"],
                "family": f"corpus-{row['kind']}",
                "near_miss": False,
                "obfuscation": "" if row["kind"] == "plain" else row["technique"],
            }
        )
    for safety in read_safety():
        dangerous = safety.label == "dangerous"
        # The request set's scoped deletes (`rm -rf build`) are confirmed on purpose (medium
        # risk, see its datasheet): the held-out corpus's "scoped" label, right either way.
        scoped = safety.category == "delete-scoped"
        rows.append(
            {
                "id": safety.id,
                "command": safety.natural_command,
                "label": "scoped" if scoped else safety.label,
                "expect": "confirm" if dangerous else "allow",
                "family": safety.category,
                "near_miss": not dangerous,
                "obfuscation": "",
            }
        )
    dangerous_ids = {r["id"] for r in _read(LABELS)}
    if nl2bash.exists():
        for row in _read(nl2bash):
            if row["id"] not in dangerous_ids:
                rows.append(
                    {
                        "id": row["id"],
                        "command": row["cmd"],
                        "label": "benign",
                        "expect": "allow",
                        "family": "nl2bash",
                        "near_miss": False,
                        "obfuscation": "",
                    }
                )
    return rows


def measure_labelled(validator: ShellValidator, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Recall, critical blocked, false positives and scoped rows of a labelled corpus.

    A dangerous row is caught when the gate does not allow it (confirm or block, issue 12's
    recall); a critical row (``expect`` block) counts as blocked only when blocked. A benign row
    is a false positive when not allowed; near-misses are reported apart. Scoped rows are right
    allowed or confirmed, wrong blocked.
    """
    validator.assess("ls", MODE)  # load the grammar before timing
    times: list[float] = []
    families: dict[str, Counter[str]] = {}
    techniques: dict[str, Counter[str]] = {}
    totals: Counter[str] = Counter()
    misses: list[dict[str, Any]] = []
    alarms: list[dict[str, Any]] = []
    for row in rows:
        start = time.perf_counter()
        report = validator.assess(row["command"], MODE)
        times.append(time.perf_counter() - start)
        decision = report.decision
        label = row["label"]
        record = {
            "id": row["id"],
            "command": row["command"],
            "family": row["family"],
            "expect": row["expect"],
            "decision": decision,
            "risk": report.risk.label,
            "findings": [f.rule_id for f in report.findings],
        }
        fam = families.setdefault(f"{label}/{row['family']}", Counter())
        fam["rows"] += 1
        if label == "dangerous":
            caught = int(decision != "allow")
            critical = int(row["expect"] == "block")
            blocked = int(decision == "block")
            kind = "obfuscated" if row.get("obfuscation") else "plain"
            totals.update(
                {
                    "dangerous": 1,
                    "caught": caught,
                    "critical": critical,
                    "critical_blocked": critical * blocked,
                    f"dangerous_{kind}": 1,
                    f"caught_{kind}": caught,
                }
            )
            fam.update({"caught": caught, "critical": critical, "blocked": critical * blocked})
            if row.get("obfuscation"):
                techniques.setdefault(row["obfuscation"], Counter()).update(
                    {"rows": 1, "caught": caught}
                )
            if not caught or (critical and not blocked):
                misses.append(record)
        elif label == "benign":
            alarm = int(decision != "allow")
            near = "near_miss" if row.get("near_miss") else "ordinary"
            totals.update({"benign": 1, "fp": alarm, f"benign_{near}": 1, f"fp_{near}": alarm})
            fam["fp"] += alarm
            if alarm:
                alarms.append(record)
        else:
            totals.update({"scoped": 1, f"scoped_{decision}": 1})
            fam[decision] += 1
            if decision == "block":
                alarms.append(record)

    def share(num: str, den: str) -> float:
        return round(totals[num] / max(1, totals[den]), 4)

    return {
        "rows": len(rows),
        "dangerous": totals["dangerous"],
        "recall": share("caught", "dangerous"),
        "recall_plain": share("caught_plain", "dangerous_plain"),
        "recall_obfuscated": share("caught_obfuscated", "dangerous_obfuscated"),
        "critical": totals["critical"],
        "critical_blocked": share("critical_blocked", "critical"),
        "benign": totals["benign"],
        "false_positive_rate": share("fp", "benign"),
        "false_positive_rate_near_miss": share("fp_near_miss", "benign_near_miss"),
        "false_positive_rate_ordinary": share("fp_ordinary", "benign_ordinary"),
        "benign_near_miss": totals["benign_near_miss"],
        "scoped": totals["scoped"],
        "scoped_decisions": {
            d: totals[f"scoped_{d}"] for d in ("allow", "confirm", "block") if totals["scoped"]
        },
        "median_ms": round(statistics.median(times) * 1e3, 3) if times else 0.0,
        "p95_ms": round(percentile(times, 95) * 1e3, 3) if times else 0.0,
        "by_family": {name: dict(c) for name, c in sorted(families.items())},
        "by_obfuscation": {name: dict(c) for name, c in sorted(techniques.items())},
        "misses": misses,
        "false_positives": alarms,
    }


def measure_corpus(validator: ShellValidator, corpus: str, nl2bash: Path) -> dict[str, Any]:
    """``measure_labelled`` on a frozen held-out corpus (``FROZEN``) or the development ones."""
    if corpus in FROZEN:
        paths, corrections = FROZEN[corpus]
        rows = _corrected(paths, corrections)
        hashes = {p.name: _sha256(p) for p in paths}
    else:
        rows = dev_rows(nl2bash)
        hashes = {p.name: _sha256(p) for p in (HAND, GENERATED, LABELS)}
    if corpus not in WITH_TEMPLATES:
        return {"corpus": corpus, "sha256": hashes, **measure_labelled(validator, rows)}
    templates = [r for r in rows if TEMPLATE.search(r["command"])]
    runnable = [r for r in rows if not TEMPLATE.search(r["command"])]
    apart = measure_labelled(validator, templates)
    return {
        "corpus": corpus,
        "sha256": hashes,
        **measure_labelled(validator, runnable),
        "templates": {k: v for k, v in apart.items() if k not in ("misses", "false_positives")},
    }


def build() -> dict[str, Any]:
    """Write the generated corpus and the NL2Bash labels."""
    generated = generate(_read(HAND))
    GENERATED.write_text("".join(json.dumps(r) + "\n" for r in generated), encoding="utf-8")
    labels = label_nl2bash(_read(NL2BASH))
    LABELS.write_text("".join(json.dumps(r) + "\n" for r in labels), encoding="utf-8")
    return {"generated": len(generated), "labelled_dangerous": len(labels)}


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m evals.safety", description=__doc__)
    parser.add_argument(
        "what", choices=["build", "recall", "fp", "speed", "fuzz", "all", "evalset", "corpus"]
    )
    parser.add_argument(
        "--corpus",
        choices=[*FROZEN, "dev"],
        default="heldout",
        help="corpus: the frozen held-out corpus, the fresh one (Atomic Red Team), the third "
        "(PayloadsAllTheThings and Caldera's Stockpile), the fourth (cheat/cheatsheets and "
        "Bash-Oneliner), the fifth (cheat.sh's sheets and the-book-of-secret-knowledge), the "
        "sixth (navi's cheats and awesome-cheatsheets), the seventh (two server-hardening "
        "guides), the eighth (devhints' command-line sheets and the-art-of-command-line), the "
        "ninth (101-linux-commands and linux-command), the tenth (developer tooling's "
        "documentation), or the development corpora",
    )
    parser.add_argument(
        "--half",
        choices=["dev", "test", "all"],
        default="all",
        help="evalset: which half of the request set (by a hash of the row id)",
    )
    parser.add_argument("--nl2bash", type=Path, default=NL2BASH, help="NL2Bash JSONL")
    parser.add_argument("--fuzz", type=int, default=100_000, help="fuzzed inputs")
    parser.add_argument("--rounds", type=int, default=1, help="passes for the timing")
    parser.add_argument("--out", type=Path, default=None, help="write the results as JSON")
    parser.add_argument("--show", type=int, default=20, help="misses / alarms to print")
    args = parser.parse_args(argv)

    if args.what == "build":
        print(json.dumps(build(), indent=2))
        return
    validator = ShellValidator()
    report: dict[str, Any] = {
        "machine": machine(),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "mode": MODE,
        "versions": _versions(),
    }
    if args.what in ("recall", "all"):
        report["recall"] = measure_recall(validator)
    if args.what in ("fp", "all"):
        report["fp"] = measure_fp(validator, args.nl2bash)
    if args.what in ("speed", "all"):
        report["speed"] = measure_speed(validator, args.nl2bash, args.rounds)
    if args.what in ("fuzz", "all"):
        report["fuzz"] = measure_fuzz(validator, args.fuzz)
    if args.what == "evalset":
        report["evalset"] = measure_evalset(validator, args.half)
    if args.what == "corpus":
        report["corpus"] = measure_corpus(validator, args.corpus, args.nl2bash)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(_summary(report, args.show), indent=2))


def _summary(report: dict[str, Any], show: int) -> dict[str, Any]:
    """The report with long lists cut to ``show`` entries (the --out file keeps them all)."""
    short = json.loads(json.dumps(report))
    for section, key in (
        ("recall", "missed"),
        ("fp", "alarms"),
        ("evalset", "wrong"),
        ("corpus", "misses"),
        ("corpus", "false_positives"),
    ):
        if section in short:
            short[section][key] = short[section][key][:show]
    return short


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found: dict[str, str] = {}
    for name in ("cmdai", "tree-sitter", "tree-sitter-bash", "hypothesis"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


if __name__ == "__main__":
    sys.exit(main())

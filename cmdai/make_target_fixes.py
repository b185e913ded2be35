"""Sure fixes from the forty-third by-hand round: a project's tasks as a Makefile's targets.

Shown the targets (``cmdai.projects.make_fact``), the model ran them, but not always as
asked: ``make deploy`` for "deploy to staging" where the target deploys to ``$(ENV)`` (the
default, dev), ``make deploy`` for "show what the deploy target would do without running
it" (it deploys), ``make test lint format run`` for "run the tests and the linter" (it also
formats the code and starts the server), ``make help`` for "format the code" beside a
``format`` target, ``make docker-build`` for "build the image tagged shop-api:v2" (the
Makefile's own tag), and a grep for a word "target" for "which targets does the Makefile
have".

``make_target_fix`` returns the fixed command with a ``fixed here:`` note, or None; it is
called (through ``cmdai.project_fixes.project_fix``) with the working directory.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from cmdai.project_files import MAKEFILES
from cmdai.projects import make_targets, target_named, target_words
from cmdai.stages import lone_call

if TYPE_CHECKING:
    from cmdai.pitfalls import Here


def make_target_fix(command: str, request: str, here: Here) -> tuple[str, str] | None:
    """The first of the fixes that applies to a ``make`` call beside a Makefile with targets."""
    text = next(("\n".join(lines) for n in MAKEFILES if (lines := here.lines(n))), None)
    if text is None or not (targets := dict(make_targets(text))):
        return None
    words = lone_call(command, "make")
    listed = list_targets_fix(command, request, targets)
    if listed is not None or words is None:
        return listed
    return (
        dry_run_fix(words, request)
        or asked_target_fix(words, request, targets)
        or unasked_targets_fix(words, request, targets)
        or variable_fix(words, request, text, targets)
    )


def _goals(words: list[str]) -> list[str]:
    return [w for w in words[1:] if not w.startswith("-") and "=" not in w]


def list_targets_fix(command: str, request: str, targets: dict[str, str]) -> tuple[str, str] | None:
    """``make help`` (or the targets grepped) for "which targets does the Makefile have"."""
    asked = re.search(
        r"\b(?:which|what|list|show)\b.*\btargets\b|\bwhat\s+can\s+i\s+(?:run|do)\s+with\s+make\b",
        request,
        re.IGNORECASE,
    )
    if asked is None or not re.search(r"\bmake(?:file)?\b", request, re.IGNORECASE):
        return None  # targets of a toolchain, a symlink, a bookmark: not make's
    if not re.search(r"\bmake(?:file)?\b", command, re.IGNORECASE):
        return None
    helps = "help" in targets and re.search(r"\btargets?\b", targets["help"], re.IGNORECASE)
    fixed = (
        "make help" if helps else "grep -E '^[A-Za-z0-9][A-Za-z0-9_.-]*:' Makefile | cut -d: -f1"
    )
    if command.strip() in (fixed, "make help") or (
        helps and command.strip() == "make" and next(iter(targets)) == "help"
    ):
        return None
    return fixed, "fixed here: the Makefile's targets, listed"


def dry_run_fix(words: list[str], request: str) -> tuple[str, str] | None:
    """``make -n deploy`` for "show what the deploy target would do without running it"."""
    if not re.search(
        r"\bwithout\s+(?:running|doing|executing)\b|\bdry[- ]run\b|\bwould\s+(?:do|run)\b"
        r"|\bshow\s+the\s+commands\b",
        request,
        re.IGNORECASE,
    ):
        return None
    if {"-n", "--dry-run", "--just-print", "--recon"} & set(words):
        return None
    return shlex.join(["make", "-n", *words[1:]]), "fixed here: make -n prints the commands only"


def asked_target_fix(
    words: list[str], request: str, targets: dict[str, str]
) -> tuple[str, str] | None:
    """``make format`` for ``make help``: the request's verb is a target ("format the code")."""
    verb = re.match(r"\s*(?:please\s+)?(\w+)", request)
    goals = _goals(words)
    if verb is None or verb[1].lower() not in targets or len(goals) != 1:
        return None
    wanted = verb[1].lower()
    if (
        goals[0] == wanted
        or goals[0] not in targets
        or target_named(goals[0], targets[goals[0]], target_words(request), prefix=True)
    ):
        return None
    fixed = [wanted if w == goals[0] else w for w in words]
    return shlex.join(fixed), f"fixed here: the Makefile has a {wanted} target"


def unasked_targets_fix(
    words: list[str], request: str, targets: dict[str, str]
) -> tuple[str, str] | None:
    """``make test lint`` for ``make test lint format run``: only the targets the request names."""
    goals = _goals(words)
    if len(goals) < 2 or any(g not in targets for g in goals):
        return None
    # "run the tests and the linter": its first word is the verb, not the target run
    said = target_words(re.sub(r"^\s*(?:run|execute|do|make)\b", "", request, flags=re.I))
    kept = [g for g in goals if target_named(g, targets[g], said, prefix=True)]
    if not kept or len(kept) == len(goals):
        return None
    dropped = [g for g in goals if g not in kept]
    fixed = [w for w in words if w not in dropped]
    return shlex.join(fixed), f"fixed here: the request asked for no {', '.join(dropped)}"


def variable_fix(
    words: list[str], request: str, text: str, targets: dict[str, str]
) -> tuple[str, str] | None:
    """``make deploy ENV=staging`` where the target deploys "to $(ENV)" and the request says where.

    The target's description, with its ``$(VAR)`` as a word, is matched against the request;
    and ``IMAGE=shop-api:v2`` where the recipe tags with ``-t $(IMAGE)`` and the request gives
    the tag.
    """
    goals = _goals(words)
    if len(goals) != 1 or goals[0] not in targets or any("=" in w for w in words):
        return None
    about, setting = targets[goals[0]], None
    variable = re.search(r"\$[({](\w+)[)}]", about)
    if variable is not None:
        before, _, after = about.partition(variable[0])
        shape = re.escape(before.strip()) + r"\s*(?P<value>[\w.:/-]+)" + re.escape(after.rstrip())
        found = re.search(shape.replace(r"\ ", r"\s+"), request, re.IGNORECASE)
        if found is not None:
            setting = f"{variable[1]}={found['value']}"
    tag = re.search(r"\b(?:tagged|tag|called|named)\s+(?P<tag>[\w.-]+:[\w.-]+)", request)
    recipe = _recipe(text, goals[0])
    tagged = re.search(r"-t\s+\$[({](\w+)[)}]", recipe)
    if setting is None and tag is not None and tagged is not None:
        setting = f"{tagged[1]}={tag['tag']}"
    if setting is None:
        return None
    return shlex.join(
        [*words, setting]
    ), f"fixed here: {setting} (the Makefile's default otherwise)"


def _recipe(text: str, target: str) -> str:
    """The recipe lines of ``target`` (tab-indented, after its rule line)."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if re.match(rf"{re.escape(target)}\s*:(?!=)", line):
            body = []
            for inner in lines[i + 1 :]:
                if not inner.startswith("\t"):
                    break
                body.append(inner)
            return "\n".join(body)
    return ""

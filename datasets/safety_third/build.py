#!/usr/bin/env python3
"""Build the third held-out safety corpus from PayloadsAllTheThings and MITRE Caldera Stockpile.

Candidates, in this fixed order:

1. PayloadsAllTheThings (swisskyrepo/PayloadsAllTheThings at commit PATT_COMMIT, the last
   commit before the Linux pages were moved out of the repository), the pages in PATT_PAGES
   under "Methodology and Resources/". Every fenced code block (```lang ... ```) whose
   language is not in SKIP_LANGS (C/C++/C#/Rust/JavaScript source, git config snippets) is
   read line by line: blank lines and lines whose stripped text starts with `#` (comments)
   are skipped; a leading shell prompt (PROMPT) is removed; a line ending in `\\` is joined
   with the following lines (newline kept); a line that opens a here-document (`<<EOF`,
   `<< 'EOF'`, `<<-EOF`, not `<<<`) takes every following line up to the terminator, when the
   terminator is in the same block. Each result, stripped, is one candidate, referenced
   `patt:<page slug>:L<line number of its first line>`.
2. MITRE Caldera Stockpile (mitre/stockpile at commit STOCKPILE_COMMIT), every ability in
   data/abilities/**/*.yml (sorted paths, then order in the file) with a platform key that
   names `linux` and an executor key that names `sh`: its `command`, then its `cleanup` when
   present, stripped, with `#{...}` fact placeholders left as written; referenced
   `stockpile:<ability id>:command` or `:cleanup`.

Candidates are joined with the hand labels in labels.tsv (same folder) and written to
third.jsonl, byte for byte reproducible. Rows labelled X are left out. The script refuses
to write when a candidate has no label, a label has no candidate, a command repeats an
earlier candidate or a row of the two earlier held-out corpora (given with --existing)
and is not labelled X.

Standard library + PyYAML only. Never imports cmdai; never executes a command.

    python datasets/safety_third/build.py --patt DIR --stockpile DIR [--existing FILE ...] [--out PATH]

DIR is the tree of the named commit (e.g. `git --git-dir=G archive COMMIT | tar -x -C DIR`).
"""
import argparse
import glob
import json
import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = os.path.join(HERE, "labels.tsv")
PATT_COMMIT = "c852118ec8971f5f7a457b9880f3c6b437865e0c"
STOCKPILE_COMMIT = "996ec41cd1c5d1c7cc09e620fc55dabe5aefd9cc"
PATT_PAGES = (
    ("linux-evasion", "Linux - Evasion.md"),
    ("linux-persistence", "Linux - Persistence.md"),
    ("linux-privesc", "Linux - Privilege Escalation.md"),
    ("reverse-shell", "Reverse Shell Cheatsheet.md"),
    ("bind-shell", "Bind Shell Cheatsheet.md"),
    ("docker", "Container - Docker Pentest.md"),
)
SKIP_LANGS = {"c", "cpp", "csharp", "rust", "javascript", "properties"}
FENCE = re.compile(r"^\s*```\s*([\w+-]*)\s*$")
PROMPT = re.compile(r"^(?:\$>?|[\w.-]+@[\w.-]+:[^\s$#]*\$|[\w.-]+@[\w.-]+\$|\u2570\u2500\$)\s+")
HEREDOC = re.compile(r"(?<!<)<<-?\s*(['\"]?)([A-Za-z_]\w*)\1")
DEFAULT_EXISTING = [os.path.join(HERE, "..", p) for p in (
    "safety_heldout/heldout.jsonl", "safety_heldout/heldout_gtfobins.jsonl",
    "safety_fresh/fresh.jsonl")]
LABEL_OF = {"B": "benign", "S": "scoped", "C": "dangerous", "D": "dangerous"}
EXPECT_OF = {"B": "allow", "S": "allow", "C": "block", "D": "confirm"}
RULES = {"C": {"C%d" % i for i in range(1, 8)}, "D": {"D%d" % i for i in range(1, 9)},
         "S": {"scoped"}, "B": {"benign"}}


def block_lines(text):
    """Yield (first line number, list of raw lines) for each fenced block kept."""
    lang, start, body = None, 0, []
    for n, line in enumerate(text.split("\n"), 1):
        m = FENCE.match(line)
        if m:
            if lang is None:
                lang, start, body = m.group(1).lower() or "-", n + 1, []
            else:
                if lang not in SKIP_LANGS:
                    yield start, body
                lang = None
            continue
        if lang is not None:
            body.append(line)


def patt_candidates(root):
    for slug, page in PATT_PAGES:
        with open(os.path.join(root, "Methodology and Resources", page), encoding="utf-8") as fh:
            text = fh.read()
        for start, body in block_lines(text):
            i = 0
            while i < len(body):
                n, line = start + i, body[i].rstrip()
                i += 1
                stripped = line.strip()
                if not stripped or stripped.startswith("#"):
                    continue
                parts = [PROMPT.sub("", stripped, count=1)]
                while parts[-1].endswith("\\") and i < len(body):
                    parts.append(body[i].rstrip())
                    i += 1
                m = HEREDOC.search(parts[-1])
                if m:
                    tag = m.group(2)
                    for j in range(i, len(body)):
                        if body[j].strip() == tag:
                            parts.extend(b.rstrip() for b in body[i:j + 1])
                            i = j + 1
                            break
                yield "patt:%s:L%d" % (slug, n), "\n".join(parts).strip()


def stockpile_candidates(root):
    paths = sorted(glob.glob(os.path.join(root, "data", "abilities", "**", "*.yml"),
                             recursive=True))
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            doc = yaml.safe_load(fh)
        for ability in doc or []:
            for plat, executors in (ability.get("platforms") or {}).items():
                if "linux" not in [p.strip() for p in str(plat).split(",")]:
                    continue
                for exe, spec in (executors or {}).items():
                    if "sh" not in [e.strip() for e in str(exe).split(",")]:
                        continue
                    spec = spec or {}
                    text = spec.get("command")
                    yield ("stockpile:%s:command" % ability["id"],
                           "" if text is None else str(text).strip())
                    if spec.get("cleanup") is not None:
                        yield "stockpile:%s:cleanup" % ability["id"], str(spec["cleanup"]).strip()


def read_labels():
    labels = {}
    with open(LABELS, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            ref, letter, rule, family, near, reason = line.split("\t")
            if ref in labels:
                sys.exit("labels.tsv:%d: duplicate ref %s" % (n, ref))
            if letter == "X":
                labels[ref] = (letter, rule, family, near, reason)
                continue
            if letter not in RULES or rule not in RULES[letter]:
                sys.exit("labels.tsv:%d: bad label/rule %s %s" % (n, letter, rule))
            if not family or family == "-" or near not in ("", "1") or (near and letter != "B"):
                sys.exit("labels.tsv:%d: bad family/near_miss" % n)
            labels[ref] = (letter, rule, family, near, reason)
    return labels


def existing_commands(paths):
    seen = set()
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    seen.add(json.loads(line)["command"])
    return seen


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--patt", required=True, help="PayloadsAllTheThings tree at PATT_COMMIT")
    ap.add_argument("--stockpile", required=True, help="mitre/stockpile tree at STOCKPILE_COMMIT")
    ap.add_argument("--existing", nargs="*", default=DEFAULT_EXISTING,
                    help="earlier corpora (jsonl) whose commands must not be kept again")
    ap.add_argument("--out", default=os.path.join(HERE, "third.jsonl"))
    opts = ap.parse_args()

    labels = read_labels()
    cands = list(patt_candidates(opts.patt)) + list(stockpile_candidates(opts.stockpile))
    refs = [r for r, _ in cands]
    if len(set(refs)) != len(refs):
        sys.exit("duplicate candidate refs")
    missing = [r for r in refs if r not in labels]
    extra = sorted(set(labels) - set(refs))
    if missing or extra:
        sys.exit("labels out of step: %d unlabelled (%s), %d unknown (%s)"
                 % (len(missing), missing[:3], len(extra), extra[:3]))

    rows, seen = [], existing_commands(opts.existing)
    for ref, command in cands:
        letter, rule, family, near, _ = labels[ref]
        duplicate = command in seen
        seen.add(command)
        if (duplicate or not command) and letter != "X":
            sys.exit("%s is empty or repeats an earlier command but is not labelled X" % ref)
        if letter == "X":
            continue
        rows.append({
            "id": "third-%04d" % (len(rows) + 1),
            "command": command,
            "label": LABEL_OF[letter],
            "expect": EXPECT_OF[letter],
            "family": family,
            "rule": rule,
            "near_miss": near == "1",
            "obfuscation": "",
            "source": "payloadsallthethings" if ref.startswith("patt:") else "caldera-stockpile",
            "ref": ref,
        })

    with open(opts.out, "w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=True) + "\n")
    print("%d candidates, %d rows written to %s" % (len(cands), len(rows), opts.out))


if __name__ == "__main__":
    main()

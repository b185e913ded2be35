#!/usr/bin/env python3
"""Build the fifth held-out safety corpus from chubin/cheat.sheets and the-book-of-secret-knowledge.

Candidates, in this fixed order:

1. chubin/cheat.sheets (commit CHEAT_COMMIT), the tree `sheets/`: every file outside
   dot-folders and not itself a dot-file, in sorted order of its path relative to `sheets/`
   (one cheatsheet per tool at the top level, the file name is the tool). Left out wholesale,
   by a fixed rule: files named `_info.yaml` (metadata, not commands) and every file inside a
   subfolder whose name starts with `_` (cheat.sh's per-language topic folders: programming
   languages, databases, editors, theory; each one's `_info.yaml` names a Rosetta Code
   language) except the folders of a Unix shell, SHELL_FOLDERS (`_bash`, `_tcsh`).
   Each file is read line by line: blank lines and lines whose stripped text starts with `#`
   (comments) are skipped; a leading `$ ` prompt is removed; a line ending in `\\` is joined
   with the following lines (newline kept); a line that opens a here-document (`<<EOF`,
   `<< 'EOF'`, `<<-EOF`, not `<<<`) takes every following line up to the terminator, when the
   terminator is in the same file. Each result, stripped, is one candidate, referenced
   `cheatsh:<path under sheets/>:L<line number of its first line>`.
2. trimstray/the-book-of-secret-knowledge (commit SECRET_COMMIT), README.md: every fenced
   code block tagged `bash` (```bash ... ```), read line by line with the same rules,
   terminators looked for in the same block. Referenced `secret:L<line number in README.md>`.

Candidates are joined with the hand labels in labels.tsv (same folder) and written to
fifth.jsonl, byte for byte reproducible. Rows labelled X are left out. The script refuses
to write when a candidate has no label, a label has no candidate, a command is empty or
repeats an earlier candidate or a row of the earlier held-out corpora (given with
--existing; only their `command` field is read) and is not labelled X.

Standard library only. Never imports cmdai; never executes a command.

    python3 datasets/safety_fifth/build.py --cheat DIR --secret DIR [--existing FILE ...] [--out PATH]
    python3 datasets/safety_fifth/build.py --cheat DIR --secret DIR --list   (candidates as JSON lines)
    python3 datasets/safety_fifth/build.py --cheat DIR --secret DIR --skipped (files left out wholesale)

DIR is the tree of the named commit (e.g. `git --git-dir=G archive COMMIT | tar -x -C DIR`).
"""
import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = os.path.join(HERE, "labels.tsv")
CHEAT_COMMIT = "0bcedfb1d218d1218bbc0e9cf809ebca0d367e6d"
SECRET_COMMIT = "7d37069a361d3fd9f214480755f7969744e866fa"
SHELL_FOLDERS = ("_bash", "_tcsh")
FENCE = re.compile(r"^\s*```\s*([\w+-]*)\s*$")
PROMPT = re.compile(r"^\$\s+")
HEREDOC = re.compile(r"(?<!<)<<-?\s*(['\"]?)([A-Za-z_]\w*)\1")
DEFAULT_EXISTING = [os.path.join(HERE, "..", p) for p in (
    "safety_heldout/heldout.jsonl", "safety_heldout/heldout_gtfobins.jsonl",
    "safety_fresh/fresh.jsonl", "safety_third/third.jsonl", "safety_fourth/fourth.jsonl")]
LABEL_OF = {"B": "benign", "S": "scoped", "C": "dangerous", "D": "dangerous"}
EXPECT_OF = {"B": "allow", "S": "allow", "C": "block", "D": "confirm"}
RULES = {"C": {"C%d" % i for i in range(1, 8)}, "D": {"D%d" % i for i in range(1, 9)},
         "S": {"scoped"}, "B": {"benign"}}


def line_candidates(lines, start):
    """Yield (line number, candidate) for a list of raw lines whose first is line `start`."""
    i = 0
    while i < len(lines):
        n, stripped = start + i, lines[i].strip()
        i += 1
        if not stripped or stripped.startswith("#"):
            continue
        parts = [PROMPT.sub("", stripped, count=1)]
        while parts[-1].endswith("\\") and i < len(lines):
            parts.append(lines[i].rstrip())
            i += 1
        m = HEREDOC.search(parts[-1])
        if m:
            tag = m.group(2)
            for j in range(i, len(lines)):
                if lines[j].strip() == tag:
                    parts.extend(b.rstrip() for b in lines[i:j + 1])
                    i = j + 1
                    break
        yield n, "\n".join(parts).strip()


def cheat_files(root):
    """(kept, skipped): paths relative to root/sheets, sorted."""
    base = os.path.join(root, "sheets")
    kept, skipped = [], []
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith("."):
                continue
            rel = os.path.relpath(os.path.join(dirpath, name), base).replace(os.sep, "/")
            top = rel.split("/")[0]
            if name == "_info.yaml" or ("/" in rel and top.startswith("_")
                                        and top not in SHELL_FOLDERS):
                skipped.append(rel)
            else:
                kept.append(rel)
    return sorted(kept), sorted(skipped)


def cheat_candidates(root):
    for rel in cheat_files(root)[0]:
        with open(os.path.join(root, "sheets", rel), encoding="utf-8") as fh:
            lines = fh.read().split("\n")
        for n, command in line_candidates(lines, 1):
            yield "cheatsh:%s:L%d" % (rel, n), command


def secret_candidates(root):
    with open(os.path.join(root, "README.md"), encoding="utf-8") as fh:
        text = fh.read()
    inside, tag, start, body = False, "", 0, []
    for n, line in enumerate(text.split("\n"), 1):
        m = FENCE.match(line)
        if m:
            if not inside:
                inside, tag, start, body = True, m.group(1), n + 1, []
            else:
                if tag == "bash":
                    for k, command in line_candidates(body, start):
                        yield "secret:L%d" % k, command
                inside = False
            continue
        if inside:
            body.append(line)


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
    ap.add_argument("--cheat", required=True, help="chubin/cheat.sheets tree at CHEAT_COMMIT")
    ap.add_argument("--secret", required=True,
                    help="the-book-of-secret-knowledge tree at SECRET_COMMIT")
    ap.add_argument("--existing", nargs="*", default=DEFAULT_EXISTING,
                    help="earlier corpora (jsonl) whose commands must not be kept again")
    ap.add_argument("--out", default=os.path.join(HERE, "fifth.jsonl"))
    ap.add_argument("--list", action="store_true",
                    help="print the candidates (ref, command, repeat) as JSON lines and stop")
    ap.add_argument("--skipped", action="store_true",
                    help="print the cheat.sheets files left out wholesale and stop")
    opts = ap.parse_args()

    if opts.skipped:
        for rel in cheat_files(opts.cheat)[1]:
            print(rel)
        return

    cands = list(cheat_candidates(opts.cheat)) + list(secret_candidates(opts.secret))
    refs = [r for r, _ in cands]
    if len(set(refs)) != len(refs):
        sys.exit("duplicate candidate refs")
    earlier = existing_commands(opts.existing)

    if opts.list:
        seen = set()
        for ref, command in cands:
            repeat = ("earlier-corpus" if command in earlier
                      else "candidate" if command in seen else "")
            seen.add(command)
            print(json.dumps({"ref": ref, "command": command, "repeat": repeat},
                             ensure_ascii=False))
        return

    labels = read_labels()
    missing = [r for r in refs if r not in labels]
    extra = sorted(set(labels) - set(refs))
    if missing or extra:
        sys.exit("labels out of step: %d unlabelled (%s), %d unknown (%s)"
                 % (len(missing), missing[:3], len(extra), extra[:3]))

    rows, seen = [], set(earlier)
    for ref, command in cands:
        letter, rule, family, near, _ = labels[ref]
        duplicate = command in seen
        seen.add(command)
        if (duplicate or not command) and letter != "X":
            sys.exit("%s is empty or repeats an earlier command but is not labelled X" % ref)
        if letter == "X":
            continue
        rows.append({
            "id": "fifth-%04d" % (len(rows) + 1),
            "command": command,
            "label": LABEL_OF[letter],
            "expect": EXPECT_OF[letter],
            "family": family,
            "rule": rule,
            "near_miss": near == "1",
            "obfuscation": "",
            "source": "cheat.sheets" if ref.startswith("cheatsh:") else "secret-knowledge",
            "ref": ref,
        })

    with open(opts.out, "w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=True) + "\n")
    print("%d candidates, %d rows written to %s" % (len(cands), len(rows), opts.out))


if __name__ == "__main__":
    main()

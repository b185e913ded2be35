#!/usr/bin/env python3
"""Build the fourth held-out safety corpus from cheat/cheatsheets and Bash-Oneliner.

Candidates, in this fixed order:

1. cheat/cheatsheets (commit CHEAT_COMMIT): every file of the tree outside dot-folders and
   not itself a dot-file (one cheatsheet per utility, the file name is the utility; the
   `vim-plugins/` subfolder included), in sorted order of its path relative to the tree.
   A YAML front matter (a first line `---` up to the next line `---`) is skipped. The rest is
   read line by line: blank lines and lines whose stripped text starts with `#` (comments)
   are skipped; a leading `$ ` prompt is removed; a line ending in `\\` is joined with the
   following lines (newline kept); a line that opens a here-document (`<<EOF`, `<< 'EOF'`,
   `<<-EOF`, not `<<<`) takes every following line up to the terminator, when the
   terminator is in the same file. Each result, stripped, is one candidate, referenced
   `cheat:<path>:L<line number of its first line>`.
2. onceupon/Bash-Oneliner (commit ONELINER_COMMIT), README.md: every fenced code block
   (```lang ... ```, whatever its language tag; the page tags almost all blocks `bash` or
   nothing) read line by line with the same rules, terminators looked for in the same block.
   Referenced `oneliner:L<line number in README.md>`.

Candidates are joined with the hand labels in labels.tsv (same folder) and written to
fourth.jsonl, byte for byte reproducible. Rows labelled X are left out. The script refuses
to write when a candidate has no label, a label has no candidate, a command is empty or
repeats an earlier candidate or a row of the earlier held-out corpora (given with
--existing; only their `command` field is read) and is not labelled X.

Standard library only. Never imports cmdai; never executes a command.

    python3 datasets/safety_fourth/build.py --cheat DIR --oneliner DIR [--existing FILE ...] [--out PATH]
    python3 datasets/safety_fourth/build.py --cheat DIR --oneliner DIR --list   (candidates as JSON lines)

DIR is the tree of the named commit (e.g. `git --git-dir=G archive COMMIT | tar -x -C DIR`).
"""
import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = os.path.join(HERE, "labels.tsv")
CHEAT_COMMIT = "36bdb99dcfadde210503d8c2dcf94b34ee950e1d"
ONELINER_COMMIT = "ed19fae72c02a33eb1742b0d0cfc91158f468c63"
FENCE = re.compile(r"^\s*```\s*([\w+-]*)\s*$")
PROMPT = re.compile(r"^\$\s+")
HEREDOC = re.compile(r"(?<!<)<<-?\s*(['\"]?)([A-Za-z_]\w*)\1")
DEFAULT_EXISTING = [os.path.join(HERE, "..", p) for p in (
    "safety_heldout/heldout.jsonl", "safety_heldout/heldout_gtfobins.jsonl",
    "safety_fresh/fresh.jsonl", "safety_third/third.jsonl")]
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
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if not name.startswith("."):
                found.append(os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/"))
    return sorted(found)


def cheat_candidates(root):
    for rel in cheat_files(root):
        with open(os.path.join(root, rel), encoding="utf-8") as fh:
            lines = fh.read().split("\n")
        start = 0
        if lines and lines[0].strip() == "---":
            for j in range(1, len(lines)):
                if lines[j].strip() == "---":
                    start = j + 1
                    break
        for n, command in line_candidates(lines[start:], start + 1):
            yield "cheat:%s:L%d" % (rel, n), command


def oneliner_candidates(root):
    with open(os.path.join(root, "README.md"), encoding="utf-8") as fh:
        text = fh.read()
    inside, start, body = False, 0, []
    for n, line in enumerate(text.split("\n"), 1):
        if FENCE.match(line):
            if not inside:
                inside, start, body = True, n + 1, []
            else:
                for m, command in line_candidates(body, start):
                    yield "oneliner:L%d" % m, command
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
    ap.add_argument("--cheat", required=True, help="cheat/cheatsheets tree at CHEAT_COMMIT")
    ap.add_argument("--oneliner", required=True, help="Bash-Oneliner tree at ONELINER_COMMIT")
    ap.add_argument("--existing", nargs="*", default=DEFAULT_EXISTING,
                    help="earlier corpora (jsonl) whose commands must not be kept again")
    ap.add_argument("--out", default=os.path.join(HERE, "fourth.jsonl"))
    ap.add_argument("--list", action="store_true",
                    help="print the candidates (ref, command, repeat) as JSON lines and stop")
    opts = ap.parse_args()

    cands = list(cheat_candidates(opts.cheat)) + list(oneliner_candidates(opts.oneliner))
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
            "id": "fourth-%04d" % (len(rows) + 1),
            "command": command,
            "label": LABEL_OF[letter],
            "expect": EXPECT_OF[letter],
            "family": family,
            "rule": rule,
            "near_miss": near == "1",
            "obfuscation": "",
            "source": "cheatsheets" if ref.startswith("cheat:") else "bash-oneliner",
            "ref": ref,
        })

    with open(opts.out, "w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=True) + "\n")
    print("%d candidates, %d rows written to %s" % (len(cands), len(rows), opts.out))


if __name__ == "__main__":
    main()

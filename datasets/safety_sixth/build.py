#!/usr/bin/env python3
"""Build the sixth held-out safety corpus from denisidoro/cheats and LeCoupa/awesome-cheatsheets.

Candidates, in this fixed order:

1. denisidoro/cheats (commit NAVI_COMMIT), navi cheatsheets: every file whose name ends in
   `.cheat`, outside dot-folders, in sorted order of its path relative to the repository root,
   except NAVI_SKIP (`os/osx.cheat`, macOS only). Each file is read line by line. Lines that
   are not commands are skipped by their first non-blank character: blank lines, `#`
   (a snippet's description), `%` (tags), `;` (comments), `@` (imports of another cheat's
   variables) and `$` followed by whitespace (a navi variable definition: how to fill a
   `<placeholder>`, `$ name: command --- options`; a command line of these files never starts
   with a `$ ` prompt). Every other line is a command line.
2. LeCoupa/awesome-cheatsheets (commit AWESOME_COMMIT), the shell files AWESOME_SH, in that
   order, read line by line: blank lines and lines whose stripped text starts with `#`
   (comments, section banners) are skipped; a leading `$ ` prompt is removed. Then the fenced
   code blocks (``` ... ```) of AWESOME_MD whose language tag is empty, `sh`, `shell` or
   `bash`, read with the same rules, terminators looked for in the same block
   (`tools/gcp.md` has no fenced block at that commit and gives no candidate).

For every command line (both sources): a trailing comment is removed: a `#` preceded by a
space or tab, outside single quotes, double quotes, backquotes, `$(...)` and `${...}`, starts
a comment that runs to the end of that physical line (the text before it is kept, right-
stripped). A line that then ends in `\\` is joined with the following lines (newline kept;
quote state carried over); a line that opens a here-document (`<<EOF`, `<< 'EOF'`,
`<<-EOF`, not `<<<`) takes every following line up to the terminator, unchanged (no comment
removal inside a here-document body), when the terminator is in the same file (block). Each
result, stripped, is one candidate, referenced `navi:<path>:L<line>` or
`awesome:<path>:L<line>` (line number of its first line).

Candidates are joined with the hand labels in labels.tsv (same folder) and written to
sixth.jsonl, byte for byte reproducible. Rows labelled X are left out. The script refuses
to write when a candidate has no label, a label has no candidate, a command is empty or
repeats an earlier candidate or a row of the earlier held-out corpora (given with
--existing; only their `command` field is read) and is not labelled X.

Standard library only. Never imports cmdai; never executes a command.

    python3 datasets/safety_sixth/build.py --navi DIR --awesome DIR [--existing FILE ...] [--out PATH]
    python3 datasets/safety_sixth/build.py --navi DIR --awesome DIR --list   (candidates as JSON lines)
    python3 datasets/safety_sixth/build.py --navi DIR --awesome DIR --skipped (files left out wholesale)

DIR is the tree of the named commit (e.g. `git --git-dir=G archive COMMIT | tar -x -C DIR`;
for awesome-cheatsheets `git --git-dir=G archive COMMIT LICENSE databases languages tools`).
"""
import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = os.path.join(HERE, "labels.tsv")
NAVI_COMMIT = "1339965e9615ce00174cc308a41279d9c59aa75f"
AWESOME_COMMIT = "8249479622d47f7b0ad6ba0f2258cb49e96cbd73"
NAVI_SKIP = ("os/osx.cheat",)
NAVI_SKIP_PREFIX = ("#", "%", ";", "@")
NAVI_VARIABLE = re.compile(r"^\$\s")
AWESOME_SH = (
    "languages/bash.sh", "databases/mongodb.sh", "databases/mysql.sh", "databases/redis.sh",
    "tools/aws.sh", "tools/curl.sh", "tools/docker.sh", "tools/git.sh", "tools/heroku.sh",
    "tools/nginx.sh", "tools/pm2.sh", "tools/ubuntu.sh", "tools/nanobox_cli.sh",
    "tools/drush.sh")
AWESOME_MD = ("tools/kubernetes.md", "tools/gcp.md")
SHELL_TAGS = ("", "sh", "shell", "bash")
FENCE = re.compile(r"^\s*```\s*([\w+-]*)\s*$")
PROMPT = re.compile(r"^\$\s+")
HEREDOC = re.compile(r"(?<!<)<<-?\s*(['\"]?)([A-Za-z_]\w*)\1")
DEFAULT_EXISTING = [os.path.join(HERE, "..", p) for p in (
    "safety_heldout/heldout.jsonl", "safety_heldout/heldout_gtfobins.jsonl",
    "safety_fresh/fresh.jsonl", "safety_third/third.jsonl", "safety_fourth/fourth.jsonl",
    "safety_fifth/fifth.jsonl")]
LABEL_OF = {"B": "benign", "S": "scoped", "C": "dangerous", "D": "dangerous"}
EXPECT_OF = {"B": "allow", "S": "allow", "C": "block", "D": "confirm"}
RULES = {"C": {"C%d" % i for i in range(1, 8)}, "D": {"D%d" % i for i in range(1, 9)},
         "S": {"scoped"}, "B": {"benign"}}


def strip_comment(line, state):
    """Remove a trailing shell comment from one physical line.

    `state` is a list of open quoting contexts carried from the previous physical line of the
    same candidate ("'", '"', "`", "(" for `$(`, "{" for `${`); it is updated in place.
    A `#` is a comment only when preceded by a space or tab and no context is open.
    """
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        top = state[-1] if state else ""
        if top == "'":
            if ch == "'":
                state.pop()
        elif ch == "\\":
            i += 2
            continue
        elif top == '"':
            if ch == '"':
                state.pop()
            elif ch == "`":
                state.append("`")
            elif line.startswith("$(", i):
                state.append("(")
                i += 1
            elif line.startswith("${", i):
                state.append("{")
                i += 1
        elif ch == "#" and not state and i > 0 and line[i - 1] in " \t":
            return line[:i].rstrip()
        elif ch == "'" and top != "{":
            state.append("'")
        elif ch == '"':
            state.append('"')
        elif ch == "`":
            if top == "`":
                state.pop()
            else:
                state.append("`")
        elif line.startswith("$(", i):
            state.append("(")
            i += 1
        elif line.startswith("${", i):
            state.append("{")
            i += 1
        elif ch == "(" and top == "(":
            state.append("(")
        elif ch == ")" and top == "(":
            state.pop()
        elif ch == "}" and top == "{":
            state.pop()
        i += 1
    return line


def line_candidates(lines, start, skip):
    """Yield (line number, candidate) for a list of raw lines whose first is line `start`.

    `skip(stripped)` says whether a stripped, non-blank line is not a command line.
    """
    i = 0
    while i < len(lines):
        n, stripped = start + i, lines[i].strip()
        i += 1
        if not stripped or skip(stripped):
            continue
        state = []
        parts = [strip_comment(PROMPT.sub("", stripped, count=1), state)]
        while parts[-1].endswith("\\") and i < len(lines):
            parts.append(strip_comment(lines[i].rstrip(), state))
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


def navi_skip(stripped):
    return stripped.startswith(NAVI_SKIP_PREFIX) or bool(NAVI_VARIABLE.match(stripped))


def sh_skip(stripped):
    return stripped.startswith("#")


def navi_files(root):
    """(kept, skipped): `.cheat` paths relative to root, sorted."""
    kept, skipped = [], []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith(".") or not name.endswith(".cheat"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/")
            (skipped if rel in NAVI_SKIP else kept).append(rel)
    return sorted(kept), sorted(skipped)


def read_lines(path):
    with open(path, encoding="utf-8") as fh:
        return fh.read().split("\n")


def navi_candidates(root):
    for rel in navi_files(root)[0]:
        for n, command in line_candidates(read_lines(os.path.join(root, rel)), 1, navi_skip):
            yield "navi:%s:L%d" % (rel, n), command


def awesome_candidates(root):
    for rel in AWESOME_SH:
        for n, command in line_candidates(read_lines(os.path.join(root, rel)), 1, sh_skip):
            yield "awesome:%s:L%d" % (rel, n), command
    for rel in AWESOME_MD:
        inside, tag, start, body = False, "", 0, []
        for n, line in enumerate(read_lines(os.path.join(root, rel)), 1):
            m = FENCE.match(line)
            if m:
                if not inside:
                    inside, tag, start, body = True, m.group(1).lower(), n + 1, []
                else:
                    if tag in SHELL_TAGS:
                        for k, command in line_candidates(body, start, sh_skip):
                            yield "awesome:%s:L%d" % (rel, k), command
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
                if rule != "-" or family != "-" or near:
                    sys.exit("labels.tsv:%d: X takes no rule/family/near_miss" % n)
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
    ap.add_argument("--navi", required=True, help="denisidoro/cheats tree at NAVI_COMMIT")
    ap.add_argument("--awesome", required=True,
                    help="LeCoupa/awesome-cheatsheets tree at AWESOME_COMMIT")
    ap.add_argument("--existing", nargs="*", default=DEFAULT_EXISTING,
                    help="earlier corpora (jsonl) whose commands must not be kept again")
    ap.add_argument("--out", default=os.path.join(HERE, "sixth.jsonl"))
    ap.add_argument("--list", action="store_true",
                    help="print the candidates (ref, command, repeat) as JSON lines and stop")
    ap.add_argument("--skipped", action="store_true",
                    help="print the navi files left out wholesale and stop")
    opts = ap.parse_args()

    if opts.skipped:
        for rel in navi_files(opts.navi)[1]:
            print(rel)
        return

    cands = list(navi_candidates(opts.navi)) + list(awesome_candidates(opts.awesome))
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
            "id": "sixth-%04d" % (len(rows) + 1),
            "command": command,
            "label": LABEL_OF[letter],
            "expect": EXPECT_OF[letter],
            "family": family,
            "rule": rule,
            "near_miss": near == "1",
            "obfuscation": "",
            "source": "navi-cheats" if ref.startswith("navi:") else "awesome-cheatsheets",
            "ref": ref,
        })

    with open(opts.out, "w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=True) + "\n")
    print("%d candidates, %d rows written to %s" % (len(cands), len(rows), opts.out))


if __name__ == "__main__":
    main()

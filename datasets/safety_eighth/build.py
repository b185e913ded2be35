#!/usr/bin/env python3
"""Build the eighth held-out safety corpus from rstacruz/cheatsheets and the-art-of-command-line.

Candidates, in this fixed order:

1. rstacruz/cheatsheets (devhints.io; commit DEVHINTS_COMMIT), the sheets DEVHINTS_FILES
   (command-line tools and system administration, chosen by file name), in that order. In
   each sheet, the fenced code blocks (an opening line of three or more backquotes with an
   optional language tag; closed by a line of at least as many backquotes and no tag, as
   CommonMark does) whose language tag is `sh`, `shell`, `bash` or `console` are read, and
   the untagged blocks listed in UNTAGGED_READ (untagged blocks whose lines are plainly shell
   command lines; every other untagged block holds option lists, tables, diagrams, ASCII-art
   samples, configuration or prose, and is not read). Ref `devhints:<file>:L<line>`.
2. jlevy/the-art-of-command-line (commit TAOCL_COMMIT), `README.md` (the English one): its
   fenced code blocks, read by the same rule (untagged blocks only where listed in
   UNTAGGED_READ), and its inline code spans that are complete commands (SPAN_COMMAND: after
   any leading `NAME=value` assignments, a first word of lowercase letters, digits and
   `._+-` that starts with a letter, followed by at least one more word). Block lines give
   ref `taocl:README.md:L<line>`; a code span gives `taocl:README.md:L<line>:S<k>`, where k
   counts the code spans of that source line from 1 (all spans, commands or not). Fenced
   lines and spans are taken in the order of the file (line, then column).

A block's lines (up to the opening fence's indentation removed) are read line by line: blank
lines and lines whose stripped text starts with `#` (comments, shebangs) are skipped; a
leading prompt (`$ `, or a path followed by `$ `, as `~/setup$ `) is removed.

For every command line: a trailing comment is removed: a `#` preceded by a space or tab,
outside single quotes, double quotes, backquotes, `$(...)` and `${...}`, starts a comment
that runs to the end of that physical line (the text before it is kept, right-stripped). A
line that then ends in `\\` is joined with the following lines (newline kept; quote state
carried over); a line that then leaves a quote, backquote, `$(` or `${` open is joined with
the following lines of the same block until it is closed (not joined when it is never
closed in that block); a line that opens a here-document (`<<EOF`, `<< 'EOF'`, `<<-EOF`, not
`<<<`) takes every following line up to the terminator, unchanged (no comment removal inside
a here-document body), when the terminator is in the same block. Each result, stripped, is
one candidate. A code span is one candidate as written (stripped), without comment removal.

Candidates are joined with the hand labels in labels.tsv (same folder) and written to
eighth.jsonl, byte for byte reproducible. Rows labelled X are left out. The script refuses
to write when a candidate has no label, a label has no candidate, a command is empty or
repeats an earlier candidate or a row of the earlier held-out corpora (given with
--existing; only their `command` field is read) and is not labelled X.

Standard library only. Never imports cmdai; never executes a command.

    python3 datasets/safety_eighth/build.py --devhints DIR --taocl DIR [--existing FILE ...] [--out PATH]
    python3 datasets/safety_eighth/build.py --devhints DIR --taocl DIR --list   (candidates as JSON lines)
    python3 datasets/safety_eighth/build.py --devhints DIR --taocl DIR --blocks (blocks read and skipped)

DIR is the tree of the named commit (e.g. `git --git-dir=G archive COMMIT | tar -x -C DIR`).
"""
import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = os.path.join(HERE, "labels.tsv")
DEVHINTS_COMMIT = "bf059536c6403deadd404b25320df2dc4608537d"
TAOCL_COMMIT = "6b50745d2e788add2e8f1ed29010e72659a9a074"
DEVHINTS_FILES = tuple(name + ".md" for name in (
    # shells, the command line, system administration
    "bash", "sh", "sh-pipes", "zsh", "fish-shell", "command_line", "ansi", "linux", "ubuntu",
    "cron", "man", "screen", "tmux", "top",
    # files, text, media
    "find", "grep", "sed", "tar", "rsync", "scp", "rename", "perl-pie", "imagemagick",
    "ffmpeg", "animated_gif", "figlet", "watchexec", "watchman",
    # network clients
    "curl", "httpie", "ncftp", "siege",
    # version control
    "git-branch", "git-extras", "git-log", "git-log-format", "git-revisions", "git-tricks",
    "tig", "gh-pages",
    # package and version managers
    "homebrew", "pacman", "yum", "npm", "yarn", "bundler", "rubygems", "rbenv", "composer",
    # containers, virtual machines, deployment, configuration management, process managers
    "docker", "docker-compose", "vagrant", "heroku", "deis", "flynn", "divshot", "awscli",
    "chef", "ansible", "ansible-guide", "ansible-roles", "ansible-examples", "ansible-modules",
    "bolt", "passenger", "pm2",
    # database command lines
    "mysql", "postgresql",
    # keys and secrets, devices
    "gnupg", "pass", "adb",
))
# Untagged blocks read, by (file, line of the opening fence): their lines are shell command
# lines (possibly with a prompt and the output a command prints). `--blocks` lists the rest.
UNTAGGED_READ = {
    "devhints": {
        "adb.md": (32, 39, 55, 69),
        "command_line.md": (72, 119, 135),
        "awscli.md": (9, 17, 26, 36, 43, 55),
        "deis.md": (9, 26, 36, 44, 60, 66),
        "docker.md": (30, 56, 75, 98, 109),
        "ansible-guide.md": (77, 85),
        "watchman.md": (28,),
        "divshot.md": (18, 34, 92, 100, 108),
    },
    "taocl": {
        "README.md": (160, 368),
    },
}
SOURCES = (
    ("devhints", "rstacruz-cheatsheets", DEVHINTS_FILES, False),
    ("taocl", "the-art-of-command-line", ("README.md",), True),
)
SHELL_TAGS = ("sh", "shell", "bash", "console")
FENCE = re.compile(r"^(\s*>[ \t]?)?([ \t]*)(`{3,})[ \t]*([\w+-]*)[ \t]*$")
QUOTE_PREFIX = re.compile(r"^\s*>[ \t]?")
PROMPT = re.compile(r"^[\w.~/@:-]*\$\s+")
HEREDOC = re.compile(r"(?<!<)<<-?\s*(['\"]?)([A-Za-z_]\w*)\1")
CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")
SPAN_COMMAND = re.compile(r"^(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*[a-z][a-z0-9_.+-]*\s+\S")
DEFAULT_EXISTING = [os.path.join(HERE, "..", p) for p in (
    "safety_heldout/heldout.jsonl", "safety_heldout/heldout_gtfobins.jsonl",
    "safety_fresh/fresh.jsonl", "safety_third/third.jsonl", "safety_fourth/fourth.jsonl",
    "safety_fifth/fifth.jsonl", "safety_sixth/sixth.jsonl", "safety_seventh/seventh.jsonl")]
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


def line_candidates(lines, start):
    """Yield (line number, candidate) for a block's lines, the first of which is line `start`."""
    i = 0
    while i < len(lines):
        n, stripped = start + i, lines[i].strip()
        i += 1
        if not stripped or stripped.startswith("#"):
            continue
        state = []
        parts = [strip_comment(PROMPT.sub("", stripped, count=1), state)]
        while True:
            while parts[-1].endswith("\\") and i < len(lines):
                parts.append(strip_comment(lines[i].rstrip(), state))
                i += 1
            if not state:
                break
            # an open quote or substitution: join up to the line that closes it, if any
            trial, j = list(state), i
            more = []
            while trial and j < len(lines):
                more.append(strip_comment(lines[j].rstrip(), trial))
                j += 1
            if trial:
                break
            parts.extend(more)
            state, i = trial, j
        m = HEREDOC.search(parts[-1])
        if m:
            tag = m.group(2)
            for j in range(i, len(lines)):
                if lines[j].strip() == tag:
                    parts.extend(b.rstrip() for b in lines[i:j + 1])
                    i = j + 1
                    break
        yield n, "\n".join(parts).strip()


def read_lines(path):
    with open(path, encoding="utf-8") as fh:
        return fh.read().split("\n")


def blocks(lines, untagged_read):
    """Yield (fence line, tag, quoted, read, body lines) for each fenced block.

    Also yields ("span", line number, line text) for every line outside a fenced block,
    as (None, n, text, None, None).
    """
    inside = False
    for n, line in enumerate(lines, 1):
        m = FENCE.match(line)
        if m and not inside:
            inside, quoted, indent = True, bool(m.group(1)), len(m.group(2))
            width, tag, fence, body = len(m.group(3)), m.group(4).lower(), n, []
            continue
        if m and inside and len(m.group(3)) >= width and not m.group(4):
            inside = False
            read = tag in SHELL_TAGS or (tag == "" and fence in untagged_read)
            yield fence, tag, quoted, read, body
            continue
        if inside:
            if quoted:
                line = QUOTE_PREFIX.sub("", line, count=1)
            k = 0
            while k < indent and k < len(line) and line[k] == " ":
                k += 1
            body.append(line[k:])
        else:
            yield None, n, line, None, None


def candidates(key, root, files, spans):
    for rel in files:
        found = []
        untagged = UNTAGGED_READ.get(key, {}).get(rel, ())
        for fence, tag, quoted, read, body in blocks(read_lines(os.path.join(root, rel)),
                                                     untagged):
            if fence is None:
                if spans:
                    n, text = tag, quoted
                    for k, m in enumerate(CODE_SPAN.finditer(text), 1):
                        span = m.group(2).strip()
                        if SPAN_COMMAND.match(span):
                            found.append(((n, m.start()), "%s:%s:L%d:S%d" % (key, rel, n, k),
                                          span))
                continue
            if read:
                for n, command in line_candidates(body, fence + 1):
                    found.append(((n, -1), "%s:%s:L%d" % (key, rel, n), command))
        found.sort(key=lambda item: item[0])
        for _, ref, command in found:
            yield ref, command


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
    ap.add_argument("--devhints", required=True,
                    help="rstacruz/cheatsheets tree at DEVHINTS_COMMIT")
    ap.add_argument("--taocl", required=True,
                    help="jlevy/the-art-of-command-line tree at TAOCL_COMMIT")
    ap.add_argument("--existing", nargs="*", default=DEFAULT_EXISTING,
                    help="earlier corpora (jsonl) whose commands must not be kept again")
    ap.add_argument("--out", default=os.path.join(HERE, "eighth.jsonl"))
    ap.add_argument("--list", action="store_true",
                    help="print the candidates (ref, command, repeat) as JSON lines and stop")
    ap.add_argument("--blocks", action="store_true",
                    help="print every fenced block (line, tag, blockquoted, read) and stop")
    opts = ap.parse_args()
    roots = {"devhints": opts.devhints, "taocl": opts.taocl}

    if opts.blocks:
        for key, _, files, _ in SOURCES:
            for rel in files:
                untagged = UNTAGGED_READ.get(key, {}).get(rel, ())
                for fence, tag, quoted, read, body in blocks(
                        read_lines(os.path.join(roots[key], rel)), untagged):
                    if fence is None:
                        continue
                    print("%s:%s:L%d\ttag=%s\tquoted=%d\tread=%d\tlines=%d"
                          % (key, rel, fence, tag or "-", quoted, read, len(body)))
        return

    cands = []
    for key, _, files, spans in SOURCES:
        cands.extend(candidates(key, roots[key], files, spans))
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

    source_of = {key: name for key, name, _, _ in SOURCES}
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
            "id": "eighth-%04d" % (len(rows) + 1),
            "command": command,
            "label": LABEL_OF[letter],
            "expect": EXPECT_OF[letter],
            "family": family,
            "rule": rule,
            "near_miss": near == "1",
            "obfuscation": "",
            "source": source_of[ref.split(":", 1)[0]],
            "ref": ref,
        })

    with open(opts.out, "w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=True) + "\n")
    print("%d candidates, %d rows written to %s" % (len(cands), len(rows), opts.out))


if __name__ == "__main__":
    main()

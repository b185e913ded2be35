#!/usr/bin/env python3
"""Build the tenth held-out safety corpus from developer and operations tools' documentation.

Candidates, in this fixed order (SOURCES below; each source at a fixed commit, with a fixed
list of files chosen by topic; the aws source and nine Rails/Laravel files were added after a
first labelling pass, as the datasheet README.md declares):

1. rails      rails/rails, the Rails Guides (`guides/source/*.md`), CC BY-SA 4.0
2. laravel    laravel/docs, the Laravel documentation (`*.md`), MIT
3. helm       helm/helm-www, the Helm documentation (`docs/**.md(x)`), MIT
4. docker     docker/cli, the Docker CLI reference (`docs/reference/commandline/*.md`), Apache-2.0
5. kubectl    kubernetes/kubectl, the examples of kubectl's commands (`pkg/cmd/**.go`,
              the text of `kubectl <command> --help` and of the kubectl reference), Apache-2.0
6. gh         cli/cli, the examples of GitHub CLI's commands (`pkg/cmd/**.go`, the text of
              `gh <command> --help` and of the gh manual), MIT
7. poetry     python-poetry/poetry, the Poetry documentation (`docs/*.md`), MIT
8. aws        aws/aws-cli, the AWS CLI's command examples (`awscli/examples/**.rst`, the
              examples of the AWS CLI command reference), Apache-2.0

Markdown sources: fenced code blocks. An opening line of three or more backquotes
(indentation allowed) with an optional language tag (anything after the tag, such as
`{title=...}`, is ignored); closed by a line of at least as many backquotes and no tag, as
CommonMark does. Blocks tagged `bash`, `sh`, `shell`, `console`, `zsh`, `shell-session`,
`dotnetcli` (kept from the first pass's EF Core source; no file read now uses it) or untagged
are read; blocks of other tags (`php`, `ruby`, `yaml`, `powershell`, `text`, ...) are not.

Go sources (kubectl, gh): an example block is the body of a Go raw string that opens at the
end of a line with `templates.Examples(i18n.T(\\``, `templates.Examples(\\`` (kubectl) or
`Example: heredoc.Doc(\\`` (gh), up to the line holding the closing backquote (its text before
the backquote is the block's last line). The body is dedented by its common indentation, as
`templates.Examples` and `heredoc.Doc` do. It is read as an untagged block.

reStructuredText source (aws): literal blocks. A line ending in `::` (not a `.. directive::`)
opens one; its body is the following indented lines (blank lines inside kept), up to the
first non-blank line indented no deeper than the opening line; the body is dedented. A
literal block is read when its first line starts with `aws ` (the command examples); the
other literal blocks (`Output::`, JSON files, ...) are not. It is read as an untagged block.

A block is **skipped as a script** when one of its lines is a shebang (`#!`) or starts with a
shell skeleton keyword (`then`, `do`, `done`, `fi`, `else`, `elif`, `esac`) or is a lone `}`:
a multi-line script is not one command.

Inside a read block: when any line starts with a prompt (`$ `, `path$ `, `user@host:dir$ `,
`user@host:dir# `, `[user@host dir]$ `, `[user@host dir]# ` or `[user@host]`), the block is
in **prompt mode**: only prompted lines (and their continuation lines) are candidates, the rest
is the output they print. Otherwise every line is a candidate. Blank lines and lines whose
stripped text starts with `#` (comments) are skipped in both modes.

For every command line: a trailing comment is removed (a `#` preceded by a space or tab,
outside quotes, backquotes, `$(...)` and `${...}`); a line ending in `\\` is joined with the
following lines (newline kept); a line that leaves a quote, backquote, `$(` or `${` open is
joined with the following lines of the same block up to the one that closes it (not joined
when it is never closed); a line that opens a here-document takes the lines up to its
terminator, unchanged, when the terminator is in the same block. Each result, stripped, is
one candidate. Ref `<source key>:<file path below the source's folder>:L<line>`.

Candidates are joined with the hand labels in labels.tsv (same folder) and written to
tenth.jsonl, byte for byte reproducible. Rows labelled X are left out. The script refuses to
write when a candidate has no label, a label has no candidate, or a command is empty or
repeats an earlier candidate or a row of the earlier held-out corpora (given with
--existing; only their `command` field is read, never printed) and is not labelled X.

Standard library only. Never imports cmdai; never executes a command.

    python3 datasets/safety_tenth/build.py --root DIR [--existing FILE ...] [--out PATH]
    python3 datasets/safety_tenth/build.py --root DIR --list    (candidates as JSON lines)
    python3 datasets/safety_tenth/build.py --root DIR --blocks  (blocks read and skipped)

(`--blocks` gives each block by the line just before its body: the opening fence, the Go
line that opens the raw string, or the line before an RST literal block's first line.)

DIR holds one folder per source, named `<owner>+<name>` (e.g. `DIR/rails+rails`), each the
tree of the named commit (`git --git-dir=G archive COMMIT | tar -x -C DIR/<owner>+<name>`).
"""
import argparse
import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = os.path.join(HERE, "labels.tsv")

# (key, repository, commit, license, folder inside the repository, kind, files)
# Files are fixed by name and topic (command-line tools, databases and migrations, queues,
# caches, deployment, local environments, containers, clusters, packages, cloud resources);
# a name with `*` is a glob, expanded in sorted order. For the Go sources every non-test
# `.go` file under the folder is read, in path order; only its example blocks give
# candidates.
SOURCES = (
    ("rails", "rails/rails", "2a2db1e8d6d104ee0611efcae7eb023af65cff34", "CC-BY-SA-4.0",
     "guides/source", "md", (
         "command_line.md", "active_record_migrations.md",
         "active_record_multiple_databases.md", "asset_pipeline.md", "caching_with_rails.md",
         "active_storage_overview.md", "install_ruby_on_rails.md",
         "upgrading_ruby_on_rails.md",
         # added after the first labelling pass (see README, "How the rows were chosen")
         "contributing_to_ruby_on_rails.md", "development_dependencies_install.md",
         "security.md")),
    ("laravel", "laravel/docs", "86077535bbfdc2ab29cd9f202ee1ab3e7e6e18e6", "MIT",
     "", "md", (
         "artisan.md", "migrations.md", "seeding.md", "database.md", "queues.md", "cache.md",
         "configuration.md", "deployment.md", "sail.md", "scheduling.md", "filesystem.md",
         "horizon.md", "octane.md", "installation.md", "envoy.md", "logging.md",
         "telescope.md", "pulse.md", "passport.md", "valet.md", "homestead.md",
         "upgrade.md", "starter-kits.md", "testing.md",
         # added after the first labelling pass (see README, "How the rows were chosen")
         "scout.md", "pennant.md", "passwords.md", "eloquent.md", "routing.md", "views.md")),
    ("helm", "helm/helm-www", "227f41447a683545325e87aedf10c67096d11004", "MIT",
     "docs", "md", (
         "intro/CheatSheet.mdx", "intro/install.mdx", "intro/quickstart.md",
         "intro/using_helm.mdx", "topics/chart_repository.md", "topics/chart_tests.md",
         "topics/plugins.mdx", "topics/provenance.mdx", "topics/rbac.md",
         "topics/registries.mdx", "howto/chart_repository_sync_example.md")),
    ("docker", "docker/cli", "28f756087eea5fa301f3fbf12b01ae62f91521c2", "Apache-2.0",
     "docs/reference/commandline", "md", tuple(name + ".md" for name in (
         "container_rm", "container_prune", "container_kill", "container_stop",
         "container_exec", "container_cp", "container_logs", "container_ls", "container_run",
         "image_rm", "image_prune", "image_ls", "volume_rm", "volume_prune", "volume_create",
         "volume_ls", "network_rm", "network_prune", "network_create", "network_ls",
         "builder_prune", "system_prune", "system_df", "context_rm", "secret_rm",
         "secret_create", "config_rm", "stack_rm", "service_rm", "node_rm", "plugin_rm",
         "swarm_leave", "login", "logout"))),
    ("kubectl", "kubernetes/kubectl", "dee3483a3d6a64c07fdf746caf80af446dee99ac",
     "Apache-2.0", "pkg/cmd", "go", None),
    ("gh", "cli/cli", "44ee17760709bedf1cad7e452e61751489b81a33", "MIT",
     "pkg/cmd", "go", None),
    ("poetry", "python-poetry/poetry", "f46702336862f30050d5c641d5ed6f7568ded793", "MIT",
     "docs", "md", (
         "_index.md", "basic-usage.md", "cli.md", "managing-environments.md",
         "managing-dependencies.md", "repositories.md", "configuration.md", "plugins.md",
         "libraries.md")),
    ("aws", "aws/aws-cli", "07c4fe366b49c4dde816d674f4941134fc432673", "Apache-2.0",
     "awscli/examples", "rst", ("s3/*.rst",) + tuple(
         "%s/%s-*.rst" % (service, verb)
         for service in ("s3api", "dynamodb", "rds", "elasticache", "cloudformation", "eks",
                         "ecs", "ecr", "lambda", "logs", "secretsmanager", "sqs")
         for verb in ("create", "delete"))),
)
SOURCE_NAME = {"rails": "rails-guides", "laravel": "laravel-docs", "helm": "helm-docs", "docker": "docker-cli-docs", "kubectl": "kubectl-examples",
               "gh": "gh-cli-examples", "poetry": "poetry-docs", "aws": "aws-cli-examples"}
SHELL_TAGS = ("", "sh", "shell", "bash", "console", "zsh", "shell-session", "dotnetcli")
FENCE = re.compile(r"^([ \t]*)(`{3,})[ \t]*([\w+-]*)[^`]*$")
GO_OPEN = re.compile(r"(templates\.Examples\((i18n\.T\()?|Example:\s*heredoc\.Doc\()`\s*$")
SCRIPT_LINE = re.compile(r"^(#!|(then|do|done|fi|else|elif|esac)\b|\}\s*$)")
PROMPT = re.compile(r"^(\[[\w.~/ -]*@[\w.~/ -]*\][#$]?|[\w.-]+@[\w.-]+:[\w.~/-]*[#$]|[\w.~/-]*\$)\s+")
HEREDOC = re.compile(r"(?<!<)<<-?\s*(['\"]?)([A-Za-z_]\w*)\1")
EARLIER = ("safety_heldout", "safety_fresh", "safety_third", "safety_fourth", "safety_fifth",
           "safety_sixth", "safety_seventh", "safety_eighth", "safety_ninth")
DEFAULT_EXISTING = sorted(p for d in EARLIER
                          for p in glob.glob(os.path.join(HERE, "..", d, "*.jsonl")))
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


def is_script(lines):
    return any(SCRIPT_LINE.match(line.strip()) for line in lines)


def line_candidates(lines, start):
    """Yield (line number, candidate) for a block's lines, the first of which is line `start`."""
    prompt_mode = any(PROMPT.match(line.strip()) for line in lines)
    i = 0
    while i < len(lines):
        n, stripped = start + i, lines[i].strip()
        i += 1
        if not stripped or stripped.startswith("#"):
            continue
        if prompt_mode:
            if not PROMPT.match(stripped):
                continue
            stripped = PROMPT.sub("", stripped, count=1).strip()
            if not stripped or stripped.startswith("#"):
                continue
        state = []
        parts = [strip_comment(stripped, state)]
        while True:
            while parts[-1].endswith("\\") and i < len(lines):
                parts.append(strip_comment(lines[i].rstrip(), state))
                i += 1
            if not state:
                break
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


def md_blocks(lines):
    """Yield (fence line, tag, why-not-read or "", body lines) for each fenced block."""
    inside = False
    for n, line in enumerate(lines, 1):
        m = FENCE.match(line)
        if m and not inside:
            inside, indent = True, len(m.group(1))
            width, tag, fence, body = len(m.group(2)), m.group(3).lower(), n, []
            continue
        if m and inside and len(m.group(2)) >= width and not m.group(3) \
                and line.strip() == m.group(2):
            inside = False
            if tag not in SHELL_TAGS:
                why = "tag"
            elif is_script(body):
                why = "script"
            else:
                why = ""
            yield fence, tag, why, body
            continue
        if inside:
            k = 0
            while k < indent and k < len(line) and line[k] in " \t":
                k += 1
            body.append(line[k:])


def dedent(body):
    widths = [len(b) - len(b.lstrip(" \t")) for b in body if b.strip()]
    cut = min(widths) if widths else 0
    return [b[cut:] if b.strip() else "" for b in body]


def go_blocks(lines):
    """Yield (opening line, "go", why-not-read or "", body lines) for each example block."""
    i = 0
    while i < len(lines):
        if GO_OPEN.search(lines[i]):
            start, body, j = i + 1, [], i + 1
            while j < len(lines) and "`" not in lines[j]:
                body.append(lines[j])
                j += 1
            if j < len(lines):
                last = lines[j].split("`", 1)[0]
                if last.strip():
                    body.append(last)
            body = dedent(body)
            yield start, "go", "script" if is_script(body) else "", body
            i = j + 1
            continue
        i += 1


RST_OPEN = re.compile(r"::\s*$")


def rst_blocks(lines):
    """Yield (opening line, "rst", why-not-read or "", body lines) for each literal block."""
    i = 0
    while i < len(lines):
        line = lines[i]
        if RST_OPEN.search(line) and not line.lstrip().startswith(".."):
            indent = len(line) - len(line.lstrip(" \t"))
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines) and len(lines[j]) - len(lines[j].lstrip(" \t")) > indent:
                start, body = i + 1, []
                k = j
                while k < len(lines) and (not lines[k].strip() or
                                          len(lines[k]) - len(lines[k].lstrip(" \t")) > indent):
                    body.append(lines[k])
                    k += 1
                while body and not body[-1].strip():
                    body.pop()
                body = dedent(body)
                why = "" if body[0].startswith("aws ") else "not-aws"
                if not why and is_script(body):
                    why = "script"
                yield j, "rst", why, body  # line j + 1 is the body's first line
                i = k
                continue
        i += 1


def source_files(source, root):
    key, repo, commit, lic, folder, kind, files = source
    base = os.path.join(root, repo.replace("/", "+"), folder)
    if files is not None:
        out = []
        for rel in files:
            if "*" in rel:
                found = sorted(glob.glob(os.path.join(base, rel)))
                out.extend((os.path.relpath(p, base).replace(os.sep, "/"), p) for p in found)
            else:
                out.append((rel, os.path.join(base, rel)))
        return out
    out = []
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames.sort()
        for name in filenames:
            if name.endswith(".go") and not name.endswith("_test.go"):
                path = os.path.join(dirpath, name)
                out.append((os.path.relpath(path, base).replace(os.sep, "/"), path))
    return sorted(out)


def all_blocks(source, root):
    for rel, path in source_files(source, root):
        lines = read_lines(path)
        gen = {"md": md_blocks, "go": go_blocks, "rst": rst_blocks}[source[5]](lines)
        for start, tag, why, body in gen:
            yield rel, start, tag, why, body


def candidates(source, root):
    for rel, start, tag, why, body in all_blocks(source, root):
        if why:
            continue
        for n, command in line_candidates(body, start + 1):
            yield "%s:%s:L%d" % (source[0], rel, n), command


def read_labels():
    labels = {}
    with open(LABELS, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 6:
                sys.exit("labels.tsv:%d: expected 6 fields" % n)
            ref, letter, rule, family, near, reason = fields
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
    ap.add_argument("--root", required=True,
                    help="folder holding <owner>+<name>/ trees of the sources at their commits")
    ap.add_argument("--existing", nargs="*", default=DEFAULT_EXISTING,
                    help="earlier corpora (jsonl) whose commands must not be kept again")
    ap.add_argument("--out", default=os.path.join(HERE, "tenth.jsonl"))
    ap.add_argument("--list", action="store_true",
                    help="print the candidates (ref, command, repeat) as JSON lines and stop")
    ap.add_argument("--blocks", action="store_true",
                    help="print every block (line, tag, read or why not) and stop")
    opts = ap.parse_args()

    if opts.blocks:
        for source in SOURCES:
            for rel, start, tag, why, body in all_blocks(source, opts.root):
                print("%s:%s:L%d\ttag=%s\tread=%s\tlines=%d"
                      % (source[0], rel, start, tag or "-", why or "yes", len(body)))
        return

    cands = []
    for source in SOURCES:
        cands.extend(candidates(source, opts.root))
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
            "id": "tenth-%04d" % (len(rows) + 1),
            "command": command,
            "label": LABEL_OF[letter],
            "expect": EXPECT_OF[letter],
            "family": family,
            "rule": rule,
            "near_miss": near == "1",
            "obfuscation": "",
            "source": SOURCE_NAME[ref.split(":", 1)[0]],
            "ref": ref,
        })

    with open(opts.out, "w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=True) + "\n")
    print("%d candidates, %d rows written to %s" % (len(cands), len(rows), opts.out))


if __name__ == "__main__":
    main()

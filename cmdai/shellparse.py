"""Bash read by a real grammar (tree-sitter-bash): the simple commands a line would run.

``analyse`` walks the syntax tree of a command line and returns every simple command it would
run (in pipelines, lists, subshells, command and process substitutions, functions, loops),
normalised for matching: words with their quotes, backslashes and ``$'...'`` escapes resolved,
``$HOME`` read as ``~``, utility paths reduced to their names, wrappers (``sudo``, ``env``,
``nice``, ``timeout``...) peeled off, path targets resolved lexically (``/usr/../`` is ``/``,
``/b?n`` is ``/bin``). Code handed to another program is analysed too, recursively: ``bash -c``,
``eval``, ``ssh host CMD``, ``watch``, ``su -c``, ``xargs``, ``find -exec``, here-documents and
here-strings fed to a shell, and literal text (``echo``/``printf``, through ``base64 -d``,
``xxd -r -p`` or ``rev``) piped into a shell or ``xargs``, or written where a shell runs it
later (``>> ~/.bashrc``, ``| crontab -``, ``| tee /etc/cron.d/x``). A ``for`` loop's variable reads
as the words it ranges over, and each command keeps its own redirections. Nothing here runs
anything.

tree-sitter is imported on first use, so importing this module costs nothing on the CLI's
``--help`` path.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import functools
import posixpath
import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Node, Parser

MAX_DEPTH = 6
"""Code nested deeper than this (``bash -c "eval 'sh -c ...'"``) is reported, not followed."""

MAX_NESTED = 64
"""At most this many pieces of nested code are analysed per command line (bounds the time)."""

SHELLS = frozenset(
    "sh bash zsh ksh dash ash mksh yash fish csh tcsh rbash busybox-sh".split()  # noqa: SIM905
)
"""Programs that run their ``-c`` argument or their standard input as shell code."""

_SOURCE = frozenset({"source", ".", "eval"})

SETUP_PRINTERS = frozenset(
    "ssh-agent gpg-agent keychain pyenv rbenv nodenv goenv jenv direnv brew conda mamba "  # noqa: SIM905
    "starship zoxide fnm opam mise rtx dircolors thefuck luarocks rustup".split()
)
"""Tools whose documented output is shell setup code (``eval "$(pyenv init -)"``): running
that output is as trusted as running the tool, so it is not a run-time command name."""

# Wrappers: the options that take a value, and how many positional words precede the command.
_WRAPPERS: dict[str, tuple[frozenset[str], int]] = {
    "sudo": (
        frozenset(
            [
                "-u",
                "-g",
                "-C",
                "-D",
                "-h",
                "-p",
                "-r",
                "-t",
                "-U",
                "-T",
                "--user",
                "--group",
                "--host",
                "--prompt",
            ]
        ),
        0,
    ),
    "doas": (frozenset({"-u", "-C"}), 0),
    "env": (frozenset({"-u", "-C", "--unset", "--chdir"}), 0),
    "nice": (frozenset({"-n", "--adjustment"}), 0),
    "ionice": (frozenset({"-c", "-n", "-p", "--class", "--classdata"}), 0),
    "chrt": (frozenset(), 1),
    "taskset": (frozenset(), 1),
    "nohup": (frozenset(), 0),
    "setsid": (frozenset(), 0),
    "time": (frozenset({"-f", "-o", "--format", "--output"}), 0),
    "command": (frozenset(), 0),
    "exec": (frozenset({"-a"}), 0),
    "builtin": (frozenset(), 0),
    "stdbuf": (frozenset({"-i", "-o", "-e"}), 0),
    "timeout": (frozenset({"-s", "-k", "--signal", "--kill-after"}), 1),
    "chroot": (frozenset({"--userspec", "--groups"}), 1),
    "flock": (frozenset({"-w", "-E", "--timeout", "--conflict-exit-code"}), 1),
    "runuser": (frozenset({"-u", "-g", "-G", "--user", "--group"}), 0),
    "unbuffer": (frozenset(), 0),
    "busybox": (frozenset(), 0),
    "caffeinate": (frozenset({"-t", "-w"}), 0),
    "strace": (frozenset({"-e", "-o", "-p", "-s", "-u"}), 0),
    "ltrace": (frozenset({"-e", "-o", "-p", "-s", "-u"}), 0),
}
WRAPPERS = frozenset(_WRAPPERS)
"""Commands that run another command (``sudo``, ``env``, ``nice``...): peeled off in ``argv``."""

_SSH_VALUE_OPTIONS = frozenset(
    [
        "-b",
        "-c",
        "-D",
        "-E",
        "-e",
        "-F",
        "-I",
        "-i",
        "-J",
        "-L",
        "-l",
        "-m",
        "-O",
        "-o",
        "-p",
        "-Q",
        "-R",
        "-S",
        "-W",
        "-w",
    ]
)
_XARGS_VALUE_OPTIONS = frozenset(
    ["-a", "-d", "-E", "-e", "-I", "-i", "-L", "-l", "-n", "-P", "-s", "--delimiter"]
)
_WATCH_VALUE_OPTIONS = frozenset({"-n", "--interval", "-q", "--equexit"})
_FIND_EXEC = frozenset({"-exec", "-execdir", "-ok", "-okdir"})
_INTERPRETERS = re.compile(
    r"^(?:python[0-9.]*|pypy3?|perl[0-9.]*|ruby[0-9.]*|node|nodejs|deno|bun|php[0-9.]*|lua[0-9.]*"
    r"|luajit|awk|gawk|mawk|nawk|pwsh|powershell)$"
)
_CONTAINERS = frozenset({"docker", "podman", "nerdctl"})

# Long options that matter to the rules, so ``--rec`` (GNU accepts unambiguous prefixes) and
# ``--recursive`` read the same.
_LONG_OPTIONS: dict[str, tuple[str, ...]] = {
    "rm": ("--recursive", "--force", "--no-preserve-root", "--dir", "--interactive", "--verbose"),
    "chmod": ("--recursive", "--changes", "--silent", "--quiet", "--verbose", "--reference"),
    "chown": ("--recursive", "--changes", "--silent", "--quiet", "--verbose", "--reference"),
    "chgrp": ("--recursive", "--changes", "--silent", "--quiet", "--verbose", "--reference"),
    "shred": ("--remove", "--zero", "--force", "--iterations", "--verbose", "--exact"),
}

# Where a lost directory wrecks the system; used to resolve globs such as /b?n or /e*.
VITAL_DIRS = tuple(
    [
        "/",
        "/bin",
        "/boot",
        "/dev",
        "/etc",
        "/home",
        "/lib",
        "/lib32",
        "/lib64",
        "/opt",
        "/proc",
        "/root",
        "/sbin",
        "/srv",
        "/sys",
        "/usr",
        "/var",
        "/mnt",
        "/media",
        "/Users",
        "/System",
        "/Library",
        "/Applications",
        "/private",
    ]
)

_HOME_STAND_IN = "/home/~"
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_IFS = re.compile(r"\$\{IFS[^}]*\}|\$IFS\b")
_BRACE_COMMAND = re.compile(r"(?:^|(?<=[;&|(`\n]))\s*\{((?:[^{},\s]+,)+[^{},\s]+)\}")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_BRACE_WORD = re.compile(r"^(.*?)\{([^{}]*,[^{}]*)\}(.*)$", re.DOTALL)
_POSITIONAL = frozenset("@*#0123456789")
_DQ_ESCAPE = re.compile(r"\\([\\$`\"\n])")
_SLASHES = re.compile(r"/{2,}")
_BACKSLASH = re.compile(r"\\(.)", re.DOTALL)
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
def _parser() -> Parser:
    import tree_sitter
    import tree_sitter_bash

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_bash.language()))


def _parsable(text: str) -> bytes:
    """UTF-8 for the parser, with astral-plane characters replaced by U+FFFD.

    tree-sitter-bash 0.25.1's scanner crashes the process (SIGSEGV) on some characters above
    U+FFFF after ``{`` (found by fuzzing: ``"{" + chr(0x10FFFD)``); no shell word the rules read
    needs them.
    """
    return _ASTRAL.sub("\ufffd", text).encode("utf-8", "replace")


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
        tree = _parser().parse(_parsable(text))
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
        wrappers, argv, codes = peel(words)
        for code in codes:
            self.code(code, depth + 1)
        if not argv:
            return None
        argv = [argv[0], *normalise_options(argv[0], argv[1:])]
        if argv[0] == "cd":
            self.cwd = argv[1] if len(argv) > 1 and argv[1].startswith(("/", "~")) else ""
        elif self.cwd:  # `cd / && rm -rf *` deletes /*
            argv = [argv[0], *(_in_dir(self.cwd, a) for a in argv[1:])]
        self.commands.append(
            SimpleCommand(tuple(argv), tuple(wrappers), depth, dynamic, redirects, stdin)
        )
        name, args = argv[0], argv[1:]
        for code in nested_code(name, args):
            self.code(code, depth + 1)
        for inner in nested_argv(name, args):
            self.argv(inner, depth + 1, None)
        if _INTERPRETERS.match(name) or name in _CONTAINERS:
            self.inline(name, args, depth)
        runs_input = name in SHELLS and not _has_script(args)
        if substituted and (name in SHELLS or name in _SOURCE):
            self.pipelines.append(f"{substituted} | sh")
        if stdin is not None and runs_input:
            self.code(stdin, depth + 1)
        if stdin is not None and name == "xargs":
            run = nested_argv(name, args)
            self.argv([*(run[0] if run else ["echo"]), *stdin.split()], depth + 1, None)
        output = literal_output(name, args, stdin)
        # Code written where a shell runs it later (a startup file, a crontab) is code too.
        sinks = [r.target for r in redirects if ">" in r.operator] if output is not None else []
        if stdin is not None and name == "tee":
            output, sinks = stdin, [a for a in args if not a.startswith("-")]
        if stdin is not None and name == "crontab" and all(a == "-" for a in args):
            output, sinks = stdin, ["crontab"]
        for sink in sinks:
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
            return self.variables[name]
        for child in node.named_children:  # ${x:-$(rm -rf /)} still runs the substitution
            if child not in names:
                self.walk(child, depth)
        return text


# -- pure helpers (small, typed, tested through analyse) ---------------------------------
def peel(words: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Split ``sudo env X=1 nice -n 5 rm -rf /`` into wrappers, the real argv, and any code.

    Returns:
        (wrappers, argv with argv[0] reduced to its name, code strings such as ``env -S``'s).
    """
    wrappers: list[str] = []
    codes: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if _ASSIGNMENT.match(word):
            i += 1
            continue
        name = utility_name(word)
        if name not in _WRAPPERS:
            return wrappers, [name, *words[i + 1 :]], codes
        wrappers.append(name)
        takes_value, positional = _WRAPPERS[name]
        i += 1
        while i < len(words) and words[i].startswith("-") and words[i] != "-":
            option = words[i]
            i += 1
            if option == "--":
                break
            if name == "env" and option in ("-S", "--split-string") and i < len(words):
                codes.append(words[i])
                i += 1
            elif name == "env" and option.startswith("-S") and len(option) > 2:
                codes.append(option[2:])
            elif option in takes_value and "=" not in option:
                i += 1
        if name == "env":
            while i < len(words) and _ASSIGNMENT.match(words[i]):
                i += 1
        i += positional
    # `sudo -s` / `sudo -i` with no command runs a shell (which may read code on stdin);
    # `env` with no command prints the environment.
    if wrappers[-1:] == ["env"] and not codes:
        return wrappers[:-1], ["env"], codes
    return wrappers, (["sh"] if wrappers[-1:] in (["sudo"], ["doas"]) else []), codes


_STARTUP_FILE = re.compile(
    r"(?:^|/)\.(?:bashrc|bash_profile|bash_login|bash_logout|profile|zshrc|zprofile|zshenv|zlogin"
    r"|kshrc|mkshrc)$|^/etc/(?:profile|bash\.bashrc|zsh/\S+|profile\.d/\S+|rc\.local)$"
)
_USER_CRONTAB = re.compile(r"^(?:crontab|/var/spool/cron/(?:crontabs/)?[^/]+)$")
_SYSTEM_CRONTAB = re.compile(r"^/etc/(?:crontab|cron\.d/\S+)$")
_CRON_TIME = re.compile(r"^\s*(?:@\w+|(?:\S+\s+){5})")


def _deferred_skip(path: str) -> int | None:
    """Leading words to drop from each line written to ``path`` before reading it as code.

    None: not a file a shell runs later; 0: a startup file (the line is code); 5: a user's
    crontab (the schedule); 6: a system crontab (the schedule and the user).
    """
    if _STARTUP_FILE.search(path):
        return 0
    if _USER_CRONTAB.match(path):
        return 5
    if _SYSTEM_CRONTAB.match(path):
        return 6
    return None


def utility_name(word: str) -> str:
    """``/usr/bin/rm`` -> ``rm``; ``./x/`` stays as written."""
    if "/" in word and not word.endswith("/"):
        return word.rsplit("/", 1)[-1]
    return word


def normalise_options(name: str, args: list[str]) -> list[str]:
    """Expand unambiguous abbreviations of the long options the rules read (``--rec``)."""
    known = _LONG_OPTIONS.get(name)
    if not known:
        return args
    out: list[str] = []
    for arg in args:
        if arg == "--":
            out.extend(args[len(out) :])
            break
        if arg.startswith("--") and len(arg) > 3:
            head = arg.split("=", 1)[0]
            matches = [o for o in known if o.startswith(head)]
            if len(matches) == 1:
                arg = matches[0] + arg[len(head) :]
        out.append(arg)
    return out


def nested_code(name: str, args: list[str]) -> list[str]:
    """Shell code a command hands to a shell: ``bash -c CODE``, ``eval``, ``ssh h CODE``..."""
    if name in SHELLS:
        code_flag = False
        for arg in args:
            if arg.startswith("-") and not arg.startswith("--") and len(arg) > 1:
                code_flag = code_flag or "c" in arg[1:]
            elif code_flag:
                return [arg]
            else:
                return []
        return []
    if name == "eval":
        return [" ".join(args)] if args else []
    if name == "su":
        for i, arg in enumerate(args):
            if arg in ("-c", "--command") and i + 1 < len(args):
                return [args[i + 1]]
            if arg.startswith("--command="):
                return [arg.split("=", 1)[1]]
        return []
    if name == "ssh":
        rest = _after_options(args, _SSH_VALUE_OPTIONS)
        return [" ".join(rest[1:])] if len(rest) > 1 else []
    if name == "watch":
        rest = _after_options(args, _WATCH_VALUE_OPTIONS)
        return [" ".join(rest)] if rest else []
    if name == "trap":
        return args[:1]
    if name == "alias":
        return [a.split("=", 1)[1] for a in args if "=" in a]
    return []


def nested_argv(name: str, args: list[str]) -> list[list[str]]:
    """Commands run directly from a command's arguments: ``xargs CMD``, ``find -exec CMD ;``."""
    if name in ("xargs", "parallel"):
        rest = _after_options(args, _XARGS_VALUE_OPTIONS)
        return [rest[: rest.index(":::")] if ":::" in rest else rest] if rest else []
    if name == "find":
        found: list[list[str]] = []
        current: list[str] | None = None
        for arg in args:
            if current is None:
                if arg in _FIND_EXEC:
                    current = []
            elif arg in (";", "+"):
                found.append(current)
                current = None
            else:
                current.append(arg)
        if current:
            found.append(current)
        return [f for f in found if f]
    return []


def _after_options(args: list[str], takes_value: frozenset[str]) -> list[str]:
    i = 0
    while i < len(args) and args[i].startswith("-") and args[i] != "-":
        if args[i] == "--":
            return args[i + 1 :]
        i += 2 if args[i] in takes_value else 1
    return args[i:]


def _has_script(args: list[str]) -> bool:
    """True when a shell's arguments name a script or ``-c`` code (so stdin is not its code)."""
    for arg in args:
        if arg.startswith("-") or arg.startswith("+"):
            if "c" in arg[1:] and not arg.startswith("--"):
                return True
            continue
        return arg not in ("-", "/dev/stdin")
    return False


def literal_output(name: str, args: list[str], stdin: str | None) -> str | None:
    """What a command writes to stdout when that is known from its words alone."""
    if name in ("echo", "printf"):
        words = list(args)
        escapes = name == "printf"
        while words and name == "echo" and re.fullmatch(r"-[neE]+", words[0]):
            escapes = escapes or "e" in words[0]
            words.pop(0)
        text = " ".join(words)
        return _ansi_c(text) if escapes else text
    if stdin is None:
        return None
    if name == "cat" and not args:
        return stdin
    if name == "base64" and any(a in ("-d", "--decode", "-D") or a.startswith("-d") for a in args):
        try:
            return base64.b64decode(stdin.strip() + "===", validate=False).decode(
                "utf-8", "replace"
            )
        except (binascii.Error, ValueError):
            return None
    if name == "xxd" and "-r" in args:
        try:
            return bytes.fromhex("".join(stdin.split())).decode("utf-8", "replace")
        except ValueError:
            return None
    if name == "rev":
        return "\n".join(line[::-1] for line in stdin.split("\n"))
    return None


def expand_braces(word: str, limit: int = 32) -> list[str]:
    """Bash brace expansion of one word, one level deep (``/{bin,etc}`` -> ``/bin /etc``)."""
    match = _BRACE_WORD.match(word)
    if not match or "$" in word:
        return [word]
    head, body, tail = match.groups()
    items = body.split(",")[:limit]
    return [resolve_target(head + item + tail) for item in items]


def resolve_target(word: str) -> str:
    """Read a path the way the file system would: ``//usr/./lib/..`` -> ``/usr``, ``~root``."""
    if not word.startswith(("/", "~")) or "\n" in word:
        return word
    if word.startswith("~") and not word.startswith(("~/",)) and word != "~":
        user, _, rest = word[1:].partition("/")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", user):
            return word
        word = ("/root" if user == "root" else f"/home/{user}") + (f"/{rest}" if rest else "")
    collapsed = _SLASHES.sub("/", word)
    home = collapsed.startswith("~")
    normal = posixpath.normpath(_HOME_STAND_IN + collapsed[1:] if home else collapsed)
    if home and normal.startswith(_HOME_STAND_IN):
        normal = "~" + normal[len(_HOME_STAND_IN) :]
    if normal.startswith("//"):
        normal = normal[1:]
    if collapsed.endswith("/") and normal != "/":
        normal += "/"
    if any(c in normal for c in "*?[") and normal.startswith("/"):
        stem = normal.rstrip("/")
        if stem not in ("/*",) and not stem.endswith("/*"):
            for vital in VITAL_DIRS:
                if vital != "/" and fnmatchcase(vital, stem):
                    return vital
    return normal


def _in_dir(cwd: str, word: str) -> str:
    """A relative glob or ``.`` read against the directory a ``cd`` moved to."""
    vital = cwd.rstrip("/") in (*VITAL_DIRS, "~") or cwd == "/"
    if vital and word in (".", "./", "*", "./*", ".*"):
        return resolve_target(f"{cwd}/{word}")
    return word


def _unescape(text: str) -> str:
    text = text.replace("\\\n", "")
    return _BACKSLASH.sub(r"\1", text)


def _ansi_c(text: str) -> str:
    r"""Decode ``$'...'`` and ``echo -e`` escapes (``\\x72`` -> ``r``)."""
    try:
        return codecs.decode(text.encode("latin-1", "backslashreplace"), "unicode_escape")
    except (UnicodeDecodeError, ValueError):
        return text

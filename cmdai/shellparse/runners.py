"""Programs that run a command given in their own options: the code they hand on.

A terminal multiplexer's new window, a terminal emulator's ``-e``, ``script -c``, a debugger's
``-ex '!cmd'``, an editor's ``-c ':!cmd'``, an archiver's hook (``tar --to-command``, ``zip
-TT``), a remote-shell option (``rsync -e``, ``ssh -o ProxyCommand``): each runs its argument
as a command, so the gate reads that argument as code, as it reads ``bash -c``. The forms come
from each program's manual; GTFOBins lists many of them as ways to get a shell.

``runner_code`` returns shell code (read with the bash grammar), ``runner_argv`` a command
given word by word (``screen -dm rm -rf ~``, or an embedded interpreter's one-liner such as
``vim -c ':py3 CODE'``), ``runner_writes`` the files a program writes that are named inside
its own syntax (``sed 'w FILE'``, ``socat ... OPEN:FILE``); ``tcl_commands`` and
``tcl_writes`` read Tcl (``expect -c``, code piped to ``tclsh``).
"""

from __future__ import annotations

import re
import shlex

TERMINALS = frozenset(
    "xterm uxterm urxvt rxvt st alacritty konsole gnome-terminal xfce4-terminal mate-terminal "  # noqa: SIM905
    "terminator tilix lxterminal qterminal sakura kitty foot wezterm x-terminal-emulator".split()
)
EDITORS = frozenset("vi vim nvim view vimdiff ex rvim gvim".split())  # noqa: SIM905
RUNNERS = frozenset(
    {"script", "sg", "tmux", "screen", "gdb", "expect", "tar", "zip", "rsync", "git", "socat"}
    | {"capsh", "make", "gmake", "gimp", "systemd-nspawn", "proot", "bwrap", "ansible"}
    | TERMINALS
    | EDITORS
)
"""Every program this module reads."""

# tmux sub-commands whose trailing words are a shell command, with the options that take a
# value (tmux(1), COMMANDS).
_TMUX_SHELL = {
    "new-session": "cefFnstxy",
    "new": "cefFnstxy",
    "new-window": "ceFnt",
    "neww": "ceFnt",
    "split-window": "celtF",
    "splitw": "celtF",
    "respawn-pane": "cet",
    "respawnp": "cet",
    "respawn-window": "cet",
    "respawnw": "cet",
    "run-shell": "cdt",
    "run": "cdt",
    "display-popup": "bcdehsStTwxy",
    "popup": "bcdehsStTwxy",
    "pipe-pane": "t",
    "pipep": "t",
}
_TMUX_KEYS_END = frozenset({"Enter", "C-m", "KPEnter", "C-j"})
_GIT_CODE_KEYS = re.compile(
    r"^(?:core\.(?:pager|sshcommand|editor|fsmonitor)|sequence\.editor|pager\.[\w.-]+"
    r"|diff\.external|gpg\.program)=(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_EXPECT_RUN = re.compile(r"(?:^|[;\n\[{]\s*)(?:spawn(?:\s+-\S+)*|exec|system)\s+([^;\n\]}]+)")
_SOCAT_RUN = re.compile(r"^(?:exec|system):(.*?)(?:,[\w-]+(?:=[^,]*)?)*$", re.I | re.S)
_GIT_ALIAS = re.compile(r"^alias\.[\w-]+=!(.*)$", re.S)


def _options(args: list[str], valued: str) -> tuple[list[tuple[str, str]], list[str]]:
    """Short options as getopt reads them (clusters, attached values), then the rest.

    ``valued`` holds the letters that take a value. Long options are kept whole (a ``=`` value
    stays attached). Stops at the first word that is not an option, or after ``--``.
    """
    found: list[tuple[str, str]] = []
    i = 0
    while i < len(args):
        word = args[i]
        if word == "--":
            return found, args[i + 1 :]
        if not word.startswith("-") or word == "-":
            break
        i += 1
        if word.startswith("--"):
            found.append((word, ""))
            continue
        for j, letter in enumerate(word[1:], start=1):
            if letter in valued:
                value = word[j + 1 :]
                if not value and i < len(args):
                    value, i = args[i], i + 1
                found.append((f"-{letter}", value))
                break
            found.append((f"-{letter}", ""))
    return found, args[i:]


def _long_value(args: list[str], names: tuple[str, ...]) -> list[str]:
    """The values of ``--name=V`` and ``--name V`` (and single-dash ``-name V``) in ``args``."""
    values: list[str] = []
    for i, word in enumerate(args):
        for name in names:
            if word.startswith(name + "="):
                values.append(word[len(name) + 1 :])
            elif word == name and i + 1 < len(args):
                values.append(args[i + 1])
    return values


def _tmux(args: list[str]) -> list[str]:
    codes: list[str] = []
    options, rest = _options(args, "cfLST")
    codes.extend(value for option, value in options if option == "-c" and value)
    # Several tmux commands on one line are separated by a `;` word.
    commands: list[list[str]] = [[]]
    for word in rest:
        if word in (";", "\\;"):
            commands.append([])
        else:
            commands[-1].append(word)
    for command in commands:
        if not command:
            continue
        sub, words = command[0], command[1:]
        if sub in _TMUX_SHELL:
            _, shell = _options(words, _TMUX_SHELL[sub])
            if shell:
                codes.append(" ".join(shell))
        elif sub in ("if-shell", "if"):
            options, shell = _options(words, "t")
            if shell and ("-F", "") not in options:
                codes.append(shell[0])
        elif sub in ("send-keys", "send"):
            options, keys = _options(words, "Nct")
            if keys and keys[-1] in _TMUX_KEYS_END:
                typed = [k for k in keys[:-1] if k not in _TMUX_KEYS_END]
                if typed:
                    codes.append(" ".join(typed))
    return codes


def _screen_argv(args: list[str]) -> list[str]:
    options, rest = _options(args, "ScehpstTX")
    return [] if any(option == "-X" for option, _ in options) else rest


def _screen_code(args: list[str]) -> list[str]:
    options, rest = _options(args, "ScehpstTX")
    if any(option == "-X" and value == "stuff" for option, value in options) and rest:
        return [rest[0].replace("^M", "\n").replace("\\n", "\n").replace("\\r", "\n")]
    return []


def _terminal(args: list[str]) -> tuple[list[str], list[str]]:
    """(code, argv) run by a terminal emulator: ``-e CMD ARGS``, ``-x``, ``--``, ``kitty CMD``."""
    for i, word in enumerate(args):
        if word in ("-e", "-x", "--command", "--execute", "--"):
            rest = args[i + 1 :]
            if len(rest) == 1 and " " in rest[0]:
                return [rest[0]], []
            return [], rest
        if word.startswith(("--command=", "--execute=")):
            return [word.split("=", 1)[1]], []
    return [], []


def _ex_commands(args: list[str]) -> list[str]:
    """An editor's ex commands from its arguments: ``-c CMD``, ``--cmd CMD``, ``+CMD``."""
    return _long_value(args, ("-c", "--cmd")) + [a[1:] for a in args if a.startswith("+")]


# gdb's command options; -iex runs before the program is loaded (not read for writes).
_GDB_EX = ("-ex", "--ex", "-eval-command", "--eval-command")


def _gdb_commands(args: list[str]) -> list[str]:
    """The commands gdb is given in its arguments (``-ex CMD``, ``-iex CMD``...)."""
    return _long_value(args, (*_GDB_EX, "-iex"))


def _editor_code(args: list[str]) -> list[str]:
    """``vim -c ':!CMD'`` and ``+'!CMD'``: an ex command that runs a shell command."""
    codes = []
    for command in _ex_commands(args):
        command = command.lstrip(": ")
        match = re.match(r"(?:(?:r|read|w|write)\s*)?!(.*)$", command, re.DOTALL)
        if match and match.group(1).strip():
            codes.append(match.group(1))
    return codes


def _gdb_code(args: list[str]) -> list[str]:
    codes = []
    for command in _gdb_commands(args):
        command = command.strip()
        if command.startswith("!"):
            codes.append(command[1:])
        elif command.startswith("shell "):
            codes.append(command[6:])
    return codes


def _script_code(args: list[str]) -> list[str]:
    options, _ = _options(args, "cTIOBEmo")
    codes = [value for option, value in options if option == "-c" and value]
    return codes + _long_value(args, ("--command",))


# ast-grep installs a program named `sg` too; its sub-commands are not group names.
_AST_GREP = frozenset({"run", "scan", "test", "new", "lsp", "completions", "help"})


def _sg_code(args: list[str]) -> list[str]:
    """``sg GROUP [-c] COMMAND`` (shadow's sg): the command runs through /bin/sh."""
    words = [w for w in args if w != "-"]
    if len(words) < 2 or words[0] in _AST_GREP or any(w.startswith("--") for w in words):
        return []
    rest = words[1:]
    if rest[0] == "-c":
        rest = rest[1:]
    return [" ".join(rest)] if rest else []


_ANSIBLE_SHELL = frozenset({"command", "shell", "raw"})
"""Ansible's modules whose arguments are a command line (``command`` when no ``-m``)."""


def _ansible_code(args: list[str]) -> list[str]:
    """The shell command an ad-hoc ``ansible HOSTS -m MODULE -a ARGS`` amounts to on each host.

    ``command``, ``shell`` and ``raw`` run their arguments; a few modules that change files,
    accounts, services and power are said as the command that does the same (``file
    state=absent path=P`` is ``rm -rf P``). With ``-b`` (become) it runs as root.
    """
    modules = _long_value(args, ("-m", "--module-name"))
    module = (modules[-1] if modules else "command").rsplit(".", 1)[-1]
    code = " ".join(_long_value(args, ("-a", "--args")))
    if module in _ANSIBLE_SHELL:
        line = code
    else:
        try:
            pairs = dict(w.split("=", 1) for w in shlex.split(code) if "=" in w)
        except ValueError:
            return []
        line = _ansible_module(module, pairs)
    if not line:
        return []
    root = any(a in ("-b", "--become") or re.fullmatch(r"-[^-]*b[^-]*", a) for a in args)
    return [f"sudo {line}" if root else line]


def _ansible_module(module: str, pairs: dict[str, str]) -> str:
    path = shlex.quote(pairs.get("path") or pairs.get("dest") or pairs.get("name") or "")
    name = shlex.quote(pairs.get("name", ""))
    state = pairs.get("state", "")
    if module == "reboot":
        return "reboot"
    if module == "file" and state == "absent" and path != "''":
        return f"rm -rf {path}"
    if module == "user" and state == "absent" and name != "''":
        remove = pairs.get("remove", "").lower() in ("yes", "true", "1")
        return f"userdel {'-r ' if remove else ''}{name}"
    if module in ("copy", "template") and "dest" in pairs:
        return f"cp {shlex.quote(pairs.get('src', 'file'))} {shlex.quote(pairs['dest'])}"
    if module in ("lineinfile", "blockinfile", "replace") and path != "''":
        return f"sed -i s/a/b/ {path}"
    if module in ("service", "systemd", "systemd_service") and name != "''":
        verb = {"stopped": "stop", "restarted": "restart", "reloaded": "reload"}.get(state)
        return f"systemctl {verb} {name}" if verb else ""
    if module in ("apt", "yum", "dnf", "package") and state == "absent" and name != "''":
        return f"apt-get remove {name}"
    return ""


def runner_code(name: str, args: list[str]) -> list[str]:
    """Shell code that ``name`` runs from its own options or arguments (else [])."""
    if name == "ansible":
        return _ansible_code(args)
    if name == "script":
        return _script_code(args)
    if name == "sg":
        return _sg_code(args)
    if name == "tmux":
        return _tmux(args)
    if name == "screen":
        return _screen_code(args)
    if name in TERMINALS:
        return _terminal(args)[0]
    if name in EDITORS:
        return _editor_code(args)
    if name == "gdb":
        return _gdb_code(args)
    if name == "expect":
        return [code for script in _long_value(args, ("-c",)) for code in tcl_commands(script)]
    if name in ("make", "gmake"):  # a rule given with --eval: its recipe lines are shell
        texts = _long_value(args, ("--eval", "-E"))
        return [
            line.lstrip("\t").lstrip("-@+ ")
            for text in texts
            for line in text.splitlines()
            if line.startswith("\t")
        ]
    if name == "tar":
        hooks = _long_value(
            args,
            (
                "--to-command",
                "--use-compress-program",
                "-I",
                "--info-script",
                "--new-volume-script",
                "-F",
                "--rsh-command",
            ),
        )
        for action in _long_value(args, ("--checkpoint-action",)):
            if action.startswith("exec="):
                hooks.append(action[5:])
        hooks += [a[2:] for a in args if a.startswith("-I") and len(a) > 2]
        return hooks
    if name == "zip":
        return _long_value(args, ("-TT", "--unzip-command"))
    if name == "rsync":
        return _long_value(args, ("-e", "--rsh"))
    if name == "git":
        return [
            m.group(1)
            for value in _long_value(args, ("-c",))
            if (m := _GIT_CODE_KEYS.match(value) or _GIT_ALIAS.match(value))
        ]
    if name == "socat":
        return [m.group(1) for a in args if (m := _SOCAT_RUN.match(a))]
    return []


# An editor's or a debugger's command that runs code in an embedded interpreter
# (`:py3 CODE`, gdb's `python CODE`): read as that interpreter's one-liner.
_EMBEDDED = re.compile(
    r"^(?:(?P<py>py(?:thon)?3?|pyx|pythonx|pi|python-interactive)|(?P<lua>lua)|(?P<perl>perl)"
    r"|(?P<ruby>ruby))\s+(?P<code>.+)$",
    re.DOTALL,
)
_EMBEDDED_ARGV = {"py": ["python3", "-c"], "lua": ["lua", "-e"], "perl": ["perl", "-e"]}


def _embedded(commands: list[str]) -> list[list[str]]:
    found = []
    for command in commands:
        match = _EMBEDDED.match(command.lstrip(": "))
        if match:
            kind = next(k for k in ("py", "lua", "perl", "ruby") if match.group(k))
            found.append([*_EMBEDDED_ARGV.get(kind, ["ruby", "-e"]), match.group("code")])
    return found


# Containers and sandboxes whose root can be the host's own: the value options of each, and
# for bwrap the options that take two values (bwrap(1)).
_ROOT_OPTIONS = {
    "systemd-nspawn": ("-D", "--directory"),
    "proot": ("-r", "-R", "--rootfs"),
}
_ROOTED_VALUED = {
    "systemd-nspawn": {"-D", "--directory", "-M", "--machine", "-u", "--user", "-E", "--setenv"},
    "proot": {"-r", "-R", "--rootfs", "-b", "--bind", "-m", "-w", "--pwd", "-q", "-k"},
}
_BWRAP_TWO = {"--bind", "--dev-bind", "--ro-bind", "--bind-try", "--dev-bind-try", "--symlink"}
_BWRAP_TWO |= {"--ro-bind-try", "--setenv", "--file", "--bind-data", "--ro-bind-data", "--chmod"}
_BWRAP_ONE = {"--tmpfs", "--proc", "--dev", "--dir", "--remount-ro", "--uid", "--gid", "--chdir"}
_BWRAP_ONE |= {"--hostname", "--unsetenv", "--lock-file", "--seccomp", "--cap-add", "--cap-drop"}


def _on_host_root(name: str, args: list[str]) -> list[str]:
    """The command a container or sandbox rooted at the host's ``/`` runs (else [])."""
    if name == "bwrap":
        i, host = 0, False
        while i < len(args) and args[i].startswith("--"):
            if args[i] in ("--bind", "--dev-bind") and args[i + 1 : i + 3] == ["/", "/"]:
                host = True
            i += 3 if args[i] in _BWRAP_TWO else 2 if args[i] in _BWRAP_ONE else 1
        return args[i:] if host else []
    roots: list[str] = []
    i = 0
    while i < len(args) and args[i].startswith("-"):
        option, eq, value = args[i].partition("=")
        if option in _ROOTED_VALUED[name] and not eq:
            value = args[i + 1] if i + 1 < len(args) else ""
            i += 1
        if option in _ROOT_OPTIONS[name]:
            roots.append(value)
        i += 1
    return args[i:] if roots and all(r and r.rstrip("/") == "" for r in roots) else []


def runner_argv(name: str, args: list[str]) -> list[list[str]]:
    """A command that ``name`` runs given word by word (``screen -dm CMD ARGS``; else [])."""
    if name in ("systemd-nspawn", "proot", "bwrap"):
        argv = _on_host_root(name, args)
        return [argv] if argv else []
    if name in EDITORS:
        return _embedded(_ex_commands(args))
    if name == "gdb":
        return _embedded(_gdb_commands(args))
    if name == "screen":
        argv = _screen_argv(args)
        return [argv] if argv else []
    if name in TERMINALS:
        argv = _terminal(args)[1]
        if not argv and name in ("kitty", "foot"):  # `kitty CMD ARGS`
            _, argv = _options(args, "ocdT")
        return [argv] if argv else []
    if name == "gimp" and any("python-fu-eval" in a for a in args):  # GIMP's Python batch
        return [["python3", "-c", code] for code in _long_value(args, ("-b", "--batch"))]
    if name == "capsh" and "--" in args:  # `capsh [options] -- ARGS` runs bash ARGS
        return [["bash", *args[args.index("--") + 1 :]]]
    return []


def ssh_option_code(args: list[str]) -> list[str]:
    """Local commands in ssh's ``-o ProxyCommand=CMD`` / ``LocalCommand`` options."""
    codes = []
    values = _long_value(args, ("-o",)) + [a[2:] for a in args if a.startswith("-o") and len(a) > 2]
    for value in values:
        match = re.match(r"^\s*(proxycommand|localcommand)\s*[= ]\s*(.+)$", value, re.I | re.S)
        if match and match.group(2).strip().lower() != "none":
            codes.append(match.group(2))
    return codes


WRITERS = frozenset(
    {"socat", "sqlite3", "sqlite", "gdb", "sed", "gsed", "jjs", "jrunscript", "julia"} | EDITORS
)
"""Programs whose own syntax can name a file they write (``runner_writes``)."""
_SOCAT_WRITE = re.compile(r"^(?:open|create|creat|gopen):([^,]+)", re.IGNORECASE)
_SQLITE_OUTPUT = re.compile(r"^\s*\.(?:output|once)\s+(\S+)", re.MULTILINE)
_GDB_DUMP = re.compile(r"^\s*(?:dump|append)\s+(?:\w+\s+)?(?:memory|value)\s+(\S+)")
_EX_WRITE = re.compile(r"^(?:w|write|wq|x|saveas|sav)!?\s+(\S+)")
_SED_WRITE = re.compile(
    r"(?:^|[;\n}]|/)\s*w\s+(\S+)|s(.)(?:(?!\2).)*\2(?:(?!\2).)*\2[gpIiMme0-9]*w\s*(\S+)"
)


# A file opened for writing by JVM script engines (java.io) or Julia, with a literal path.
_RUNTIME_WRITE = re.compile(
    r"(?:FileWriter|FileOutputStream|PrintWriter|Files\.write)\(\s*(?:Paths\.get\()?\"([^\"]+)\""
    r"|\bopen\(.*?\"([^\"]+)\"\s*,\s*\"[wa]\+?\""
)
_TCL_WRITE = re.compile(r"\bopen\s+\{?\"?([^\s\"}\]]+)\"?\}?\s+\{?\"?(?:w|a|w\+|a\+|WRONLY|RDWR)")
TCL_SHELLS = frozenset({"tclsh", "wish", "jimsh"})
"""Tcl interpreters, which run their standard input."""


_TCL_SOCKET = re.compile(r"\[\s*socket\s+(?!-server\b)")
_TCL_RUNS_INPUT = re.compile(r"\bgets\b.*\b(?:exec|eval)\b", re.DOTALL)


def tcl_commands(code: str) -> list[str]:
    """The commands Tcl code runs (``exec``, ``spawn``, ``system``), as shell code.

    Code that opens a socket and runs what it reads (``[socket HOST PORT]``, ``gets``, ``exec``
    or ``eval``) hands a shell to the network: it reads as ``nc -e /bin/sh``.
    """
    found = [m.group(1) for m in _EXPECT_RUN.finditer(code)]
    if _TCL_SOCKET.search(code) and _TCL_RUNS_INPUT.search(code):
        found.append("nc -e /bin/sh remote-host")
    return found


def tcl_writes(code: str) -> list[str]:
    """The files Tcl code opens for writing (``open /etc/passwd w``)."""
    return [m.group(1) for m in _TCL_WRITE.finditer(code)]


def runner_writes(name: str, args: list[str]) -> list[str]:
    """Files ``name`` writes that are named inside its own option syntax, not as a path word.

    ``socat ... OPEN:F,creat``, sqlite3's ``.output F``, gdb's ``dump value F``, an editor's
    ``-c ':w F'``, sed's ``w F`` command: each overwrites F.
    """
    if name == "socat":
        return [m.group(1) for a in args if (m := _SOCAT_WRITE.match(a))]
    if name in ("sqlite3", "sqlite"):
        return [m.group(1).strip("'\"") for a in args for m in _SQLITE_OUTPUT.finditer(a)]
    if name == "gdb":
        commands = _long_value(args, _GDB_EX)
        return [m.group(1) for c in commands if (m := _GDB_DUMP.match(c))]
    if name in EDITORS:
        return [m.group(1) for c in _ex_commands(args) if (m := _EX_WRITE.match(c.lstrip(": ")))]
    if name in ("jjs", "jrunscript", "julia"):
        codes = _long_value(args, ("-e", "--eval", "-E"))
        return [m.group(1) or m.group(2) for code in codes for m in _RUNTIME_WRITE.finditer(code)]
    if name in ("sed", "gsed"):
        scripts = _long_value(args, ("-e", "--expression"))
        if not scripts:
            words = [a for a in args if not a.startswith("-")]
            scripts = words[:1]
        found = [m.group(1) or m.group(3) for s in scripts for m in _SED_WRITE.finditer(s)]
        return [f for f in found if f and f not in ("/dev/stdout", "/dev/stderr")]
    return []

"""The words the shell parser knows, as data.

Shells, wrappers and the options that take a value, interpreters, containers, and the
directories whose loss wrecks a system.
"""

from __future__ import annotations

import re

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


def _valued(options: str) -> frozenset[str]:
    return frozenset(options.split())


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
    # Run as root (pkexec(1), run0(1)); then the ones that set up how a command runs: a
    # namespace, a sandbox, a fake root, a display, a proxy, limits, a log. Each runs the rest
    # of its words as the command (their manuals; GTFOBins lists several as ways to a shell).
    "pkexec": (frozenset({"--user"}), 0),
    "run0": (_valued("-u -g -D --user --group --nice --chdir --unit --property --slice"), 0),
    "systemd-run": (
        _valued(
            "-u -p -E -H -M --unit --property --setenv --description --slice --uid --gid "
            "--nice --working-directory --host --machine --on-active --on-boot --on-startup "
            "--on-unit-active --on-unit-inactive --on-calendar --timer-property"
        ),
        0,
    ),
    "nsenter": (_valued("-t -S -G --target --setuid --setgid"), 0),
    "unshare": (_valued("-S -G -R -w --setuid --setgid --root --wd --propagation"), 0),
    "firejail": (frozenset(), 0),
    "fakeroot": (_valued("-l -s -i -b"), 0),
    "xvfb-run": (_valued("-n -s -f -e -p -w --server-num --server-args --auth-file"), 0),
    "dbus-launch": (frozenset(), 0),
    "setarch": (frozenset(), 1),
    "valgrind": (frozenset(), 0),
    "catchsegv": (frozenset(), 0),
    "rlwrap": (_valued("-b -C -f -H -l -P -S -s -w -z -e"), 0),
    "logsave": (frozenset(), 1),
    "torsocks": (_valued("-u -p -a -P --user --pass --address --port"), 0),
    "torify": (frozenset(), 0),
    "proxychains": (_valued("-f"), 0),
    "proxychains4": (_valued("-f"), 0),
    "eatmydata": (frozenset(), 0),
    "nocache": (frozenset(), 0),
    "faketime": (frozenset(), 1),
    "chpst": (_valued("-u -U -b -e -/ -n -l -L -m -d -o -p -f -c -r -t"), 0),
    "setpriv": (frozenset(), 0),
    "prlimit": (_valued("-p --pid"), 0),
    "numactl": (_valued("-N -m -C -p -i"), 0),
    "cgexec": (_valued("-g"), 0),
    "chronic": (frozenset(), 0),
    "ifne": (frozenset(), 0),
    "daemonize": (_valued("-c -e -E -o -p -l -u"), 0),
    "cpulimit": (_valued("-l -p -e --limit --pid --exe"), 0),
    "trickle": (_valued("-d -u -w -t -l -n"), 0),
    # The dynamic loader runs the program it is given (GTFOBins: `/lib64/ld-linux-x86-64.so.2
    # /bin/sh`), under each of its names.
    **dict.fromkeys(
        (
            "ld.so",
            "ld-linux.so.2",
            "ld-linux-x86-64.so.2",
            "ld-linux-aarch64.so.1",
            "ld-musl-x86_64.so.1",
        ),
        (_valued("--library-path --preload --argv0 --audit --glibc-hwcaps-prefix"), 0),
    ),
}
# Package and environment runners: a sub-command word, then their options, then any command,
# run in a project's environment (their manuals: `npx`, `pnpm exec`, `bundle exec`, `poetry
# run`, `uv run`...; `npx rm -rf /` is `rm -rf /`). Each name maps to the sub-command words that
# make it a runner ("" where the name alone is one), the options that take a value, and how
# many positional words precede the command (`aws-vault exec PROFILE CMD`).
_RUNNERS: dict[str, tuple[frozenset[str], frozenset[str], int]] = {
    "npx": (frozenset({""}), _valued("-p --package -w --workspace"), 0),
    "bunx": (frozenset({""}), _valued("-p --package"), 0),
    "npm": (frozenset({"exec", "x"}), _valued("-p --package -w --workspace"), 0),
    "pnpm": (frozenset({"exec", "dlx"}), _valued("-F --filter -C --dir --package"), 0),
    "yarn": (frozenset({"exec", "dlx"}), _valued("-p --package"), 0),
    "bun": (frozenset({"x"}), _valued("-p --package"), 0),
    "bundle": (frozenset({"exec"}), frozenset(), 0),
    "poetry": (frozenset({"run"}), _valued("-C --directory -P --project"), 0),
    "uv": (
        frozenset({"run"}),
        _valued(
            "--with --with-requirements --with-editable -p --python --project --directory "
            "--package --extra --group --env-file --index --default-index -i --index-url"
        ),
        0,
    ),
    "uvx": (frozenset({""}), _valued("--from --with -p --python"), 0),
    "pipenv": (frozenset({"run"}), frozenset(), 0),
    "pdm": (frozenset({"run"}), _valued("-p --project"), 0),
    "rye": (frozenset({"run"}), frozenset(), 0),
    "hatch": (frozenset({"run"}), _valued("-e --env"), 0),
    "pixi": (frozenset({"run"}), _valued("-e --environment --manifest-path"), 0),
    **dict.fromkeys(
        ("conda", "mamba", "micromamba"),
        (frozenset({"run"}), _valued("-n --name -p --prefix --cwd"), 0),
    ),
    "direnv": (frozenset({"exec"}), frozenset(), 1),
    "aws-vault": (frozenset({"exec"}), _valued("-d --duration -r --region"), 1),
    "chamber": (frozenset({"exec"}), frozenset(), 1),
    "op": (frozenset({"run"}), _valued("--env-file"), 0),
    "doppler": (frozenset({"run"}), _valued("-p --project -c --config"), 0),
    "infisical": (frozenset({"run"}), _valued("--env --path --projectId"), 0),
    "dotenv": (frozenset({"", "run"}), _valued("-e -f --file -v"), 0),
    "cross-env": (frozenset({""}), frozenset(), 0),
}


def runner(words: list[str]) -> tuple[int, frozenset[str], int] | None:
    """How ``words`` (a command's, its name first) start a package or environment runner.

    The number of words that name it (``npx``: 1, ``poetry run``: 2), the options that take a
    value, and the positional words before the command; None: not a runner (``poetry
    install``).
    """
    found = _RUNNERS.get(words[0].rsplit("/", 1)[-1]) if words else None
    if found is None:
        return None
    subs, valued, positional = found
    if len(words) > 1 and words[1] in subs:
        return 2, valued, positional
    return (1, valued, positional) if "" in subs else None


# The files a wrapper itself writes (a trace, a log, an error file), which the command it runs
# does not name: `strace -o /etc/passwd ls` overwrites the account database.
_WRAPPER_OUTPUTS: dict[str, frozenset[str]] = {
    "strace": frozenset({"-o", "--output"}),
    "ltrace": frozenset({"-o", "--output"}),
    "time": frozenset({"-o", "--output"}),
    "rlwrap": frozenset({"-l", "--logfile"}),
    "daemonize": frozenset({"-o", "-e"}),
    "xvfb-run": frozenset({"-e", "-f", "--error-file", "--auth-file"}),
    "fakeroot": frozenset({"-s"}),
}
_LOG_FIRST = frozenset({"logsave"})
"""Wrappers whose first word after the options is the file they write (``logsave FILE CMD``)."""
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

DATA_DIRS = ("/opt", "/srv", "/mnt", "/media")
"""Where services and mounted disks keep their data: losing one is critical, giving one to a
service user is ordinary administration (the gate's rule table and effects table both read
this)."""

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

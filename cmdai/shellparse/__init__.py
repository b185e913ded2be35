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

The package, in the direction of dependency: ``vocabulary`` (data: shells, wrappers, option
tables) <- ``words`` (pure helpers on one command's words) <- ``walk`` (the syntax-tree walk:
``analyse``). This module re-exports what the rest of cmdai uses.
"""

from cmdai.shellparse.vocabulary import SHELLS, WRAPPERS
from cmdai.shellparse.walk import (
    Analysis,
    Redirect,
    SimpleCommand,
    analyse,
    split_commands,
    syntax_tree,
)
from cmdai.shellparse.words import (
    expand_braces,
    nested_argv,
    peel,
    resolve_target,
    utility_name,
)

__all__ = [
    "SHELLS",
    "WRAPPERS",
    "Analysis",
    "Redirect",
    "SimpleCommand",
    "analyse",
    "expand_braces",
    "nested_argv",
    "peel",
    "resolve_target",
    "split_commands",
    "syntax_tree",
    "utility_name",
]

"""`cmdai --help` as click renders it, for `cmdai.entry` to print without click.

Generated: `python -c 'import cmdai.cli; cmdai.cli.write_help_module()'`. A test fails
when it differs from what click renders now.
"""

MIN_COLUMNS = 80
# The rendering is the same on every terminal at least MIN_COLUMNS wide.

TOP_LEVEL_HELP = """\
Usage: cmdai [OPTIONS] COMMAND [ARGS]...

  Turn a request in plain words into one shell command, with a local model.

    cmdai "find files over 100MB changed this week"
    cmdai --dry-run "count lines in all python files"
    cmdai ask --help      all options for a request
    cmdai config          effective settings and where each came from
    cmdai check "CMD"     classify a command with the safety gate (no model)
    cmdai explain "CMD"   explain a command part by part, beside the gate's findings
    cmdai fix             propose a fix for the last command that failed
    cmdai history         your last requests (cmdai history clear deletes them)
    cmdai init bash       shell integration (bash, zsh, fish): Alt+G, cmdai fix, completion
    cmdai model list      models: list, info, download, verify, remove, use
    cmdai cache info      what the cache holds (cmdai cache clear deletes it)
    cmdai doctor          check the backend end to end (server, model, schema)
    cmdai serve           keep the model loaded in a background server (--status, --stop)

  cmdai shows the command, its explanation and its risk, and runs it only when
  you say yes. Exit statuses: 0 ok, 1 error, 2 usage, 3 blocked by safety, 4
  declined, 5 model error, 6 no command proposed, 7 (check) needs
  confirmation, 130 interrupted; after running, the command's own status.

Options:
  --traceback  Show Python tracebacks on errors.
  --version    Show the version and exit.
  -h, --help   Show this message and exit.

Commands:
  ask      Propose one shell command for QUERY; run it only if you say yes.
  cache    The cache directory: models, and the prompt states that make...
  check    Classify COMMAND with the safety gate, without any model;...
  config   Show the effective settings and where each value came from.
  doctor   Check the configured backend end to end and say how to fix...
  explain  Explain COMMAND part by part (the model) beside the safety...
  fix      Propose a corrected command for the last one that failed (or...
  history  Your last requests: what was proposed, what the gate said,...
  init     Print the shell integration for SHELL's rc file: a key, cmdai...
  model    Model files: list, info, download, verify, remove, use.
  serve    Keep the model loaded in a background server, so requests skip...
"""

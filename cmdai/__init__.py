"""cmdai: one shell command from a request in plain words, proposed by a local model.

The library entry point is ``cmdai.core.Engine.propose``; the CLI (``cmdai.cli``) and the eval
harness (``evals``) both go through it. This module stays import-light on purpose: it is
imported by ``cmdai --help``.
"""

__version__ = "0.1.0"

"""``python -m evals``: today the target measurements (``python -m evals.targets``)."""

from evals.targets import main

main()

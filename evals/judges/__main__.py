"""``python -m evals.judges agreement``: each judge against the labelled pairs."""

from evals.judges.cli import main

main()

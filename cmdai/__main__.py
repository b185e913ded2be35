"""``python -m cmdai``."""

from cmdai.cli import main

main()

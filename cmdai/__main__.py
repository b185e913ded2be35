"""``python -m cmdai``."""

from cmdai.entry import main

main()

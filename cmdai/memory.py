"""How much memory a warm server holds, and how much the machine has for it.

Read by the ``server = "auto"`` policy (``cmdai.server.warm``: start a server only where it
fits twice over) and by the repacking decision (``cmdai.repack``: a repacked server holds a
second copy of most weights).
"""

from __future__ import annotations

import os

MEMORY_FACTOR = 2.0
"""Start a server (or repack its weights) only when available memory is twice what it holds."""
RESIDENT = 1.15
"""A warm server's resident size over its model file's (1.25 GB for the 1.12 GB default)."""
REPACKED_RESIDENT = 1.7
"""The same with the weights repacked, a second copy of most of them (1.86 GB)."""


def available_memory() -> int | None:
    """Bytes of memory available to new work (Linux's MemAvailable), None when unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:  # elsewhere: free pages, a lower bound of what could be had
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None

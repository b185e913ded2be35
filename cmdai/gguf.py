"""Transitional alias of ``cmdai.models.gguf`` for ``cmdai/cli.py`` (``from cmdai import gguf``).

Delete this file once cli.py imports ``from cmdai.models import gguf``.
"""

from cmdai.models.gguf import GGUFInfo, check_usable, read_info, write_gguf

__all__ = ["GGUFInfo", "check_usable", "read_info", "write_gguf"]

"""A run's records, appended as they are made, so that a killed run can resume.

``evals run`` writes each record to ``journal.jsonl`` in the run directory the moment it is
judged (flushed and synced). Rerun into the same directory (a fixed ``hydra.run.dir``), the
run reuses every record already there and answers only the rest: a killed sweep, restarted,
redoes at most the items that were in flight. A run directory belongs to one configuration:
``identity.json`` holds what decides the answers (the resolved config, model and dataset
sha256, prompt id, git commit), and a rerun with anything else there is refused rather than
mixing two configurations' records. ``resume=false`` starts the directory afresh.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import TracebackType
from typing import Any

JOURNAL = "journal.jsonl"
IDENTITY = "identity.json"


class Journal:
    """The records of one run directory, keyed by (system, item id)."""

    def __init__(self, out_dir: Path, identity: dict[str, Any], resume: bool = True) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.path = out_dir / JOURNAL
        identity_path = out_dir / IDENTITY
        identity = json.loads(json.dumps(identity))  # as it reads back from the file
        if resume and identity_path.exists():
            stored = json.loads(identity_path.read_text(encoding="utf-8"))
            if stored != identity:
                differ = sorted(k for k in {*stored, *identity} if stored.get(k) != identity.get(k))
                raise SystemExit(
                    f"{out_dir} holds a run of another configuration (it differs in "
                    f"{', '.join(differ)}): choose another hydra.run.dir, remove it, or pass "
                    "resume=false to start it afresh"
                )
        else:
            self.path.unlink(missing_ok=True)
            identity_path.write_text(json.dumps(identity, indent=2) + "\n", encoding="utf-8")
        self.done: dict[tuple[str, str], dict[str, Any]] = {}
        kept = []
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    record = json.loads(line)
                except ValueError:
                    continue  # a line torn by the kill: that item is answered again
                self.done[(record["system"], record["id"])] = record
                kept.append(line)
            # Rewrite without a torn line, so the next append starts on a line of its own.
            self.path.write_text("".join(f"{line}\n" for line in kept), encoding="utf-8")
        self.reused = 0
        self._file = self.path.open("a", encoding="utf-8")

    def get(self, system: str, item_id: str) -> dict[str, Any] | None:
        """The record made for this item by an earlier attempt, if any."""
        record = self.done.get((system, item_id))
        if record is not None:
            self.reused += 1
        return record

    def add(self, record: dict[str, Any]) -> None:
        """Append one record, on disk before the next item starts."""
        self._file.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())
        self.done[(record["system"], record["id"])] = record

    def close(self) -> None:
        """Close the file (the records stay: the run's samples.jsonl is written from them)."""
        self._file.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

"""``python -m evals <command> ...``: the research harness's entry points.

run        one eval run or a Hydra sweep (arguments are Hydra overrides; see evals/run.py)
report     tables, a Markdown report and plots across runs (evals/report.py)
gate       compare a run with committed thresholds and a baseline; non-zero on regression
demo       capture the README's opening demo from a real pseudo-terminal
latency    warm p50 of prompt configurations compared in one process
explain    the shape and speed of explanations (x at the prompt) on the core dev commands
bench      issue 5's latency benchmark: naive baseline, one-shot, warm server, engine floor
targets    the core targets: parse rate, start-up, one-shot latency and memory
safety     the safety validator's recall, false positives, speed and fuzzing
safety-e2e the safety request set answered end to end (model, then gate), by half
data       dataset checks and importers (NL2Bash, tldr)
judges     the judges' agreement with labelled pairs
quantize   derive another GGUF file type from the shipped one
fix        cmdai fix on the labelled failed commands, beside the plain model
drafts     how much of several drafts' headroom each way of choosing one takes
merge      join the shards of one configuration (dataset.shard/num_shards) into one run
ab         the same requests through two checkouts, alternating (client, warm or one-shot)
compare    two systems' accuracy on the same requests, paired, with a 95% interval
"""

from __future__ import annotations

import importlib
import sys

COMMANDS = {
    "run": "evals.run",
    "report": "evals.report",
    "gate": "evals.gate",
    "demo": "evals.demo",
    "explain": "evals.explain",
    "latency": "evals.latency",
    "bench": "evals.bench",
    "targets": "evals.targets",
    "safety": "evals.safety",
    "safety-e2e": "evals.safety_e2e",
    "data": "evals.data",
    "judges": "evals.judges",
    "quantize": "evals.quantize",
    "fix": "evals.fix",
    "drafts": "evals.drafts",
    "merge": "evals.merge",
    "ab": "evals.ab",
    "compare": "evals.compare",
}


def main() -> None:
    """Dispatch to a command module's ``main`` (Hydra's ``run`` owns its own argv)."""
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.stderr.write(__doc__ or "")
        raise SystemExit(2 if len(sys.argv) >= 2 and sys.argv[1] not in ("-h", "--help") else 0)
    command = sys.argv.pop(1)
    module = importlib.import_module(COMMANDS[command])
    if command == "run":
        module.main()
    else:
        module.main(sys.argv[1:])


main()

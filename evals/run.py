"""``python -m evals run``: one eval run (or a ``-m`` sweep) over a labelled dataset.

    python -m evals run                                 # default prompt, core dev split
    python -m evals run prompt=brief dataset.limit=50   # override any group or value
    python -m evals run -m +experiment=prompts          # sweep the prompt axis
    python -m evals run +experiment=ci_gate             # the CI subset, then: python -m evals gate

Each sample goes through ``cmdai.core.Engine.propose`` (the path the CLI ships), is judged, and
becomes one line of ``samples.jsonl``; ``summary.json`` holds the metrics and everything that
reproduces them (versions, model and dataset sha256, prompt template id, resolved config, CPU).
One bad sample is recorded as data and never aborts the run.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import resource
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evals.config import RunConfig, register
from evals.journal import Journal

if TYPE_CHECKING:
    from cmdai.program_examples import ProgramExamples

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parent.parent
EVAL_CWD = "/home/user/work"
"""The working directory the model is told about (fixed: answers must not depend on the host)."""


@dataclasses.dataclass(frozen=True)
class Prepared:
    """What a run needs before its first sample: settings, model file, engine factory."""

    settings: Any
    model_path: Path | None
    model_sha256: str | None
    cache_dir: Path


def prepare(cfg: RunConfig) -> Prepared:
    """Resolve the model (requantizing it when the quant axis asks) and cmdai settings."""
    from cmdai.models import resolve_model
    from cmdai.settings import Settings, cache_dir

    cache = Path(cfg.cache_dir).expanduser() if cfg.cache_dir else cache_dir()
    model_path: Path | None = None
    sha: str | None = None
    model_setting: str | None = cfg.model.ref
    if cfg.backend.name == "llamacpp":
        resolved = resolve_model(cfg.model.ref, cache_dir=cache)
        model_path, sha = resolved.path, resolved.sha256
        if cfg.quant.requantize:
            from evals.quantize import requantize

            model_path = requantize(model_path, cfg.quant.requantize, cache)
            sha = None
        model_setting = str(model_path)
    extra = dict(cfg.backend.settings)
    examples_file = cfg.prompt.examples_file
    if examples_file and not Path(examples_file).is_absolute():
        examples_file = str(REPO / examples_file)
    settings = Settings(
        backend=cfg.backend.name,
        model=model_setting,
        n_ctx=cfg.ctx.n_ctx,
        n_threads=cfg.backend.threads,
        seed=cfg.seed,
        temperature=0.0,
        max_tokens=cfg.max_tokens,
        safety_mode=cfg.safety_mode,  # type: ignore[arg-type]
        prompt=cfg.prompt.template,
        examples_file=examples_file,
        **extra,
    )
    return Prepared(settings, model_path, sha, cache)


def _dataset(cfg: RunConfig, split: str | None) -> tuple[Any, Path]:
    """The run's dataset (of ``split``, where its loader takes one) and the path it came from."""
    from evals import data

    if cfg.dataset.kind == "safety":
        return data.load_safety(), data.SAFETY_PATH
    if cfg.dataset.kind == "declines":
        return data.load_declines(), data.DECLINES_PATH
    if cfg.dataset.name == "core":
        return data.load_core(split), data.CORE_DIR  # the items with their fixtures
    if cfg.dataset.name == "external":
        # the items, their fixture and the held-out utility list
        return data.load_external(split), data.EXTERNAL_DIR
    if cfg.dataset.name == "cheats":
        return data.load_cheats(), data.CHEATS_DIR  # the items and their fixture
    return data.load_imported(cfg.dataset.name), data.IMPORTED_DIR / f"{cfg.dataset.name}.jsonl"


def load_items(cfg: RunConfig) -> tuple[list[dict[str, Any]], str]:
    """The dataset's rows (filtered, limited) and the sha256 of the file they came from."""
    from evals import data

    dataset, path = _dataset(cfg, cfg.dataset.split)
    rows = [dict(row) for row in dataset]
    if cfg.dataset.kind != "core" or cfg.dataset.name != "core":
        rows = [r for r in rows if cfg.dataset.split in (None, r.get("split"))]
    if cfg.dataset.categories:
        rows = [r for r in rows if r.get("category") in cfg.dataset.categories]
    if cfg.dataset.limit is not None and len(rows) > cfg.dataset.limit:
        # Evenly spaced over the selection (not its head), so a subset covers every category.
        step = len(rows) / cfg.dataset.limit
        rows = [rows[int(i * step)] for i in range(cfg.dataset.limit)]
    return shard_of(rows, cfg.dataset.shard, cfg.dataset.num_shards), data.dataset_sha256(path)


def unseen_program_examples(cfg: RunConfig) -> ProgramExamples:
    """The tldr pages (``cmdai.program_examples``) without what the run must not see.

    Hidden: an example whose request (without a trailing "(with PROGRAM)") or command is that
    of any row of the dataset (all its splits; the external set's rows are tldr's own), and
    for the external set every example that runs a held-out utility, so that its test split
    stays unseen by utility.
    """
    import re

    from cmdai.program_examples import ProgramExamples as Pages  # the module, only when used
    from evals import external

    rows = [dict(row) for row in _dataset(cfg, None)[0]] if cfg.dataset.kind == "core" else []

    def norm(text: str) -> str:
        # "... (with jj squash)": the external set's tldr rows carry the program; tldr does not
        text = re.sub(r"\((?:with|using|via) [^)]*\)\s*$", "", text.strip())
        return re.sub(r"\W+", " ", text.lower()).strip()

    requests = {norm(r["request"]) for r in rows}
    commands = {ref.strip() for r in rows for ref in r.get("references") or ()}
    heldout = cfg.dataset.name == "external"

    def exclude(request: str, command: str) -> bool:
        if norm(request) in requests or command.strip() in commands:
            return True
        return heldout and bool(external.uses_heldout(command))

    return Pages(exclude=exclude)


def shard_of(rows: list[dict[str, Any]], shard: int, num_shards: int) -> list[dict[str, Any]]:
    """Slice ``shard`` of ``num_shards``: every num_shards-th item (each spreads over all).

    Each row is numbered by its place in the whole selection (``index``), which is how
    ``evals merge`` puts the slices back in serial order.
    """
    if num_shards < 1 or not 0 <= shard < num_shards:
        raise SystemExit(
            f"dataset.shard must be in 0..{num_shards - 1} (dataset.num_shards={num_shards}); "
            f"got {shard}"
        )
    numbered = [{**row, "index": index} for index, row in enumerate(rows)]
    return numbered[shard::num_shards]


Judge = Callable[[dict[str, Any], str | None], tuple[dict[str, float | None], dict[str, Any]]]


def make_judge(cfg: RunConfig) -> Judge:
    """Score a candidate against an item with the configured judges (built once per run).

    Returns the bare value per judge (None where a judge does not apply) and the judges' full
    verdicts (why, which reference) for the sample record. An unanswered item scores 0 under
    every judge that applies to it.
    """
    from evals import data, judges

    # The external sets' fixtures live beside them; every other set uses the core fixtures.
    fixtures = data.fixtures_of(cfg.dataset.name)
    chosen = [
        j
        for j in judges.default_judges(
            populate_factory=judges.fixture_populator(fixtures),
            timeout_s=cfg.sandbox_timeout_s,
            scratch=judges.memory_scratch(),
        )
        if j.name in cfg.judges
    ]

    def judge(
        item: dict[str, Any], command: str | None
    ) -> tuple[dict[str, float | None], dict[str, Any]]:
        if command is None:
            applicable = {j.name for j in chosen if j.name != "execution" or item.get("fixture")}
            return {j.name: (0.0 if j.name in applicable else None) for j in chosen}, {}
        verdicts = judges.judge_item(item, command, chosen)
        values = {name: (v.value if v else None) for name, v in verdicts.items()}
        details = {name: v.to_dict() for name, v in verdicts.items() if v is not None}
        return values, details

    return judge


def fixture_dirs(cfg: RunConfig) -> Callable[[dict[str, Any]], Any]:
    """A context manager per item: a fresh copy of its fixture (empty without one).

    That copy is the working directory cmdai reads what is here from.
    """
    import contextlib
    import tempfile

    from evals import data, judges

    factory = judges.fixture_populator(data.fixtures_of(cfg.dataset.name))

    @contextlib.contextmanager
    def workdir(item: dict[str, Any]) -> Iterator[Path]:
        with tempfile.TemporaryDirectory(prefix="cmdai-eval-cwd-") as tmp:
            if item.get("fixture"):
                factory(item["fixture"])(Path(tmp), time.time())
            yield Path(tmp)

    return workdir


def run_samples(
    engine: Any,
    items: Sequence[dict[str, Any]],
    kind: str,
    judge: Judge | None,
    workdirs: Callable[[dict[str, Any]], Any] | None = None,
    journal: Journal | None = None,
) -> list[dict[str, Any]]:
    """Answer and judge every item; errors become data.

    With ``workdirs``, each item is answered with its fixture as the directory cmdai reads
    the files a request names from (the model is still told the fixed ``EVAL_CWD``). With a
    ``journal``, items it already holds are not answered again and new records go to it.
    """
    import contextlib

    from cmdai.errors import CmdaiError

    records = []
    for number, item in enumerate(items, start=1):
        if journal is not None and (done := journal.get("cmdai", item["id"])) is not None:
            records.append(done)
            continue
        record = _record_head(item, "cmdai")
        start = time.perf_counter()
        hits = _hits(engine.backend)
        try:
            with workdirs(item) if workdirs else contextlib.nullcontext(None) as workdir:
                answering = dataclasses.replace(engine, workdir=workdir) if workdir else engine
                start = time.perf_counter()
                proposal = answering.propose(item["request"])
        except CmdaiError as exc:
            record.update(error=exc.message, latency_s=None, parse_ok=False)
            if judge is not None and kind == "core":
                record["scores"], _ = judge(item, None)
            _keep(records, record, journal)
            log.warning("[%d/%d] %s: error %s", number, len(items), item["id"], exc.message)
            continue
        latency = time.perf_counter() - start
        cached = _hits(engine.backend) > hits  # then the latency measured nothing
        g = proposal.generation
        safety = proposal.safety
        record.update(
            kind=proposal.kind,
            command=proposal.command,
            raw=proposal.raw,
            cwd=engine.env.cwd,
            explanation=proposal.explanation,
            parse_method=proposal.parse_method,
            parse_ok=proposal.parse_method == "strict" and proposal.schema_valid,
            decision=safety.decision if safety else None,
            risk=safety.risk.label if safety else None,
            rules=[f.rule_id for f in safety.findings] if safety else [],
            warnings=list(proposal.warnings),
            latency_s=None if cached else latency,
            answer_cached=cached,
            load_s=g.load_s,
            generate_s=g.generate_s,
            prompt_tokens=g.prompt_tokens,
            completion_tokens=g.completion_tokens,
            cached_tokens=g.cached_tokens,
            decline_p=g.decline_p,
            token_logprobs=[round(x, 4) for x in g.token_logprobs],
            error=None,
        )
        if judge is not None and kind == "core":
            record["scores"], record["verdicts"] = judge(item, proposal.command)
        if proposal.candidates:
            record["candidates"] = _judged_candidates(
                proposal.candidates,
                item,
                judge if kind == "core" else None,
                {proposal.command: record["scores"]} if "scores" in record else {},
            )
        _keep(records, record, journal)
        log.info("[%d/%d] %s %.2fs %r", number, len(items), item["id"], latency, proposal.command)
    return records


def _keep(records: list[dict[str, Any]], record: dict[str, Any], journal: Journal | None) -> None:
    records.append(record)
    if journal is not None:
        journal.add(record)


def _judged_candidates(
    candidates: Sequence[Any],
    item: dict[str, Any],
    judge: Judge | None,
    judged: dict[str | None, dict[str, float | None]],
) -> list[dict[str, Any]]:
    """Every draft with its checks, votes and (judged once per distinct command) scores.

    The scores are for analysis only (how much of the headroom a way of choosing takes: the
    oracle picks a right draft whenever there is one); cmdai's choice never sees them.
    ``judged`` holds scores already computed (the shown command's), not judged again.
    """
    scored = dict(judged)
    drafts = []
    for c in candidates:
        if judge is not None and c.command not in scored:
            scored[c.command] = judge(item, c.command)[0]
        drafts.append(
            {
                "command": c.command,
                "problems": list(c.problems),
                "votes": c.votes,
                "agreed": c.agreed,
                "scores": scored.get(c.command),
            }
        )
    return drafts


def _record_head(item: dict[str, Any], system: str) -> dict[str, Any]:
    return {
        "id": item["id"],
        "system": system,
        "request": item["request"],
        "category": item.get("category"),
        "difficulty": (item.get("tags") or {}).get("difficulty"),
        # A right answer needs a character JSON must escape in a string (issue 11).
        "escapes": any(c in ref for ref in item.get("references") or () for c in '"\\$\t'),
        "label": item.get("label"),
        "split": item.get("split"),
        "index": item.get("index"),
    }


def run_baseline(
    name: str,
    backend: Any,
    items: Sequence[dict[str, Any]],
    judge: Judge | None,
    seed: int,
    journal: Journal | None = None,
) -> list[dict[str, Any]]:
    """Answer and judge every item with a plain-model baseline (``evals.baseline``)."""
    from cmdai.errors import CmdaiError
    from evals.baseline import BASELINES

    answer = BASELINES[name](backend, seed)
    records = []
    for number, item in enumerate(items, start=1):
        if journal is not None and (done := journal.get(name, item["id"])) is not None:
            records.append(done)
            continue
        record = _record_head(item, name)
        hits = _hits(backend)
        try:
            result = answer(item["request"])
        except CmdaiError as exc:
            record.update(error=exc.message, latency_s=None, parse_ok=False)
            if judge is not None:
                record["scores"], _ = judge(item, None)
            _keep(records, record, journal)
            continue
        record.update(result.record())
        if _hits(backend) > hits:
            record.update(latency_s=None, answer_cached=True)
        if judge is not None:
            record["scores"], record["verdicts"] = judge(item, result.command)
        _keep(records, record, journal)
        log.info("[%d/%d] %s %s %r", number, len(items), name, item["id"], result.command)
    return records


def cold_latencies(prepared: Prepared, requests: Sequence[str]) -> list[float]:
    """Latency of a fresh ``cmdai --dry-run --json`` process per request (one-shot, cold)."""
    from evals.targets import timed_child

    env = {
        f"CMDAI_{name.upper()}": str(value)
        for name, value in dataclasses.asdict(prepared.settings).items()
        # A key stays where it is configured (its repr is masked); the child reads it there.
        if value is not None and name != "api_key"
    }
    env["CMDAI_CACHE_DIR"] = str(prepared.cache_dir)
    env["CMDAI_SERVER"] = "off"  # one-shot: no warm server answers, none is left behind
    times = []
    for request in requests:
        elapsed, status, _ = timed_child(
            [sys.executable, "-m", "cmdai", "--dry-run", "--json", request], env=env
        )
        if status not in (0, 3, 6):  # answered, blocked, or declined: all are answers
            raise RuntimeError(f"cmdai exited {status} on {request!r}")
        times.append(elapsed)
    return times


def provenance(cfg: RunConfig, prepared: Prepared, dataset_sha: str) -> dict[str, Any]:
    """Everything that reproduces a run's numbers."""
    from importlib.metadata import PackageNotFoundError, version

    from evals.targets import machine

    versions: dict[str, str | None] = {}
    for package in ("cmdai", "llama_cpp_python", "outlines", "outlines_core", "hydra-core"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = None
    from cmdai.prompts import get_template

    return {
        "config": dataclasses.asdict(cfg),
        "settings": {
            k: v
            for k, v in dataclasses.asdict(prepared.settings).items()
            if "key" not in k  # never record credentials
        },
        "model": {
            "name": cfg.model.name,
            "path": str(prepared.model_path) if prepared.model_path else None,
            "sha256": prepared.model_sha256 or _sha256(prepared.model_path),
            "quant": cfg.quant.name,
        },
        "dataset": {"name": cfg.dataset.name, "split": cfg.dataset.split, "sha256": dataset_sha},
        "prompt": get_template(cfg.prompt.template).id,
        "versions": versions,
        "machine": machine(),
        "git_commit": git_commit(),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def git_commit() -> str | None:
    """The checkout's commit, read from .git (uncommitted edits are not visible here).

    A worktree (``git worktree add``, to measure one commit while another is edited) has its
    own HEAD, and its branches in the main repository (``cmdai.git_requests.git_dirs``).
    """
    from cmdai.git_requests import git_dirs

    try:
        dot_git, shared = git_dirs(REPO)
        ref = (dot_git / "HEAD").read_text(encoding="utf-8").strip()
        if not ref.startswith("ref: "):
            return ref
        path = shared / ref.removeprefix("ref: ")
        if path.is_file():
            return path.read_text(encoding="utf-8").strip()
        for line in (shared / "packed-refs").read_text(encoding="utf-8").splitlines():
            if line.endswith(" " + ref.removeprefix("ref: ")):
                return line.split()[0]
    except OSError:
        return None
    return None


def _sha256(path: Path | None) -> str | None:
    if path is None:
        return None
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def evaluate(cfg: RunConfig, out_dir: Path) -> dict[str, Any]:
    """Run one configuration and write ``samples.jsonl`` and ``summary.json`` to ``out_dir``."""
    from cmdai.backends import create_backend
    from cmdai.core import create_engine
    from evals.floor import FloorCase, measure_floor

    prepared = prepare(cfg)
    items, dataset_sha = load_items(cfg)
    if not items:
        raise SystemExit("the dataset selection is empty")
    record = provenance(cfg, prepared, dataset_sha)
    backend = create_backend(prepared.settings, prepared.cache_dir)
    judge = make_judge(cfg) if cfg.judges and cfg.dataset.kind == "core" else None
    if cfg.answer_cache:
        backend, judge = _cached(cfg, record, prepared, backend, judge)
    engine = create_engine(prepared.settings, backend, shell="/bin/bash")  # noqa: S604
    if engine.program_examples is not None:
        engine = dataclasses.replace(engine, program_examples=unseen_program_examples(cfg))
    engine = dataclasses.replace(engine, env=dataclasses.replace(engine.env, cwd=EVAL_CWD))
    identity = {k: record[k] for k in ("config", "model", "dataset", "prompt", "git_commit")}
    identity["config"] = {k: v for k, v in identity["config"].items() if k != "resume"}
    baseline_samples: dict[str, list[dict[str, Any]]] = {}
    with Journal(out_dir, identity, resume=cfg.resume) as journal:
        started = time.perf_counter()
        workdirs = fixture_dirs(cfg) if engine.template.context else None
        samples = run_samples(engine, items, cfg.dataset.kind, judge, workdirs, journal)
        wall = time.perf_counter() - started
        peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if cfg.dataset.kind == "core":
            for name in cfg.baselines:
                baseline_samples[name] = run_baseline(
                    name, backend, items, judge, cfg.seed, journal
                )
    if journal.reused:
        log.info("resumed: %d records reused from %s", journal.reused, journal.path)
    with (out_dir / "samples.jsonl").open("w", encoding="utf-8") as f:
        for sample in [*samples, *(s for group in baseline_samples.values() for s in group)]:
            f.write(json.dumps(sample, ensure_ascii=False) + "\n")

    metrics = run_metrics(samples, baseline_samples, cfg.dataset.kind)
    metrics["wall_s"] = wall
    metrics["peak_rss_mb"] = peak_rss_mb
    metrics["reused_records"] = journal.reused
    if cfg.cold_runs:
        cold = cold_latencies(prepared, [i["request"] for i in items[: cfg.cold_runs]])
        metrics["cold"] = {"seconds": cold, "p50_s": _median(cold), "p95_s": _p95(cold)}
    answered = [s for s in samples if s.get("completion_tokens") and s.get("latency_s")]
    # The first answer pays one-time costs (prefix state, grammar index) and is reported as
    # first_latency_s; the floor pairs with warm answers only.
    paired = answered[1 : 1 + cfg.floor_samples] or answered[:1]
    if cfg.floor_samples and prepared.model_path is not None and paired:
        cases = [
            FloorCase(s["request"], s["prompt_tokens"] - s["cached_tokens"], s["completion_tokens"])
            for s in paired
        ]
        threads = prepared.settings.threads()
        floor = measure_floor(prepared.model_path, cfg.ctx.n_ctx, threads, cases)
        ours = [s["latency_s"] for s in paired]
        floor["cmdai_p50_s"] = _median(ours)
        floor["ratio_p50"] = floor_ratio(ours, floor["seconds"])
        metrics["floor"] = floor
    metrics["targets"] = check_targets(cfg, metrics)
    summary = {**record, "metrics": metrics}
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def _cached(
    cfg: RunConfig, record: dict[str, Any], prepared: Prepared, backend: Any, judge: Judge | None
) -> tuple[Any, Judge | None]:
    """The backend and judge with their answers and verdicts kept in ``cfg.answer_cache``."""
    from evals.answer_cache import CachedBackend, cached_judge

    assert cfg.answer_cache
    directory = Path(cfg.answer_cache).expanduser()
    versions = record["versions"]
    cached = CachedBackend(
        backend,
        directory,
        {
            "backend": cfg.backend.name,
            "backend_settings": cfg.backend.settings,
            "model_sha256": record["model"]["sha256"],
            "model": cfg.model.name,
            "quant": dataclasses.asdict(cfg.quant),
            "n_ctx": cfg.ctx.n_ctx,
            "threads": prepared.settings.threads(),
            "versions": {k: versions.get(k) for k in ("llama_cpp_python", "outlines")},
        },
    )
    if judge is not None:
        judge = cached_judge(
            judge,
            directory,
            {
                "judges": sorted(cfg.judges),
                "dataset": record["dataset"],
                "sandbox_timeout_s": cfg.sandbox_timeout_s,
            },
        )
    return cached, judge


def _hits(backend: Any) -> int:
    """Answers a backend has served from the answer cache so far (0: no cache)."""
    return int(getattr(backend, "hits", 0))


def run_metrics(
    samples: Sequence[dict[str, Any]],
    baseline_samples: dict[str, list[dict[str, Any]]],
    kind: str,
) -> dict[str, Any]:
    """A run's metrics from its records alone: cmdai's, each baseline's, and the differences.

    A run and the merge of its shards (``evals.merge``) both compute them here.
    """
    from evals.metrics import compare_systems, paired_difference, summarize

    metrics = summarize(samples, kind)
    if baseline_samples:
        metrics["baselines"] = {
            name: summarize(group, kind) for name, group in baseline_samples.items()
        }
        metrics["vs_baselines"] = {
            name: {
                **compare_systems(metrics, summary),
                "paired": paired_difference(samples, baseline_samples[name]),
            }
            for name, summary in metrics["baselines"].items()
        }
    return metrics


def floor_ratio(ours: Sequence[float], floor: Sequence[float]) -> float | None:
    """Median over paired requests of cmdai's time over the floor's for the same request.

    Pairing cancels what the requests themselves cost (a long answer is slow on both sides),
    so the ratio moves with cmdai's own overhead rather than with which requests were drawn.
    """
    ratios = [a / b for a, b in zip(ours, floor, strict=True) if b > 0]
    return _median(ratios) if ratios else None


def _median(values: Sequence[float]) -> float:
    import statistics

    return statistics.median(values)


def _p95(values: Sequence[float]) -> float | None:
    from evals.metrics import percentile

    return percentile(values, 95)


def check_targets(cfg: RunConfig, metrics: dict[str, Any]) -> dict[str, Any]:
    """Each target beside the measured value, and whether it was met (None = not measured)."""
    t = cfg.targets

    def entry(value: float | None, target: float, higher_is_better: bool) -> dict[str, Any]:
        met = None if value is None else (value >= target if higher_is_better else value <= target)
        return {"value": value, "target": target, "met": met}

    cold = metrics.get("cold") or {}
    return {
        "parse_rate": entry(metrics.get("parse_rate"), t.parse_rate, True),
        "first_answer_s": entry(metrics.get("first_latency_s"), t.first_answer_s, False),
        "warm_p50_s": entry(metrics.get("latency_p50_s"), t.warm_p50_s, False),
        "oneshot_p50_s": entry(cold.get("p50_s"), t.oneshot_p50_s, False),
        "peak_rss_mb": entry(metrics.get("peak_rss_mb"), t.peak_rss_mb, False),
    }


def print_summary(summary: dict[str, Any], out_dir: Path) -> None:
    """A few lines for the terminal; the files hold the rest."""
    m = summary["metrics"]
    lines = [
        f"run: {out_dir}",
        f"  {summary['model']['name']} {summary['model']['quant']} prompt={summary['prompt']} "
        f"dataset={summary['dataset']['name']}:{summary['dataset']['split']} n={m['samples']}",
        f"  parse {m['parse_rate']:.3f}  errors {m['errors']}  declines {m['decline_rate']:.3f}",
    ]
    for judge, c in (m.get("correctness") or {}).items():
        if c["mean"] is not None:
            lines.append(f"  {judge}: mean {c['mean']:.3f} over {c['applicable']}")
    if m.get("accuracy") is not None:
        by = "  ".join(f"{k} {v:.3f}" for k, v in (m.get("accuracy_by_difficulty") or {}).items())
        lines.append(
            f"  accuracy {m['accuracy']:.3f}  ({by})  blocked-correct {m['blocked_correct']}"
        )
    drafts = m.get("candidates")
    if drafts and drafts["accuracy_chosen"] is not None:
        lines.append(
            f"  drafts {drafts['drafts_mean']:.1f}/request: greedy "
            f"{drafts['accuracy_greedy']:.3f}  chosen {drafts['accuracy_chosen']:.3f}  "
            f"a right one among them {drafts['accuracy_oracle']:.3f}"
        )
    for name, base in (m.get("baselines") or {}).items():
        delta = m["vs_baselines"][name]["accuracy"]
        if base["accuracy"] is None or delta is None:  # no accuracy judge in this run
            continue
        paired = m["vs_baselines"][name].get("paired")
        interval = (
            f"  (paired on {paired['items']}: 95% interval {paired['ci95'][0]:+.3f} to "
            f"{paired['ci95'][1]:+.3f}; better on {paired['better']}, worse on {paired['worse']})"
            if paired
            else ""
        )
        lines.append(
            f"  baseline {name}: accuracy {base['accuracy']:.3f}  cmdai - {name} = {delta:+.3f}"
            + interval
        )
    if "safety_recall" in m:
        lines.append(
            f"  safety recall {m['safety_recall']} (asked or declined "
            f"{m.get('safety_recall_asked')})  false positives {m['safety_false_positive_rate']}"
        )
    if m.get("latency_p50_s") is not None:
        lines.append(f"  warm latency p50 {m['latency_p50_s']:.2f}s p95 {m['latency_p95_s']:.2f}s")
    if "floor" in m:
        lines.append(
            f"  floor p50 {m['floor']['p50_s']:.2f}s  cmdai/floor {m['floor']['ratio_p50']:.2f}"
        )
    sys.stdout.write("\n".join(lines) + "\n")


def threads_per_job(launcher: Any, cores: int) -> int:
    """llama.cpp threads for one job when a Hydra launcher runs several at once (0: all cores).

    joblib runs ``n_jobs`` jobs together on this machine, so each gets its share of the
    cores; submitit gives each job ``cpus_per_task``; Ray reserves ``ray.remote.num_cpus`` per
    job (its default: 1) and runs as many at once as the cluster's CPUs allow. Any other
    launcher runs one job at a time here (or on its own machine): all cores.
    """
    target = str(launcher.get("_target_", ""))
    if "RayLauncher" in target or "RayAWSLauncher" in target:
        remote = (launcher.get("ray") or {}).get("remote") or {}
        return max(1, int(remote.get("num_cpus") or 1))
    if "JoblibLauncher" in target:
        jobs = int(launcher.get("n_jobs") or -1)
        jobs = cores if jobs <= 0 else jobs  # joblib's -1: one job per core
        return max(1, cores // max(1, jobs))
    if "submitit" in target.lower() and launcher.get("cpus_per_task"):
        return max(1, int(launcher.get("cpus_per_task")))
    return 0


def _physical_cores() -> int:
    from cmdai.settings import physical_cores

    return physical_cores()


def main() -> None:
    """The Hydra entry point (``python -m evals run ...``)."""
    import hydra
    from hydra.core.hydra_config import HydraConfig
    from omegaconf import DictConfig, OmegaConf

    register()

    @hydra.main(config_path=str(REPO / "configs"), config_name="config", version_base="1.3")
    def _app(raw: DictConfig) -> None:
        cfg = OmegaConf.to_object(raw)
        assert isinstance(cfg, RunConfig)
        hydra_cfg = HydraConfig.get()
        if cfg.backend.threads == 0:  # "all cores": shared by the jobs a launcher runs at once
            cfg.backend.threads = threads_per_job(hydra_cfg.launcher, _physical_cores())
        out_dir = Path(hydra_cfg.runtime.output_dir)
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        summary = evaluate(cfg, out_dir)
        print_summary(summary, out_dir)

    _app()

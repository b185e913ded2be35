"""Typed schemas of an eval run.

Values live in ``configs/`` (Hydra groups); only the entry point (``evals.run.main``) sees a
``DictConfig``: it converts to ``RunConfig`` at once.

    configs/config.yaml          defaults: one option from each group
    configs/model/*.yaml         which GGUF (a cmdai model reference) and its label
    configs/quant/*.yaml         as shipped, or requantized from it by llama.cpp
    configs/ctx/*.yaml           context window
    configs/prompt/*.yaml        prompt template (and corpus, for retrieval)
    configs/dataset/*.yaml       which labelled set, split and size
    configs/backend/*.yaml       local llama.cpp, or a remote server
    configs/experiment/*.yaml    overlays: sweeps, the CI gate subset
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hydra.core.config_store import ConfigStore


@dataclass
class ModelConf:
    """A model: ``ref`` is anything cmdai's ``--model`` accepts (registry name, path, hub ref)."""

    name: str = "qwen2.5-coder-1.5b"
    ref: str = "qwen2.5-coder-1.5b-q4_k_m"
    served: str | None = None
    """The name a model server serves it under (``backend=vllm``: the request's ``model``)."""


@dataclass
class QuantConf:
    """A quantization: as shipped, or derived from the shipped file.

    ``requantize`` names a llama.cpp file type (Q4_0, Q3_K_M, Q2_K, ...) to derive from the
    shipped file; None evaluates the file as shipped. Requantizing is lossy twice over.
    """

    name: str = "Q4_K_M"
    requantize: str | None = None


@dataclass
class CtxConf:
    """Context window in tokens."""

    n_ctx: int = 2048


@dataclass
class PromptConf:
    """A cmdai prompt template; ``examples_file`` is the corpus the 'retrieved' one draws on."""

    template: str = "default"
    examples_file: str | None = None


@dataclass
class DatasetConf:
    """A labelled set: ``kind`` is core (request -> reference commands) or safety."""

    name: str = "core"
    kind: str = "core"
    split: str | None = "dev"
    limit: int | None = None
    """At most this many items, evenly spaced over the selection (so every category shows)."""
    categories: list[str] = field(default_factory=list)
    shard: int = 0
    """Which slice of the selection this run answers: items shard, shard + num_shards, ...
    (``python -m evals merge`` joins the slices into the run a serial one would give)."""
    num_shards: int = 1


@dataclass
class BackendConf:
    """The cmdai backend and any extra cmdai settings it needs (base_url, remote model, ...)."""

    name: str = "llamacpp"
    threads: int = 0
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass
class TargetsConf:
    """What each run is judged against (the plan's targets and issue 5's)."""

    parse_rate: float = 0.95
    first_answer_s: float = 5.0
    warm_p50_s: float = 1.0
    oneshot_p50_s: float = 2.0
    peak_rss_mb: float = 2048.0


@dataclass
class RunConfig:
    """One eval run: a point in model x quant x ctx x prompt x dataset."""

    model: ModelConf = field(default_factory=ModelConf)
    quant: QuantConf = field(default_factory=QuantConf)
    ctx: CtxConf = field(default_factory=CtxConf)
    prompt: PromptConf = field(default_factory=PromptConf)
    dataset: DatasetConf = field(default_factory=DatasetConf)
    backend: BackendConf = field(default_factory=BackendConf)
    targets: TargetsConf = field(default_factory=TargetsConf)
    run_name: str = "adhoc"
    """Names the run directory (experiment overlays set it; so can run_name=... )."""
    seed: int = 0
    max_tokens: int = 256
    safety_mode: str = "moderate"
    judges: list[str] = field(default_factory=lambda: ["execution", "nlc2cmd", "exact"])
    baselines: list[str] = field(default_factory=lambda: ["plain"])
    """Plain-model systems answered in the same run (``evals.baseline``); [] for none."""
    sandbox_timeout_s: float = 10.0
    cold_runs: int = 0
    """Requests also answered by a fresh ``cmdai`` process each (cold, one-shot latency)."""
    floor_samples: int = 5
    """Samples whose latency floor (bare llama.cpp, same tokens) is measured in this run."""
    cache_dir: str | None = None
    """cmdai's cache (models, prompt state); None = the user's."""
    answer_cache: str | None = None
    """A directory keeping answers and verdicts across runs (``evals.answer_cache``); sweeps
    sharing cells reuse them. None: every answer is generated."""
    resume: bool = True
    """Rerun into a run directory: reuse its finished records (``evals.journal``); false
    starts it afresh."""


def register() -> None:
    """Make ``RunConfig`` the schema ``configs/config.yaml`` extends (``base_config``)."""
    ConfigStore.instance().store(name="base_config", node=RunConfig)


def compose_config(*overrides: str) -> RunConfig:
    """The typed config ``python -m evals run OVERRIDES...`` would use (tests, notebooks)."""
    from pathlib import Path

    from hydra import compose, initialize_config_dir
    from omegaconf import OmegaConf

    register()
    configs = Path(__file__).resolve().parent.parent / "configs"
    with initialize_config_dir(config_dir=str(configs), version_base="1.3"):
        raw = compose(config_name="config", overrides=list(overrides))
    cfg = OmegaConf.to_object(raw)
    assert isinstance(cfg, RunConfig)
    return cfg

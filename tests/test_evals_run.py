"""An eval run end to end: the Hydra config, the shipped Engine path (fake backend), the
sandboxed judges, the records and the summary that reproduces them."""

from __future__ import annotations

import dataclasses
import json
import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from evals import data
from evals.config import compose_config
from evals.metrics import summarize
from evals.run import evaluate


def _script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answers: list[dict[str, str]]) -> None:
    path = tmp_path / "script.json"
    path.write_text(json.dumps([json.dumps(a) for a in answers]), encoding="utf-8")
    monkeypatch.setenv("CMDAI_FAKE_SCRIPT", str(path))


def test_a_run_judges_the_shipped_path_and_records_what_reproduces_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = [dict(r) for r in data.load_core("dev")]
    fixture_items = [i for i in items if i["fixture"]][:2]
    categories = sorted({i["category"] for i in fixture_items})
    selection = [i for i in items if i["category"] in categories]
    # dataset.limit takes evenly spaced items, not the head of the selection.
    chosen = [selection[int(k * len(selection) / 3)] for k in range(3)]
    # The model answers the first item with its reference, the second with garbage, and
    # declines the third.
    answers = [
        {"kind": "command", "command": chosen[0]["references"][0], "explanation": ""},
        # Garbage that names whatever the request names, so that no check (a folder the
        # request names and the command never mentions) asks again: a second generation
        # would take the next scripted answer.
        {
            "kind": "command",
            "command": f"echo {shlex.quote(chosen[1]['request'])}",
            "explanation": "",
        },
        {"kind": "ambiguous", "command": "", "explanation": "Which files?"},
    ]
    _script(tmp_path, monkeypatch, answers)
    cfg = compose_config(
        "backend.name=fake",
        f"dataset.categories=[{','.join(categories)}]",
        "dataset.limit=3",
        "floor_samples=0",
    )
    summary = evaluate(cfg, tmp_path / "run")

    lines = (tmp_path / "run" / "samples.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    samples = [r for r in records if r["system"] == "cmdai"]
    plain = [r for r in records if r["system"] == "plain"]
    assert [s["id"] for s in samples] == [i["id"] for i in chosen]
    # The plain-model baseline answered the same items in the same run (the fake's canned
    # prose for an unconstrained chat: wrong every time).
    assert [s["id"] for s in plain] == [i["id"] for i in chosen]
    assert all(p["parse_method"] == "plain" and p["scores"]["exact"] == 0.0 for p in plain)
    first, second, third = samples
    assert first["scores"]["exact"] == 1.0
    assert first["scores"]["nlc2cmd"] == 1.0
    if chosen[0]["fixture"]:
        assert first["scores"]["execution"] == 1.0
    assert second["scores"]["exact"] == 0.0
    assert third["kind"] == "ambiguous"
    assert third["scores"]["exact"] == 0.0
    assert all(s["parse_ok"] for s in samples)

    # Everything in the summary is recomputable from the records...
    written = json.loads((tmp_path / "run" / "summary.json").read_text())
    recomputed = summarize(samples, "core")
    for key in ("parse_rate", "decline_rate", "correctness", "by_category"):
        assert written["metrics"][key] == recomputed[key]
    assert written["metrics"]["decline_rate"] == pytest.approx(1 / 3)
    assert written["metrics"]["baselines"]["plain"] == json.loads(
        json.dumps(summarize(plain, "core"))
    )
    vs = written["metrics"]["vs_baselines"]["plain"]
    assert vs["accuracy"] == pytest.approx(
        written["metrics"]["accuracy"] - written["metrics"]["baselines"]["plain"]["accuracy"]
    )
    assert vs["accuracy"] > 0
    # The same difference paired request by request, with its interval.
    assert vs["paired"]["difference"] == pytest.approx(vs["accuracy"])
    assert vs["paired"]["ci95"][0] <= vs["paired"]["difference"] <= vs["paired"]["ci95"][1]
    # ...and it says what produced them.
    assert summary["prompt"] == "fenced@6"
    assert summary["dataset"]["sha256"] == data.dataset_sha256(data.CORE_DIR)
    assert summary["config"]["backend"]["name"] == "fake"
    assert summary["machine"]["cores"]
    assert summary["versions"]["outlines"]
    assert summary["metrics"]["targets"]["parse_rate"]["met"] is True


def test_a_safety_run_scores_recall_and_false_positives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [dict(r) for r in data.load_safety()]
    dangerous = next(
        r for r in rows if r["label"] == "dangerous" and "rm -rf /" in r["natural_command"]
    )
    benign = next(r for r in rows if r["label"] == "benign")
    monkeypatch.setattr("evals.run.load_items", lambda cfg: ([dangerous, benign], "sha"))
    _script(
        tmp_path,
        monkeypatch,
        [
            {"kind": "command", "command": dangerous["natural_command"], "explanation": ""},
            {"kind": "command", "command": benign["natural_command"], "explanation": ""},
        ],
    )
    cfg = compose_config("backend.name=fake", "dataset=safety", "floor_samples=0")
    summary = evaluate(cfg, tmp_path)
    assert summary["metrics"]["safety_recall"] == 1.0
    assert summary["metrics"]["samples"] == 2


_TIMINGS = {
    *("latency_s", "load_s", "generate_s", "decode_s", "prompt_s", "seconds"),
    *("latency_p50_s", "latency_p95_s", "first_latency_s", "tokens_per_s"),
}


def _untimed(value: object) -> object:
    """``value`` without the keys that measure time (they differ between any two runs)."""
    if isinstance(value, dict):
        return {k: _untimed(v) for k, v in value.items() if k not in _TIMINGS}
    if isinstance(value, list):
        return [_untimed(v) for v in value]
    return value


def test_shards_merged_equal_the_serial_run(tmp_path: Path) -> None:
    from evals.merge import merge

    # The fake's canned answers depend only on the request, so any slicing answers alike.
    common = ("backend.name=fake", "dataset.limit=7", "judges=[nlc2cmd,exact]", "floor_samples=0")
    serial = evaluate(compose_config(*common), tmp_path / "serial")
    shards = [tmp_path / f"shard{i}" for i in range(3)]
    for i, out in enumerate(shards):
        evaluate(compose_config(*common, "dataset.num_shards=3", f"dataset.shard={i}"), out)
    sizes = [len((d / "samples.jsonl").read_text().splitlines()) for d in shards]
    assert sizes == [6, 4, 4]  # 7 items x (cmdai, plain), every third item each

    merged = merge(list(reversed(shards)), tmp_path / "merged")

    def records(run: Path) -> list[object]:
        lines = (run / "samples.jsonl").read_text().splitlines()
        return [_untimed(json.loads(line)) for line in lines]

    assert records(tmp_path / "merged") == records(tmp_path / "serial")
    for key in ("samples", "parse_rate", "decline_rate", "correctness", "accuracy"):
        assert merged["metrics"][key] == serial["metrics"][key], key
    assert _untimed(merged["metrics"]["baselines"]) == _untimed(serial["metrics"]["baselines"])
    assert merged["metrics"]["vs_baselines"] == serial["metrics"]["vs_baselines"]
    assert merged["config"] == serial["config"]
    assert [s["samples"] for s in merged["metrics"]["shards"]] == [2, 2, 3]
    on_disk = json.loads((tmp_path / "merged" / "summary.json").read_text())
    assert on_disk["metrics"]["accuracy"] == serial["metrics"]["accuracy"]


def test_merge_refuses_what_is_not_one_configurations_shards(tmp_path: Path) -> None:
    from evals.merge import merge

    common = ("backend.name=fake", "dataset.limit=4", "judges=[exact]", "floor_samples=0")
    for i in range(2):
        evaluate(
            compose_config(*common, "dataset.num_shards=2", f"dataset.shard={i}"),
            tmp_path / f"s{i}",
        )
    evaluate(
        compose_config(*common, "dataset.num_shards=2", "dataset.shard=1", "seed=7"),
        tmp_path / "other",
    )
    with pytest.raises(SystemExit, match=r"need shards 0\.\.1 once each"):
        merge([tmp_path / "s0"], tmp_path / "out")
    with pytest.raises(SystemExit, match=r"need shards 0\.\.1 once each"):
        merge([tmp_path / "s0", tmp_path / "s0", tmp_path / "s1"], tmp_path / "out")
    with pytest.raises(SystemExit, match="differs in config"):
        merge([tmp_path / "s0", tmp_path / "other"], tmp_path / "out")
    with pytest.raises(SystemExit, match="not a finished run"):
        merge([tmp_path / "s0", tmp_path / "missing"], tmp_path / "out")
    with pytest.raises(SystemExit, match=r"dataset\.shard must be in 0\.\.1"):
        evaluate(compose_config(*common, "dataset.num_shards=2", "dataset.shard=2"), tmp_path / "x")


def test_a_killed_run_resumes_answering_only_what_it_had_not_finished(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cmdai.backends.fake import FakeBackend
    from evals.journal import IDENTITY, JOURNAL

    common = ("backend.name=fake", "dataset.limit=5", "judges=[exact]", "floor_samples=0")
    fresh = evaluate(compose_config(*common), tmp_path / "fresh")
    calls: list[str] = []
    real_generate = FakeBackend.generate

    def dies_at_the_seventh(self: FakeBackend, request: object) -> object:
        if len(calls) == 6:
            raise KeyboardInterrupt  # killed in the middle of the 7th answer
        calls.append("x")
        return real_generate(self, request)  # type: ignore[arg-type]

    monkeypatch.setattr(FakeBackend, "generate", dies_at_the_seventh)
    run = tmp_path / "run"
    with pytest.raises(KeyboardInterrupt):
        evaluate(compose_config(*common), run)
    journal = run / JOURNAL
    assert len(journal.read_text().splitlines()) == 6  # 5 cmdai records, 1 plain one
    with journal.open("a") as f:
        f.write('{"id": "torn')  # the kill tore a line mid-write

    calls.clear()

    def counts(self: FakeBackend, request: object) -> object:
        calls.append("x")
        return real_generate(self, request)  # type: ignore[arg-type]

    monkeypatch.setattr(FakeBackend, "generate", counts)
    resumed = evaluate(compose_config(*common), run)
    assert len(calls) == 4  # only the plain answers not yet made
    assert resumed["metrics"]["reused_records"] == 6
    assert resumed["metrics"]["accuracy"] == fresh["metrics"]["accuracy"]
    assert (
        resumed["metrics"]["baselines"]["plain"]["accuracy"]
        == (fresh["metrics"]["baselines"]["plain"]["accuracy"])
    )
    lines = (run / "samples.jsonl").read_text().splitlines()
    assert [(json.loads(x)["system"], json.loads(x)["id"]) for x in lines] == [
        (json.loads(x)["system"], json.loads(x)["id"])
        for x in (tmp_path / "fresh" / "samples.jsonl").read_text().splitlines()
    ]

    # The directory belongs to its configuration: another one is refused, not mixed in...
    with pytest.raises(SystemExit, match=r"another configuration.*config"):
        evaluate(compose_config(*common, "seed=3"), run)
    # ...unless asked to start afresh.
    calls.clear()
    evaluate(compose_config(*common, "seed=3", "resume=false"), run)
    assert len(calls) == 10
    assert json.loads((run / IDENTITY).read_text())["config"]["seed"] == 3


@pytest.mark.parametrize(
    ("launcher", "threads"),
    [("joblib", "hydra.launcher.n_jobs=2"), ("submitit_local", "hydra.launcher.cpus_per_task=1")],
)
def test_a_sweep_through_a_launcher_gives_the_basic_launchers_records(
    tmp_path: Path, launcher: str, threads: str
) -> None:
    import subprocess
    import sys

    common = ["backend.name=fake", "dataset.limit=3", "judges=[exact]", "floor_samples=0"]
    sweep = tmp_path / "sweep"
    result = subprocess.run(
        [
            *(sys.executable, "-m", "evals", "run", "-m", f"hydra/launcher={launcher}", threads),
            *(*common, "seed=0,1", f"hydra.sweep.dir={sweep}"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = sorted(p for p in sweep.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert len(jobs) == 2
    for job, seed in zip(jobs, (0, 1), strict=True):
        summary = json.loads((job / "summary.json").read_text())
        assert summary["config"]["seed"] == seed
        # Two jobs at once on this machine share its cores (or get cpus_per_task each).
        assert summary["config"]["backend"]["threads"] >= 1
        basic = evaluate(compose_config(*common, f"seed={seed}"), tmp_path / f"basic{seed}")
        records = [json.loads(x) for x in (job / "samples.jsonl").read_text().splitlines()]
        expected = (tmp_path / f"basic{seed}" / "samples.jsonl").read_text().splitlines()
        assert _untimed(records) == _untimed([json.loads(x) for x in expected])
        assert summary["metrics"]["correctness"] == basic["metrics"]["correctness"]


def test_a_sweep_on_a_real_local_ray_cluster_gives_the_basic_launchers_records(
    tmp_path: Path,
) -> None:
    """hydra/launcher=ray on an existing cluster: one with two CPUs, started here for the test.

    The cluster belongs to a helper process (its driver): closing the helper's stdin ends it,
    so the test never touches another Ray cluster on the machine (``ray stop`` would).
    """
    import secrets
    import subprocess
    import sys

    # Ray authenticates drivers with a token: one for this cluster, given to both processes.
    token = secrets.token_hex(32)
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "token"}
    env.update(RAY_AUTH_TOKEN=token)
    env.pop("RAY_AUTH_TOKEN_PATH", None)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, ray\n"
            "ray.init(num_cpus=2, include_dashboard=False, _node_ip_address='127.0.0.1')\n"
            "print(ray.get_runtime_context().gcs_address, flush=True)\n"
            "sys.stdin.read()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert holder.stdout is not None
        address = holder.stdout.readline().strip()
        assert address.rpartition(":")[2].isdigit(), address  # host:port of its GCS
        common = ["backend.name=fake", "dataset.limit=3", "judges=[exact]", "floor_samples=0"]
        sweep = tmp_path / "sweep"
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "evals",
                "run",
                "-m",
                "hydra/launcher=ray_cluster",
                f"hydra.launcher.ray.init.address={address}",
                *common,
                "seed=0,1",
                f"hydra.sweep.dir={sweep}",
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            env=env,
        )
        assert result.returncode == 0, result.stderr[-2000:]
    finally:
        holder.communicate(timeout=120)  # closes stdin: the helper exits, the cluster with it
    jobs = sorted(p for p in sweep.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert len(jobs) == 2
    for job, seed in zip(jobs, (0, 1), strict=True):
        summary = json.loads((job / "summary.json").read_text())
        assert summary["config"]["seed"] == seed
        assert summary["config"]["backend"]["threads"] == 1  # one CPU per Ray task
        basic = evaluate(compose_config(*common, f"seed={seed}"), tmp_path / f"basic{seed}")
        records = [json.loads(x) for x in (job / "samples.jsonl").read_text().splitlines()]
        expected = (tmp_path / f"basic{seed}" / "samples.jsonl").read_text().splitlines()
        assert _untimed(records) == _untimed([json.loads(x) for x in expected])
        assert summary["metrics"]["correctness"] == basic["metrics"]["correctness"]


def test_threads_per_job_shares_the_cores_among_jobs_run_at_once() -> None:
    from evals.run import threads_per_job

    joblib = "hydra_plugins.hydra_joblib_launcher.joblib_launcher.JoblibLauncher"
    submitit = "hydra_plugins.hydra_submitit_launcher.submitit_launcher.LocalLauncher"
    assert threads_per_job({"_target_": joblib, "n_jobs": 2}, 8) == 4
    assert threads_per_job({"_target_": joblib, "n_jobs": -1}, 8) == 1
    assert threads_per_job({"_target_": joblib, "n_jobs": 16}, 8) == 1
    assert threads_per_job({"_target_": submitit, "cpus_per_task": 3}, 8) == 3
    assert threads_per_job({"_target_": "hydra._internal.BasicLauncher"}, 8) == 0
    ray = "hydra_plugins.hydra_ray_launcher.ray_launcher.RayLauncher"
    assert threads_per_job({"_target_": ray, "ray": {"init": {}, "remote": {}}}, 8) == 1
    assert threads_per_job({"_target_": ray, "ray": {"remote": {"num_cpus": 4}}}, 8) == 4


def test_sweeps_sharing_cells_reuse_answers_and_verdicts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cmdai.backends.fake import FakeBackend

    calls: list[str] = []
    real_generate = FakeBackend.generate

    def counts(self: FakeBackend, request: object) -> object:
        calls.append("x")
        return real_generate(self, request)  # type: ignore[arg-type]

    monkeypatch.setattr(FakeBackend, "generate", counts)
    from evals import judges

    judged: list[str] = []
    real_judge_item = judges.judge_item

    def counts_verdicts(*args: object, **kwargs: object) -> object:
        judged.append("x")
        return real_judge_item(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(judges, "judge_item", counts_verdicts)
    cache = f"answer_cache={tmp_path / 'cache'}"
    common = ("backend.name=fake", "dataset.limit=4", "judges=[nlc2cmd,exact]", "floor_samples=0")
    first = evaluate(compose_config(*common, cache), tmp_path / "a")
    assert len(calls) == 8  # 4 items, cmdai and plain
    assert judged
    verdicts = len(judged)
    again = evaluate(compose_config(*common, cache), tmp_path / "b")
    assert len(calls) == 8  # every answer came from the cache
    assert len(judged) == verdicts  # and every verdict
    records = [json.loads(x) for x in (tmp_path / "b" / "samples.jsonl").read_text().splitlines()]
    assert all(r["answer_cached"] and r["latency_s"] is None for r in records)
    assert again["metrics"]["latency_p50_s"] is None  # no fresh answer: no latency figure
    assert again["metrics"]["accuracy"] == first["metrics"]["accuracy"]
    assert _untimed([{k: v for k, v in r.items() if k != "answer_cached"} for r in records]) == (
        _untimed(
            [
                {k: v for k, v in json.loads(x).items() if k != "answer_cached"}
                for x in (tmp_path / "a" / "samples.jsonl").read_text().splitlines()
            ]
        )
    )
    # A cell that differs in anything that decides an answer is answered afresh.
    evaluate(compose_config(*common, cache, "seed=5"), tmp_path / "c")
    assert len(calls) == 16
    evaluate(compose_config(*common, cache, "prompt=fenced-bare", "baselines=[]"), tmp_path / "d")
    assert len(calls) == 20


@pytest.mark.parametrize(
    "change",
    [
        {"model_sha256": "b" * 64},
        {"backend": "openai"},
        {"backend_settings": {"remote_model": "qwen-7b"}},
        {"n_ctx": 4096},
        {"threads": 1},
        {"versions": {"llama_cpp_python": "0.3.99", "outlines": "1.2.0"}},
    ],
)
def test_the_answer_key_changes_with_everything_that_decides_an_answer(
    tmp_path: Path, change: dict[str, object]
) -> None:
    from cmdai.backends.base import GenerationRequest, Message
    from cmdai.backends.fake import FakeBackend
    from evals.answer_cache import CachedBackend, key_of

    identity = {
        "backend": "llamacpp",
        "backend_settings": {},
        "model_sha256": "a" * 64,
        "n_ctx": 2048,
        "threads": 2,
        "versions": {"llama_cpp_python": "0.3.36", "outlines": "1.2.0"},
    }
    request = GenerationRequest((Message("user", "list files"),), None, 64, 0.0, 0)
    base = key_of(identity, dataclasses.asdict(request))
    assert key_of({**identity, **change}, dataclasses.asdict(request)) != base
    for knob in (
        {"max_tokens": 65},
        {"temperature": 0.8},
        {"seed": 1},
        {"prefill": "```bash\n"},
        {"messages": (Message("user", "list all files"),)},
        {"decline_threshold": 0.1},
    ):
        other = dataclasses.replace(request, **knob)  # type: ignore[arg-type]
        assert key_of(identity, dataclasses.asdict(other)) != base, knob
    # The same inputs give the same key in another process: it is a sha256 of sorted JSON.
    assert key_of(dict(reversed(list(identity.items()))), dataclasses.asdict(request)) == base
    cached = CachedBackend(FakeBackend(), tmp_path, identity)
    first = cached.generate(request)
    assert (cached.hits, cached.misses) == (0, 1)
    assert cached.generate(request) == first
    assert (cached.hits, cached.misses) == (1, 1)


def test_latency_takes_its_requests_from_any_split_with_the_runs_view_of_the_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evals import latency

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    result = latency.measure(
        ["fenced", "fenced-no-pages"],
        limit=4,
        rounds=1,
        dataset="external_dev",
        backend_name="fake",
    )
    assert result["dataset"] == "external_dev"
    assert result["requests"] == 4
    for config in result["prompts"].values():
        assert len(config["commands"]) == 4
        assert config["p50_s"] > 0
    # The default stays the core dev split's first requests.
    core = latency.measure(["fenced"], limit=2, rounds=1, backend_name="fake")
    assert core["dataset"] == "core_dev"
    assert core["requests"] == 2


@pytest.mark.skipif(shutil.which("git") is None, reason="git makes the repository")
def test_the_commit_is_read_in_a_checkout_and_in_a_worktree_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import evals.run

    main, tree = tmp_path / "main", tmp_path / "tree"
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(main)]
    subprocess.run(["git", "init", "-q", str(main)], check=True)
    (main / "a.txt").write_text("a\n")
    subprocess.run([*git, "add", "a.txt"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "one"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
    subprocess.run([*git, "worktree", "add", "-q", "--detach", str(tree), "HEAD"], check=True)
    for checkout in (main, tree):
        monkeypatch.setattr(evals.run, "REPO", checkout)
        assert evals.run.git_commit() == head.stdout.strip()
    monkeypatch.setattr(evals.run, "REPO", tmp_path)  # no repository
    assert evals.run.git_commit() is None

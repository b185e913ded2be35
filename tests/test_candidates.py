"""Several drafts per request (the ``candidates`` setting): how one is chosen, end to end."""

from __future__ import annotations

import dataclasses

import pytest

from cmdai.backends.fake import FakeBackend
from cmdai.candidates import Candidate, choose, normal_form, tally
from cmdai.core import CANDIDATE_TEMPERATURE, Engine
from cmdai.formats import FENCE_OPEN
from cmdai.jsondoc import proposal_json
from cmdai.prompts import get_template
from cmdai.settings import Settings


def test_normal_form_ignores_quoting_and_spacing_only() -> None:
    assert normal_form("find .  -name '*.txt'") == normal_form('find . -name "*.txt"')
    assert normal_form("ls -l;") == normal_form("ls -l")
    assert normal_form("ls -l") != normal_form("ls -la")
    assert normal_form("echo 'unbalanced") == "echo 'unbalanced"


def test_the_form_most_drafts_share_wins_over_the_greedy_one() -> None:
    drafts = tally([("ls -t", []), ("ls -S", []), ("ls  -S", []), ("ls -l", [])])
    assert [c.votes for c in drafts] == [1, 2, 2, 1]
    assert choose(drafts) == 1


def test_a_draft_that_passes_the_checks_beats_more_votes() -> None:
    drafts = tally([("frob -x", ["not installed here: frob"])] * 3 + [("ls -x", [])])
    assert choose(drafts) == 3


def test_ties_go_to_the_greedy_draft() -> None:
    assert choose(tally([("ls -t", []), ("ls -S", []), ("ls -l", [])])) == 0
    assert choose([Candidate("a", ("bad",)), Candidate("b", ("bad",))]) == 0
    with pytest.raises(ValueError, match="no candidates"):
        choose([])


@pytest.fixture
def careful(engine: Engine) -> Engine:
    return dataclasses.replace(
        engine,
        template=get_template("fenced"),
        settings=Settings(backend="fake", candidates=4),
    )


def test_the_engine_samples_drafts_and_shows_the_agreed_one(
    careful: Engine, fake: FakeBackend
) -> None:
    fake.enqueue(FENCE_OPEN + "ls -t | head -n 3")  # greedy
    fake.enqueue(FENCE_OPEN + "ls -S | head -n 3")
    fake.enqueue(FENCE_OPEN + "# unclear: which files?")  # a declining draft is left out
    fake.enqueue(FENCE_OPEN + "ls -S  | head -n 3")
    proposal = careful.propose("the 3 largest files")
    assert proposal.command == "ls -S | head -n 3"  # the first of the two that agree
    assert [c.command for c in proposal.candidates] == [
        "ls -t | head -n 3",
        "ls -S | head -n 3",
        "ls -S  | head -n 3",
    ]
    assert proposal.safety is not None
    greedy, *drawn = fake.history
    assert greedy.temperature == 0
    assert [(r.temperature, r.seed) for r in drawn] == [
        (CANDIDATE_TEMPERATURE, i) for i in (1, 2, 3)
    ]
    assert all(r.decline_marker == "" for r in drawn)  # only the greedy answer may decline
    doc = proposal_json(proposal, query="q", model={}, started=0.0, outcome="proposed")
    assert doc["candidates"][1] == {
        "command": "ls -S | head -n 3",
        "problems": [],
        "votes": 2,
        "agreed": None,  # not rehearsed
    }


def test_one_candidate_is_the_greedy_answer_alone(engine: Engine, fake: FakeBackend) -> None:
    fenced = dataclasses.replace(engine, template=get_template("fenced"))
    fake.enqueue(FENCE_OPEN + "ls -t")
    proposal = fenced.propose("newest files")
    assert (proposal.command, proposal.candidates, len(fake.history)) == ("ls -t", (), 1)
    doc = proposal_json(proposal, query="q", model={}, started=0.0, outcome="proposed")
    assert doc["candidates"] is None


def test_a_decline_is_not_second_guessed(careful: Engine, fake: FakeBackend) -> None:
    fake.enqueue(FENCE_OPEN + "# not a shell task: a poem")
    proposal = careful.propose("write me a poem")
    assert (proposal.kind, proposal.candidates, len(fake.history)) == ("not_a_shell_task", (), 1)


def test_sampling_draws_from_the_nucleus_only_and_is_seeded() -> None:
    np = pytest.importorskip("numpy")
    from cmdai.backends.decoding import sample

    logits = np.full(1000, -30.0, dtype=np.float32)
    logits[[7, 8, 9]] = [5.0, 4.5, 1.0]  # token 9 is outside the top 95% at temperature 0.8
    draws = [sample(logits, 0.8, np.random.default_rng(seed)) for seed in range(200)]
    assert set(draws) == {7, 8}
    again = [sample(logits, 0.8, np.random.default_rng(seed)) for seed in range(200)]
    assert draws == again

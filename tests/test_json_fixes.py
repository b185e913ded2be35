"""JSON files read with jq (cmdai.json_shape in the facts, cmdai.json_fixes; the forty-second
by-hand round). The fixed commands run here with jq where it is installed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

from cmdai.context import render_facts, workspace_facts
from cmdai.json_fixes import key_paths
from cmdai.json_shape import MAX_CHARS, json_sketch

USERS = [
    {"id": 1, "name": "Alice", "email": "a@x.org", "age": 34, "address": {"city": "Lyon"}},
    {"id": 2, "name": "Bob", "email": "b@x.org", "age": 27, "address": {"city": "Paris"}},
    {"id": 3, "name": "Chloe", "email": "c@x.org", "age": 41, "address": {"city": "Lyon"}},
]
ORDERS = {
    "orders": [
        {"id": "A1", "customer": "Alice", "items": [{"sku": "pen", "price": 1.5, "qty": 4}]},
        {"id": "A2", "customer": "Bob", "items": [{"sku": "lamp", "price": 30.0, "qty": 1}]},
        {"id": "A3", "customer": "Alice", "items": [{"sku": "pen", "price": 1.5, "qty": 10}]},
    ]
}
needs_jq = pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_files(
        tmp_path,
        {
            "users.json": json.dumps(USERS, indent=2),
            "orders.json": json.dumps(ORDERS),
            "config.json": '{"app": {"debug": true}, "database": {"port": 5432}}',
        },
    )


def test_the_facts_sketch_a_json_file(data: Path) -> None:
    facts = render_facts(workspace_facts("list the names in users.json", data))
    assert facts == f"(here: users.json (JSON: {json.dumps(USERS)}))"  # small: shown whole
    assert json_sketch(data / "config.json") == (
        '{"app": {"debug": true}, "database": {"port": 5432}}'
    )
    big = [{"text": "x" * 100, "n": i} for i in range(100)]
    write_files(data, {"big.json": json.dumps(big), "bad.json": "{nope"})
    assert (
        json_sketch(data / "big.json")
        == '[{"text": "xxxxxxxxxxxxxxxxxxxxx...", "n": 0}, ... 100 items]'
    )
    assert json_sketch(data / "bad.json") is None
    deep: object = 1
    for _ in range(40):
        deep = {"k": deep}
    write_files(data, {"deep.json": json.dumps(deep)})
    assert len(json_sketch(data / "deep.json") or "") <= MAX_CHARS
    assert key_paths(USERS)["city"] == {".[].address.city"}


@needs_jq
def test_per_item_pairs_sorting_and_minify(data: Path) -> None:
    pairs = fixed("jq -r '.[].name, .[].email' users.json", "the name and email of each user", data)
    assert pairs == "jq -r '.[] | [.name, .email] | @tsv' users.json"
    assert run_bash(pairs, data).stdout.splitlines()[0] == "Alice\ta@x.org"
    csv = fixed(
        "jq -r '.[].name, .[].age' users.json | tr '\\n' ',' > users.csv",
        "convert users.json to CSV with name and age columns",
        data,
    )
    assert csv == 'jq -r \'["name", "age"], (.[] | [.name, .age]) | @csv\' users.json > users.csv'
    run_bash(csv, data)
    assert (data / "users.csv").read_text().splitlines()[:2] == ['"name","age"', '"Alice",34']
    by_age = fixed(
        "jq -r '.[].name' users.json | sort -n", "sort the users by age and show their names", data
    )
    assert by_age == "jq -r 'sort_by(.age) | .[].name' users.json"
    assert run_bash(by_age, data).stdout.split() == ["Bob", "Alice", "Chloe"]
    small = fixed(
        "jq '.[]' users.json > users.min.json", "minify users.json into users.min.json", data
    )
    assert small == "jq -c . users.json > users.min.json"
    assert fixed("jq -c . users.json", "minify users.json", data) is None
    keys = fixed("jq -r '.app | keys' config.json", "list the top-level keys of config.json", data)
    assert keys == "jq -r 'keys_unsorted[]' config.json"
    assert run_bash(keys, data).stdout.split() == ["app", "database"]


@needs_jq
def test_totals_the_most_and_a_line_tool_on_json(data: Path) -> None:
    total = fixed(
        "jq '.orders[].total' orders.json | awk '{s+=$1} END {print s}'",
        "what is the total of all the orders in orders.json",
        data,
    )
    assert total == "jq '[.orders[].items[] | .price * .qty] | add' orders.json"
    assert run_bash(total, data).stdout.strip() == "51"
    paid = "jq '.orders[].total' orders.json"
    assert fixed(paid, "the total amount of the paid orders in orders.json", data) is None
    most = fixed(
        "jq -r '.orders[] | {customer, count: length}' orders.json",
        "which customer has the most orders in orders.json",
        data,
    )
    assert most == "jq -r '.orders[].customer' orders.json | sort | uniq -c | sort -rn | head -n 1"
    assert run_bash(most, data).stdout.split() == ["2", "Alice"]
    cities = fixed("cut -d, -f2 users.json | sort -u", "list the cities of the users", data)
    assert cities == "jq -r '.[].address.city' users.json | sort -u"
    assert run_bash(cities, data).stdout.split() == ["Lyon", "Paris"]
    average = "awk -F, '{s += $3} END {print s/NR}' users.json"
    assert fixed(average, "the average age of the users", data) is None

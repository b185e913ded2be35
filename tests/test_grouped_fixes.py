"""A table's columns named by their titles (cmdai.grouped_fixes; the thirty-fourth by-hand
round). Each fixed command is run with bash on a small CSV whose answers are known."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

ORDERS = (
    "id,customer,region,amount,date\n"
    "1,c1,north,120.50,2026-10-03\n"
    "2,c2,south,80.00,2026-10-17\n"
    "3,c1,north,45.25,2026-11-02\n"
    "4,c3,east,300.00,2026-11-09\n"
)


@pytest.fixture
def tables(tmp_path: Path) -> Path:
    return write_files(
        tmp_path,
        {
            "orders.csv": ORDERS,
            "marks.tsv": "name\tmark\nann\t7\nbob\t5\nann\t9\n",
            "scores.txt": "alice 72\nbob 45\nalice 64\n",
        },
    )


def out(command: str | None, where: Path) -> str:
    assert command is not None
    return run_bash(command, where).stdout


def test_a_column_added_up_averaged_or_ranged_per_value_of_another(tables: Path) -> None:
    draft = "awk -F, '{print $3, $5}' orders.csv | sort -k1,1 | uniq -c | sort -nr"
    total = fixed(draft, "total amount per region in orders.csv", tables)
    assert out(total, tables) == "east 300\nnorth 165.75\nsouth 80\n"
    mean = fixed(
        "awk -F, '{sum += $5; count++} END {print sum/count}' orders.csv",
        "average amount per customer in orders.csv",
        tables,
    )
    assert out(mean, tables) == "c1 82.875\nc2 80\nc3 300\n"
    top = fixed("sort -t, -k4 orders.csv", "the largest amount for each region", tables)
    assert out(top, tables) == "east 300\nnorth 120.5\nsouth 80\n"
    low = fixed("sort marks.tsv", "the lowest mark of each name in marks.tsv", tables)
    assert low is not None
    assert low.startswith("awk -F'\\t' ")
    assert out(low, tables) == "ann 7\nbob 5\n"
    grouped = "awk -F, 'NR > 1 {s[$3] += $4} END {for (k in s) print k, s[k]}' orders.csv"
    assert fixed(grouped, "total amount per region in orders.csv", tables) is None
    assert fixed(draft, "total weight per region in orders.csv", tables) is None  # no column
    ends = fixed(
        "awk 'NR>1 {print $3}' orders.csv | sort -n | head -n 1",
        "show the smallest and the largest amount in orders.csv",
        tables,
    )
    assert out(ends, tables) == "45.25\n300.00\n"


def test_a_column_counted_without_its_title_and_columns_picked_by_title(tables: Path) -> None:
    counted = fixed(
        "awk -F, '{print $3}' orders.csv | sort | uniq | wc -l",
        "how many different customers placed orders",
        tables,
    )
    assert counted == "awk -F, 'NR > 1 {print $2}' orders.csv | sort | uniq | wc -l"
    assert out(counted, tables) == "3\n"
    each = fixed(
        "awk -F, '{print $2}' orders.csv | sort | uniq -c",
        "how many orders did each customer make",
        tables,
    )
    assert out(each, tables).split() == ["2", "c1", "1", "c2", "1", "c3"]
    picked = fixed(
        "awk -F, '{print $2, $4}' orders.csv",
        "show only the region and amount columns of orders.csv",
        tables,
    )
    assert picked == "awk -F, '{print $3, $4}' orders.csv"
    assert out(picked, tables).splitlines()[:2] == ["region amount", "north 120.50"]
    assert (
        fixed(
            "awk -F, '{print $3, $4}' orders.csv",
            "show only the region and amount columns of orders.csv",
            tables,
        )
        is None
    )
    assert (
        fixed("awk -F, '{print $2}' orders.csv", "show the customers of orders.csv", tables) is None
    )  # showing the titles is no count


def test_the_values_that_appear_more_than_once(tables: Path) -> None:
    draft = "awk '{print $1}' scores.txt | sort | uniq -c | awk '$2 > 1' | awk '{print $1}'"
    assert out(draft, tables) == "2\n1\n"  # each name compared with 1 as text: the counts
    twice = fixed(draft, "which names appear more than once in scores.txt", tables)
    assert twice == "awk '{print $1}' scores.txt | sort | uniq -d"
    assert out(twice, tables) == "alice\n"
    assert fixed("sort scores.txt | uniq -c", "count each line of scores.txt", tables) is None
    assert fixed("uniq -c scores.txt", "which names appear more than once", tables) is None

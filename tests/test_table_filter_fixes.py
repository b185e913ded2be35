"""A table's rows filtered and ranked by column (cmdai.table_filter_fixes; the forty-fifth
by-hand round). Every fixed command runs here on the round's table."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_bash, write_files
from conftest import sure_fixed as fixed

SALES = """date,region,rep,product,units,price
2026-01-03,north,ann,lamp,3,40.00
2026-01-05,south,bob,desk,1,250.00
2026-02-02,east,ann,lamp,2,40.00
2026-02-11,south,dee,desk,2,250.00
2026-02-17,east,bob,chair,6,85.50
"""


@pytest.fixture
def sales(tmp_path: Path) -> Path:
    return write_files(tmp_path, {"sales.csv": SALES, "reps.csv": "rep,name\nann,Ann Lee\n"})


def lines(command: str, where: Path) -> list[str]:
    return run_bash(command, where).stdout.splitlines()


def test_rows_filtered_by_a_number_a_value_and_a_month(sales: Path) -> None:
    more = fixed("awk -F, '$4 > 3' sales.csv", "show the sales with more than 3 units", sales)
    assert more == "awk -F, 'NR == 1 || $5 > 3' sales.csv"
    assert lines(more, sales) == [SALES.splitlines()[0], SALES.splitlines()[5]]
    south = fixed(
        "awk -F, '$2 == \"South\" {print $3}' sales.csv",
        "show the sales in the south region",
        sales,
    )
    assert south == "awk -F, 'NR == 1 || $2 == \"south\"' sales.csv"
    assert len(lines(south, sales)) == 3
    by_ann = fixed("grep -i ann sales.csv | cut -d, -f3", "show the sales made by ann", sales)
    assert by_ann == "awk -F, 'NR == 1 || $3 == \"ann\"' sales.csv"
    february = fixed("grep -c Feb sales.csv", "how many sales were made in february", sales)
    assert february == "awk -F, 'NR > 1 && substr($1, 6, 2) == \"02\"' sales.csv | wc -l"
    assert lines(february, sales) == ["3"]
    # A number in the request is no cell value (it was taken for one in column 1).
    assert fixed("csvgrep -c 1 -m x sales.csv", "find rows with x in column 1", sales) is None


def test_distinct_ranked_ends_counts_and_products(sales: Path) -> None:
    products = fixed(
        "awk '!seen[$0]++' sales.csv | sort", "list the products without duplicates", sales
    )
    assert lines(products or "", sales) == ["chair", "desk", "lamp"]
    top = fixed(
        "awk -F, '{sum[$3] += $4} END {print max}' sales.csv | sort -nr | head -n 1",
        "which product sold the most units in total",
        sales,
    )
    assert lines(top or "", sales) == ["6 chair"]
    two = fixed(
        "cut -d, -f3 sales.csv | head -n 2", "show the 2 reps with the most units sold", sales
    )
    assert lines(two or "", sales) == ["7 bob", "5 ann"]
    highest = fixed(
        "awk 'NR>1 {print $7}' sales.csv | sort -n", "the highest price in sales.csv", sales
    )
    assert lines(highest or "", sales) == ["250.00"]
    per_rep = fixed(
        "jq -r '.[].rep' orders.json | sort | uniq -c", "count the sales per rep", sales
    )
    assert per_rep == "awk -F, 'NR > 1 {print $3}' sales.csv | sort | uniq -c"
    assert [line.split() for line in lines(per_rep, sales)] == [
        ["2", "ann"],
        ["2", "bob"],
        ["1", "dee"],
    ]
    revenue = fixed(
        "awk -F, '{print $4 * $5}' sales.csv | awk '{s += $1} END {print s}'",
        "the total revenue (units times price)",
        sales,
    )
    assert lines(revenue or "", sales) == ["1463"]

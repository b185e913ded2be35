#!/bin/sh
# The thirty-fourth by-hand round's scratch folder: tables added up and grouped (orders in a
# CSV with a title row, customers in another, scores in a space-separated list without one).
set -e
d=${1:-/tmp/scratch34}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
cat > orders.csv <<'CSV'
id,customer,region,amount,date
1,c1,north,120.50,2026-10-03
2,c2,south,80.00,2026-10-17
3,c1,north,45.25,2026-11-02
4,c3,east,300.00,2026-11-09
5,c2,south,99.99,2026-11-21
6,c4,north,15.00,2026-12-01
7,c3,east,60.75,2026-12-02
CSV
cat > customers.csv <<'CSV'
id,name,city
c1,Ann,Oslo
c2,Bob,Rome
c3,Cat,Lima
c4,Dan,Kyiv
CSV
printf 'alice 72\nbob 45\ncarol 91\ndave 58\nalice 64\neve 80\n' > scores.txt

#!/bin/sh
# The forty-fifth by-hand round's scratch folder: a sales table (CSV with a title line) to
# filter, rank and aggregate by its columns, and a second table of reps to join with it.
set -e
d=${1:-/tmp/scratch45}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
cat > sales.csv <<'CSV'
date,region,rep,product,units,price
2026-01-03,north,ann,lamp,3,40.00
2026-01-05,south,bob,desk,1,250.00
2026-01-09,north,cid,chair,4,85.50
2026-02-02,east,ann,lamp,2,40.00
2026-02-11,south,dee,desk,2,250.00
2026-02-17,east,bob,chair,6,85.50
2026-03-01,north,ann,desk,1,250.00
2026-03-08,south,cid,lamp,5,40.00
2026-03-15,east,dee,chair,2,85.50
CSV
cat > reps.csv <<'CSV'
rep,name,team
ann,Ann Lee,blue
bob,Bob Ray,red
cid,Cid Moe,blue
dee,Dee Kim,red
CSV

#!/bin/sh
# The thirty-sixth by-hand round's scratch folder: a SQLite database used from the shell (a
# users table and an orders table), a CSV to import and a SQL file to run.
set -e
d=${1:-/tmp/scratch36}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
sqlite3 app.db <<'SQL'
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT, created TEXT);
CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER, amount REAL, status TEXT);
INSERT INTO users VALUES (1, 'ann', 'ann@example.com', '2026-10-01'),
  (2, 'bob', 'bob@example.com', '2026-11-15'), (3, 'cat', NULL, '2026-12-01');
INSERT INTO orders VALUES (1, 1, 20.5, 'paid'), (2, 1, 99.0, 'open'), (3, 2, 15.0, 'paid'),
  (4, 3, 42.0, 'cancelled');
SQL
printf 'id,name,email,created\n4,dan,dan@example.com,2026-12-05\n5,eve,eve@example.com,2026-12-06\n' > new_users.csv
printf 'UPDATE orders SET status = '"'"'paid'"'"' WHERE id = 2;\n' > fix.sql

#!/bin/sh
# The forty-second by-hand round's scratch folder: JSON files read with jq (a list of users
# with nested addresses and tags, an application's nested configuration, orders with items).
set -e
d=${1:-/tmp/scratch42}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
cat > users.json <<'JSON'
[
  {"id": 1, "name": "Alice", "email": "alice@example.com", "age": 34,
   "address": {"city": "Lyon", "zip": "69001"}, "tags": ["admin", "dev"]},
  {"id": 2, "name": "Bob", "email": "bob@example.com", "age": 27,
   "address": {"city": "Paris", "zip": "75002"}, "tags": ["dev"]},
  {"id": 3, "name": "Chloe", "email": "chloe@example.com", "age": 41,
   "address": {"city": "Lyon", "zip": "69003"}, "tags": ["ops"]},
  {"id": 4, "name": "Dan", "email": "dan@example.com", "age": 30,
   "address": {"city": "Nantes", "zip": "44000"}, "tags": []},
  {"id": 5, "name": "Emma", "email": "emma@example.com", "age": 22,
   "address": {"city": "Paris", "zip": "75011"}, "tags": ["admin"]}
]
JSON
cat > config.json <<'JSON'
{
  "app": {"name": "shop", "debug": true, "workers": 4},
  "database": {"host": "db.internal", "port": 5432, "name": "shop"},
  "features": ["search", "cart", "reviews"]
}
JSON
cat > orders.json <<'JSON'
{"orders": [
  {"id": "A1", "customer": "Alice", "items": [{"sku": "pen", "price": 1.5, "qty": 4}, {"sku": "book", "price": 12.0, "qty": 1}]},
  {"id": "A2", "customer": "Bob", "items": [{"sku": "lamp", "price": 30.0, "qty": 1}]},
  {"id": "A3", "customer": "Alice", "items": [{"sku": "pen", "price": 1.5, "qty": 10}]}
]}
JSON

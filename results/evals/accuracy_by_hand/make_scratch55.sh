#!/bin/sh
# The fifty-fifth by-hand round's scratch folder: a Node.js monorepo with npm workspaces
# (three packages, one depending on another); nothing installed (no node_modules).
set -e
d=${1:-/tmp/scratch55}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
cat > package.json <<'JSON'
{
  "name": "shop",
  "private": true,
  "workspaces": ["packages/*"],
  "scripts": {
    "test": "npm test --workspaces",
    "lint": "eslint ."
  },
  "devDependencies": {
    "eslint": "^9.5.0"
  }
}
JSON
mkdir -p packages/api/src packages/api/test packages/web/test packages/shared/test
cat > packages/api/package.json <<'JSON'
{
  "name": "@shop/api",
  "version": "1.2.0",
  "scripts": {
    "start": "node src/server.js",
    "dev": "node --watch src/server.js",
    "test": "node --test"
  },
  "dependencies": {
    "@shop/shared": "*",
    "express": "^4.19.0"
  }
}
JSON
cat > packages/web/package.json <<'JSON'
{
  "name": "@shop/web",
  "version": "0.9.1",
  "scripts": {
    "build": "node build.js",
    "test": "node --test"
  },
  "dependencies": {
    "@shop/shared": "*",
    "lodash": "^4.17.21"
  }
}
JSON
cat > packages/shared/package.json <<'JSON'
{
  "name": "@shop/shared",
  "version": "0.2.4",
  "scripts": {
    "test": "node --test"
  }
}
JSON
printf 'console.log("api listening on 3000");\n' > packages/api/src/server.js
printf 'console.log("built");\n' > packages/web/build.js
for p in api web shared; do
  printf "const test = require('node:test');\ntest('%s works', () => {});\n" $p > packages/$p/test/$p.test.js
done

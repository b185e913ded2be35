#!/bin/sh
# The thirty-seventh by-hand round's scratch folder: a small Node.js project (package.json
# with scripts and dependencies, sources, a test, a lock file and an installed module).
set -e
d=${1:-/tmp/scratch37}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
cat > package.json <<'JSON'
{
  "name": "shop-api",
  "version": "1.4.2",
  "scripts": {
    "start": "node src/server.js",
    "dev": "node --watch src/server.js",
    "test": "node --test test/",
    "lint": "node scripts/lint.js"
  },
  "dependencies": {
    "left-pad": "^1.3.0"
  },
  "devDependencies": {
    "fake-lint": "^0.1.0"
  }
}
JSON
mkdir -p src test scripts node_modules/left-pad
printf 'const http = require("http");\n// TODO: read the port from PORT\nhttp.createServer((q, r) => r.end("ok")).listen(3000);\n' > src/server.js
printf 'module.exports = (a, b) => a + b;\n' > src/add.js
printf 'const test = require("node:test");\nconst assert = require("node:assert");\nconst add = require("../src/add");\ntest("adds", () => assert.strictEqual(add(2, 3), 5));\n' > test/add.test.js
printf 'console.log("lint ok");\n' > scripts/lint.js
printf '{"name": "left-pad", "version": "1.3.0"}\n' > node_modules/left-pad/package.json
printf 'module.exports = (s, n) => String(s).padStart(n);\n' > node_modules/left-pad/index.js
printf '{"name": "shop-api", "lockfileVersion": 3}\n' > package-lock.json

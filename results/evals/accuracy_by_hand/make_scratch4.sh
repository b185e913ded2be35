#!/bin/sh
# The scratch web project of the fourth by-hand round (acc4.txt): run in an empty directory.
set -e
mkdir -p api/src/routes api/tests web/src/components web/public scripts data/raw data/processed docs .github/workflows
printf 'const express = require("express");\nconst app = express();\n// TODO: auth\napp.listen(3000);\n' > api/src/server.js
printf 'module.exports = (req, res) => res.json({ok: true});\n// TODO: validate input\n' > api/src/routes/users.js
printf 'test("ok", () => {});\n' > api/tests/users.test.js
printf '{\n  "name": "api",\n  "version": "1.4.2",\n  "scripts": {"start": "node src/server.js", "test": "jest"}\n}\n' > api/package.json
printf 'export default function Button() { return null; }\n' > web/src/components/Button.jsx
printf 'export default function Card() { return null; }\n' > web/src/components/Card.jsx
printf '<!doctype html>\n<title>Web</title>\n' > web/public/index.html
head -c 300000 /dev/urandom > web/public/hero.jpg
printf '#!/bin/bash\nset -e\necho deploying\n' > scripts/deploy.sh; chmod +x scripts/deploy.sh
printf '#!/bin/bash\necho seeding\n' > scripts/seed.sh
printf 'id,city,temp\n1,Oslo,3.5\n2,Lima,19.0\n3,Oslo,4.1\n4,Cairo,25.3\n5,Lima,18.2\n' > data/raw/weather.csv
printf 'id,city,temp\n1,Oslo,3.5\n' > data/processed/weather_clean.csv
printf '# Project\n\nSetup: run `npm install`.\n\n## Deploy\nUse scripts/deploy.sh\n' > docs/README.md
printf 'name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n' > .github/workflows/ci.yml
printf 'node_modules/\n*.log\n.env\n' > .gitignore
printf 'PORT=3000\nDB_URL=postgres://localhost/dev\n' > .env
printf '2026-12-01 INFO start\n2026-12-01 ERROR db down\n2026-12-02 WARN slow\n2026-12-02 ERROR timeout\n' > api.log
git init -q . && git add -A && git -c user.email=a@b -c user.name=Ann commit -qm first
printf '// TODO: retry\n' >> api/src/server.js

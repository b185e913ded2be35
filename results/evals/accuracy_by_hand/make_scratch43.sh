#!/bin/sh
# The forty-third by-hand round's scratch folder: a Python web service whose everyday tasks
# are a Makefile's targets (test, lint, format, run, deploy with a variable, docker, help).
set -e
d=${1:-/tmp/scratch43}
rm -rf "$d" && mkdir -p "$d" && cd "$d"
cat > Makefile <<'MAKE'
ENV ?= dev
IMAGE ?= shop-api

.PHONY: help install test lint format run deploy docker-build docker-push clean

help:  ## show the targets
	@grep -E '^[a-z-]+:.*##' Makefile | sed 's/:.*## / - /'

install:  ## install the dependencies
	pip install -r requirements.txt

test:  ## run the tests
	pytest -q tests

lint:  ## check the code
	ruff check app tests

format:  ## format the code
	ruff format app tests

run:  ## start the server on port 8000
	uvicorn app.main:app --reload --port 8000

deploy:  ## deploy to $(ENV)
	./scripts/deploy.sh $(ENV)

docker-build:  ## build the image
	docker build -t $(IMAGE) .

docker-push: docker-build  ## push the image
	docker push $(IMAGE)

clean:  ## remove caches
	rm -rf .pytest_cache .ruff_cache
MAKE
mkdir -p app tests scripts
printf 'app = None\n' > app/main.py
printf 'def test_ok():\n    assert True\n' > tests/test_api.py
printf '#!/bin/sh\necho "deploying to $1"\n' > scripts/deploy.sh && chmod +x scripts/deploy.sh
printf 'fastapi\nuvicorn\n' > requirements.txt

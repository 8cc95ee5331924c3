#!/usr/bin/env bash
# The one command that installs and runs every check on a fresh machine:
# system packages, npm ci, typecheck, lint, build, then every test (unit, integration,
# property, end-to-end in Chromium). Writes test-results/vitest.json for the summary line.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system-deps.sh
npm ci --no-audit --no-fund
npm run typecheck
npm run lint
npm run build
mkdir -p test-results
# The secret store's tests need a Secret Service; the wrapper provides a throwaway one when headless.
bash scripts/with-keyring.sh npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json

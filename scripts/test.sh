#!/usr/bin/env bash
# Install everything the test suite needs on a fresh Debian machine (as root) and run the whole suite.
# System packages: Chromium + ChromeDriver (browser tests), PostgreSQL (the suite runs on it too),
# LibreOffice Writer + poppler (Word exports are rendered to PDF/PNG), npm (axe-core, the accessibility checker the
# browser tests inject). Python packages go into .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(chromium chromium-driver postgresql libreoffice-writer-nogui poppler-utils fonts-dejavu-core)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "== installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v npm >/dev/null; then  # a Node.js from elsewhere brings its own npm: only install one when none is there
    echo "== installing nodejs npm"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

# The version the accessibility statement names (cardkit/ui/accessibility_page.py; a test checks they agree).
axe_version=4.14.1
installed=$(node -p "require('./.cache/axe/node_modules/axe-core/package.json').version" 2>/dev/null || true)
if [ "$installed" != "$axe_version" ]; then
    echo "== installing axe-core $axe_version"
    npm install --no-save --no-audit --no-fund --silent --prefix .cache/axe "axe-core@$axe_version"
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    echo "== creating .venv"
    "$python" -m venv .venv
fi
echo "== installing Python packages"
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'

echo "== starting PostgreSQL"
cluster=$(pg_lsclusters -h 2>/dev/null | awk 'NR==1 {print $1" "$2}')
if [ -n "$cluster" ]; then
    pg_ctlcluster $cluster start 2>/dev/null || true
else
    service postgresql start
fi
for _ in $(seq 1 30); do
    su postgres -c 'pg_isready -q' && break
    sleep 1
done
su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='cardkit'\"" | grep -q 1 ||
    su postgres -c "psql -q -c \"CREATE ROLE cardkit LOGIN PASSWORD 'cardkit' CREATEDB\""
su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='cardkit_test'\"" | grep -q 1 ||
    su postgres -c "psql -q -c 'CREATE DATABASE cardkit_test OWNER cardkit'"
export CARDKIT_TEST_POSTGRES_URL=${CARDKIT_TEST_POSTGRES_URL:-postgresql+psycopg://cardkit:cardkit@localhost/cardkit_test}

echo "== checking the code with ruff (its findings fail the run)"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

echo "== validating the shipped decks"
.venv/bin/python -m cardkit validate decks

echo "== running the tests"
exec .venv/bin/python -m pytest "$@"

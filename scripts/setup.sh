#!/usr/bin/env bash
# Installs what the tests need from the system (Debian packages) and the project's npm
# dependencies. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(chromium sox espeak-ng pocketsphinx pocketsphinx-en-us fonts-dejavu-core)
NPM_ONLY=0
[ "${1:-}" = "--npm-only" ] && NPM_ONLY=1

install_npm() {
	if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
		echo "setup: installing npm dependencies (npm ci)"
		npm ci --no-audit --no-fund
	fi
}

if [ "$NPM_ONLY" = 1 ]; then
	install_npm
	exit 0
fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
	dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
	echo "setup: installing ${missing[*]} from Debian"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

install_npm

# The database suite also runs against a PostgreSQL server on 127.0.0.1:5432 (trust auth,
# database "test"). Machines of this project have one; a bare Debian box gets one here.
if ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
	echo "setup: no PostgreSQL on 127.0.0.1:5432, installing and starting one"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	dpkg -s postgresql >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
	ver=$(ls /etc/postgresql | sort -n | tail -1)
	$SUDO pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
	$SUDO -u postgres psql -qc "CREATE DATABASE test" 2>/dev/null || true
fi

echo "setup: node $(node_modules/.bin/node --version), chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), pocketsphinx $(command -v pocketsphinx_continuous >/dev/null && echo ok || echo missing)"

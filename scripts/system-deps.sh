#!/usr/bin/env bash
# What the tests need besides Python packages. Debian packages: Chromium renders the HTML
# export to PDF and poppler-utils (pdftotext, pdfinfo, pdftoppm) reads the PDF back; node and
# npm run ical.js, the calendar parser of Thunderbird and many web clients, which the DST tests
# read the .ics files with (tests/js, pinned by its package-lock.json). Installs only what is
# missing, so a second run does nothing; uses sudo only when not run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v chromium >/dev/null || missing+=(chromium)
{ command -v pdftotext && command -v pdftoppm; } >/dev/null || missing+=(poppler-utils)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
    as_root=()
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null || { echo "error: install ${missing[*]} as root (apt-get install ${missing[*]})" >&2; exit 1; }
        as_root=(sudo)
    fi
    # Given on the command line: sudo resets the environment, so an export would not reach apt.
    apt=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get)
    "${apt[@]}" install -y -q "${missing[@]}" >/dev/null \
        || { "${apt[@]}" update -q >/dev/null && "${apt[@]}" install -y -q "${missing[@]}" >/dev/null; }
fi
# ical.js at the version tests/js/package.json pins; npm ci only when it is not there yet.
if ! node -e 'const want = require("./tests/js/package.json").dependencies["ical.js"];
              process.exit(require("./tests/js/node_modules/ical.js/package.json").version === want ? 0 : 1)' 2>/dev/null; then
    npm ci --prefix tests/js --no-audit --no-fund --prefer-offline --loglevel=error \
        || { echo "error: npm could not install ical.js into tests/js (it needs the npm registry)" >&2; exit 1; }
fi

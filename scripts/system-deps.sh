#!/usr/bin/env bash
# The Debian packages the print tests need: Chromium renders the HTML export to PDF, and
# poppler-utils (pdftotext, pdfinfo, pdftoppm) reads the PDF back. Does nothing when both
# are already installed; uses sudo only when not run as root.
set -euo pipefail
if command -v chromium >/dev/null && command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null; then
    exit 0
fi
as_root=()
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "error: install chromium and poppler-utils as root (apt-get install chromium poppler-utils)" >&2; exit 1; }
    as_root=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get install -y -q chromium poppler-utils >/dev/null \
    || { "${as_root[@]}" apt-get update -q >/dev/null && "${as_root[@]}" apt-get install -y -q chromium poppler-utils >/dev/null; }

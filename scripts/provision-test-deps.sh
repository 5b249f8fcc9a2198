#!/usr/bin/env bash
# System packages the tests need beyond Python: Debian's Chromium (browser tests), CJK fonts (Chinese in
# screenshots and PDFs), PostgreSQL's server binaries (the tests start a throwaway server) and a Java
# runtime (Spark in local mode), poppler-utils (the report tests read the PDFs: pdftotext, pdffonts). Called by `make test` and by `.ci/run`.
# Installs what is missing when run as root with apt-get; otherwise stops with the exact command to run.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "noto sans cjk" || missing+=(fonts-noto-cjk)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "provision: installing ${missing[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi

echo "make test needs system packages that are missing: run 'sudo apt-get install -y ${missing[*]}' and try again" >&2
exit 1

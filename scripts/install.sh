#!/usr/bin/env bash
# Installs what Ariadne's demo and tests need from Debian, idempotently:
# PostgreSQL (investigations), Prometheus (metrics with exemplars), and
# Chromium (browser tests). A second run installs nothing.
source "$(dirname "$0")/lib.sh"
ensure_pkgs postgresql prometheus chromium fonts-dejavu-core ca-certificates

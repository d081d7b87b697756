#!/usr/bin/env bash
# Installs what Ariadne's demo and tests need from Debian, idempotently:
# PostgreSQL (investigations), Prometheus (metrics with exemplars), and
# Chromium (browser tests), and builds the real Jaeger once (scripts/jaeger.sh).
# A second run installs and builds nothing.
source "$(dirname "$0")/lib.sh"
ensure_pkgs postgresql prometheus chromium fonts-dejavu-core ca-certificates
# The real Jaeger, built once from its own module and cached.
"$(dirname "$0")/jaeger.sh" >/dev/null

#!/usr/bin/env bash
# Installs what Ariadne's demo and tests need from Debian, idempotently:
# PostgreSQL (investigations), Prometheus (metrics with exemplars), and
# Chromium (browser tests), and builds the real Jaeger once (scripts/jaeger.sh)
# and Jaeger v1.57's collector for adaptive sampling (scripts/jaeger-adaptive.sh).
# A second run installs and builds nothing.
source "$(dirname "$0")/lib.sh"
ensure_pkgs postgresql prometheus chromium fonts-dejavu-core ca-certificates
# The real Jaeger, built once from its own module and cached.
"$(dirname "$0")/jaeger.sh" >/dev/null
# Jaeger v1.57's collector, for the demo's adaptive sampling (v2's does not
# serve what it computes in one process: datasources/jaegerrun/adaptive.go).
"$(dirname "$0")/jaeger-adaptive.sh" >/dev/null

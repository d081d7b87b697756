#!/usr/bin/env bash
# Builds Jaeger v1.57's collector (v1, Apache-2.0), which the demo's
# --sampling adaptive runs to compute and serve adaptive sampling
# strategies (Jaeger v2 computes them but never serves them in one
# process: datasources/jaegerrun.AdaptiveVersion says why), once, into the
# user's cache; a second run builds nothing. Its own module
# (scripts/jaeger-adaptive/go.mod) pins it. It shares few packages with v2:
# its dependencies differ: a few minutes the first time, a ≈65 MB binary.
#
#   scripts/jaeger-adaptive.sh    # prints the binary's path
source "$(dirname "$0")/lib.sh"

version=$(sed -n 's/^const AdaptiveVersion = "\(.*\)"$/\1/p' "$ROOT/datasources/jaegerrun/adaptive.go")
grep -q "github.com/jaegertracing/jaeger $version" "$ROOT/scripts/jaeger-adaptive/go.mod" ||
	{ log "scripts/jaeger-adaptive/go.mod does not pin jaeger $version (datasources/jaegerrun.AdaptiveVersion)"; exit 1; }
out="${XDG_CACHE_HOME:-$HOME/.cache}/ariadne/jaeger-collector-$version/jaeger-collector"
if [ ! -x "$out" ]; then
	log "building jaeger-collector $version for adaptive sampling (once)…"
	mkdir -p "$(dirname "$out")"
	(cd "$ROOT/scripts/jaeger-adaptive" && go build -trimpath -o "$out.tmp" github.com/jaegertracing/jaeger/cmd/collector)
	mv "$out.tmp" "$out"
fi
echo "$out"

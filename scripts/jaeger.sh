#!/usr/bin/env bash
# Builds the real Jaeger (v2, Apache-2.0) that the tests and the demo run,
# once, into the user's cache; a second run builds nothing. It is built
# from its own module (scripts/jaeger/go.mod, pinned by go.sum), never from
# Ariadne's: Jaeger's dependency graph would move Ariadne's pins. The first
# build takes about 6 minutes on 2 cores and gives a ≈120 MB binary.
#
#   scripts/jaeger.sh    # prints the binary's path
source "$(dirname "$0")/lib.sh"

version=$(sed -n 's/^const Version = "\(.*\)"$/\1/p' "$ROOT/datasources/jaegerrun/jaegerrun.go")
grep -q "github.com/jaegertracing/jaeger $version" "$ROOT/scripts/jaeger/go.mod" ||
	{ log "scripts/jaeger/go.mod does not pin jaeger $version (datasources/jaegerrun.Version)"; exit 1; }
out="${XDG_CACHE_HOME:-$HOME/.cache}/ariadne/jaeger-$version/jaeger"
if [ ! -x "$out" ]; then
	log "building jaeger $version (once; about 6 minutes)…"
	mkdir -p "$(dirname "$out")"
	(cd "$ROOT/scripts/jaeger" && go build -trimpath -o "$out.tmp" github.com/jaegertracing/jaeger/cmd/jaeger)
	mv "$out.tmp" "$out"
fi
echo "$out"

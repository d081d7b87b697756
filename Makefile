# Ariadne's two commands: `make demo` and `make test`. Both install what is
# missing first (Debian packages via scripts/install.sh) and are safe to
# rerun. See README.md.
SHELL := /bin/bash
GO ?= go
BIN := bin/ariadne
# Extra flags for `ariadne demo`, e.g. ARGS="--ariadne-addr 127.0.0.1:8080 --rate 10".
ARGS ?=

.PHONY: demo test generate check-generated vet build deps clean

build:
	$(GO) build -o $(BIN) ./cmd/ariadne

deps:
	scripts/install.sh

generate:
	$(GO) tool templ generate -include-version=false

# The committed *_templ.go files must be what templ generates now.
check-generated:
	$(GO) tool templ generate -include-version=false
	@git diff --exit-code -- '*_templ.go' || { echo "generated templ files are stale: run make generate and commit"; exit 1; }
	@untracked=$$(git ls-files --others --exclude-standard -- '*_templ.go'); \
	  if [ -n "$$untracked" ]; then echo "uncommitted generated files: $$untracked"; exit 1; fi

vet:
	$(GO) vet ./...

test: deps check-generated vet
	@url=$$(scripts/pg.sh start) && \
	  ARIADNE_TEST_DATABASE_URL="$$url" $(GO) test -race -count=1 -timeout 20m ./...
	scripts/clock-ahead.sh

# The demo starts its own Postgres, Prometheus, Loki and Tempo test servers,
# the shop and its load, then Ariadne, and prints every URL. Ctrl-C stops all.
demo: deps build
	exec $(BIN) demo $(ARGS)

clean:
	rm -rf bin

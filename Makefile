# dockertls — make targets. `make run` starts the wizard, `make test` runs the tests.
GO        ?= go
BIN       := bin/dockertls
PKGS      := ./...
FUZZTIME  ?= 60s
STATICCHECK ?= $(shell command -v staticcheck 2>/dev/null || echo $(shell $(GO) env GOPATH)/bin/staticcheck)

.PHONY: all build run test e2e bench fuzz lint clean

all: build

build:
	$(GO) build -buildvcs=auto -o $(BIN) ./cmd/dockertls

run: build
	./$(BIN) $(ARGS)

# Unit and integration tests (real openssl, sshd and dockerd where present;
# with CI=true a missing tool fails instead of skipping). Fuzz targets run
# their seed corpora only, as plain `go test` does: random fuzzing finds new
# inputs at random and so belongs to `make fuzz`, never to a run that gates a
# submission. .ci/clean-tree.sh fails the run when the tests left files in
# the tree.
test:
	bash .ci/clean-tree.sh $(GO) test -race -count=1 -timeout 30m $(PKGS)

# The end-to-end suite: the real binary against a real systemd-managed Docker
# node (debootstrap + systemd-nspawn). Needs root.
e2e: build
	$(GO) test -count=1 -timeout 45m -tags e2e -v ./e2e/...

bench:
	$(GO) test -run '^$$' -bench . -benchtime 3x $(PKGS)
	bash bench/pki-vs-openssl.sh

# Random fuzzing of every target (new failing inputs land in testdata/fuzz,
# to be committed as seeds once fixed).
fuzz:
	bash .ci/fuzz.sh $(FUZZTIME)

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) vet -tags e2e ./e2e/...
	$(STATICCHECK) $(PKGS)

clean:
	rm -rf bin

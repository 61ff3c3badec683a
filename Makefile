# dockertls — make targets. `make run` starts the wizard, `make test` runs the tests.
GO        ?= go
BIN       := bin/dockertls
PKGS      := ./...
FUZZTIME  ?= 5s
STATICCHECK ?= $(shell command -v staticcheck 2>/dev/null || echo $(shell $(GO) env GOPATH)/bin/staticcheck)

.PHONY: all build run test e2e bench fuzz lint clean

all: build

build:
	$(GO) build -buildvcs=auto -o $(BIN) ./cmd/dockertls

run: build
	./$(BIN) $(ARGS)

# Unit and integration tests (real openssl, sshd and dockerd where present;
# with CI=true a missing tool fails instead of skipping), then every fuzz
# target briefly.
test:
	$(GO) test -race -count=1 -timeout 30m $(PKGS)
	bash .ci/fuzz.sh $(FUZZTIME)

# The end-to-end suite: the real binary against a real systemd-managed Docker
# node (debootstrap + systemd-nspawn). Needs root.
e2e: build
	$(GO) test -count=1 -timeout 45m -tags e2e -v ./e2e/...

bench:
	$(GO) test -run '^$$' -bench . -benchtime 3x $(PKGS)
	bash bench/pki-vs-openssl.sh

fuzz:
	bash .ci/fuzz.sh 60s

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) vet -tags e2e ./e2e/...
	$(STATICCHECK) $(PKGS)

clean:
	rm -rf bin

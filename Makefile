# dxsteps: `make demo` runs the workshop Data Pipeline on the local engine; `make test` runs every test.
GO       ?= go
BIN      := bin
# The library's version (resources/io/dxsteps/version.txt) is the one source of truth: the binaries
# carry it and the library refuses binaries of another version.
VERSION  ?= $(shell cat resources/io/dxsteps/version.txt)
LDFLAGS  := -s -w -X github.com/dxsteps/dxsteps/internal/cli.Version=$(VERSION)
STEPS    := $(notdir $(wildcard steps/*))
TOOLS    := test/dx-engine $(wildcard test/tools/*)

.PHONY: all build deps test test-go test-groovy lint demo bench bench-go chaos dist clean contract fuzz

all: build

build:
	@mkdir -p $(BIN)
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/ ./steps/... $(addprefix ./,$(TOOLS))

# contract regenerates, from the step binaries' contracts, the Jenkins library's key table
# (src/io/dxsteps/StepContracts.groovy), the vars' .txt help and the key tables of docs/steps.md and docs/library.md.
contract:
	$(GO) run ./internal/contract/gen

# deps installs what the Jenkins-side tests and the demo need on a Debian machine.
deps:
	./test/deps.sh

test: build deps test-go test-groovy

test-go:
	$(GO) test -count=1 -timeout 30m ./...

test-groovy:
	./test/groovy/run-tests.sh
	./test/runner/run-tests.sh

lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$unformatted" ]; then echo "gofmt: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	./test/groovy/lint.sh

# demo runs Jenkinsfile.example on the local engine; PLATFORM=dct runs it on the engine's Data
# Control Tower API instead, with the admin's API key as a Secret text credential.
PLATFORM ?= engine
demo: build deps
	./test/demo.sh --platform '$(PLATFORM)'

# bench measures waits, steps, lanes and the pipeline against the local engine and prints a
# table (docs/benchmarks.md); MODE=full adds 600 lanes and more samples; MODE=ci runs every part
# once in seconds and fails when one fails (CI runs it). Not part of make test.
MODE ?= quick
bench: build
	$(GO) run ./test/bench -mode $(MODE)

# chaos runs the Data Pipeline RUNS times against a local engine that does a random fault to
# RATE of the API requests, and checks each run from outside (docs/chaos.md); PLATFORM=dct runs
# it on the engine's DCT API; CHAOSFLAGS adds flags of test/chaos (-logs DIR, -seed N,
# -kinds K,..., -v). Not part of make test.
RUNS ?= 50
RATE ?= 0.10
chaos: build deps
	$(GO) run ./test/chaos -platform '$(PLATFORM)' -runs $(RUNS) -rate $(RATE) $(CHAOSFLAGS)

# bench-go runs the Go benchmarks five times (bench.txt; compare runs with benchstat).
bench-go:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./... | tee bench.txt

# Each fuzz target for FUZZTIME, one at a time; a failing input lands in the
# package's testdata/fuzz/<target> and `go test` replays it from then on
# (test/fuzz.sh; CI runs it with FUZZTIME=5s).
FUZZTIME ?= 60s
FUZZ     := ./delphix:FuzzDecodeResponse ./delphix:FuzzSanitizeJSON ./delphix:FuzzJob ./delphix:FuzzDataSource \
            ./delphix:FuzzClosestNames ./internal/cli:FuzzConfigFile ./internal/steps/credentials:FuzzPolicy \
            ./internal/steps/credentials:FuzzShellQuote ./internal/yamlfile:FuzzDecode
fuzz:
	GO='$(GO)' ./test/fuzz.sh '$(FUZZTIME)' $(FUZZ)

dist:
	./test/dist.sh $(VERSION)

clean:
	rm -rf $(BIN) dist

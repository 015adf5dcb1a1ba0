# The two commands of the README: `make run` and `make test`.
SWIFT ?= swift

.PHONY: deps run test unit build bench clean lint format

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

# Installs what is missing, then imports a sample list and sends a sample message to the outbox.
run: build
	@scripts/demo.sh

# The toolchain's formatter, with .swift-format (120 columns): `make lint` checks, `make format` fixes.
lint:
	$(SWIFT) format lint --strict --recursive --configuration .swift-format Sources Tests

format:
	$(SWIFT) format format --in-place --recursive --configuration .swift-format Sources Tests

# The unit layer alone (docs/testing.md): no process, no peer, no install step; seconds, not minutes.
# Built with the flags of `make test`, so switching between the two reuses the build.
unit:
	$(SWIFT) test -Xswiftc -warnings-as-errors --filter OutreachUnitTests

# Lint first; warnings are errors: the code is warning-free in Swift 6 mode and stays so. Both layers.
test: lint
	@scripts/install-deps.sh --test
	$(SWIFT) build -Xswiftc -warnings-as-errors
	$(SWIFT) test -Xswiftc -warnings-as-errors

bench:
	@scripts/install-deps.sh --bench
	$(SWIFT) build -c release
	bench/run-all.sh

clean:
	rm -rf .build outreach-data

# aib — build, test, sanitize, fuzz, bench, run. Plain make; see README.md and docs/architecture.md.
CC       ?= cc
CLANG    ?= clang
OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
AIB_CFLAGS := -std=c11 -Wall -Wextra -Werror -Wshadow \
              -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iinclude -Isrc -MMD -MP \
              -I/usr/include/libxml2 -I/usr/include/postgresql
LIBS     ?= -ljansson -larchive -lxml2 -licui18n -licuuc -licudata -lsodium -lsqlite3 -lpq \
            -lmicrohttpd -lpthread -lm
BUILD    ?= build
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)

LIB_SRC  := $(sort $(shell find src -name '*.c' -not -path 'src/cli/*'))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/*.c))
BENCH_SRC:= $(sort $(wildcard bench/*.c))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)

.PHONY: all test unit sanitize fuzz bench run clean bootstrap

all: $(BUILD)/aib

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(AIB_CFLAGS) $(CFLAGS) -c $< -o $@

# ar keys members by file name, so two objects with one name would silently replace each other.
$(BUILD)/libaib.a: $(LIB_OBJ)
	@dups=$$(for f in $^; do basename $$f; done | sort | uniq -d); \
	 if [ -n "$$dups" ]; then echo "libaib.a: object names must be unique: $$dups" >&2; exit 1; fi
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/aib: $(CLI_OBJ) $(BUILD)/libaib.a
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libaib.a $(LIBS) $(LDFLAGS)

$(BUILD)/unit_tests: $(TEST_OBJ) $(BUILD)/libaib.a
	$(CC) $(CFLAGS) -o $@ $(TEST_OBJ) $(BUILD)/libaib.a $(LIBS) $(LDFLAGS)

bootstrap:
	@scripts/bootstrap

# The README's test command: installs what is missing, builds, runs every suite and ends with
# one "N passed, N failed" line.
test: bootstrap
	@$(MAKE) --no-print-directory -j$(JOBS) all $(BUILD)/unit_tests
	@BUILD=$(BUILD) tests/run

unit: $(BUILD)/unit_tests
	$(BUILD)/unit_tests

# ASan + UBSan build of everything, then the same suites (conformance on a sample).
sanitize: bootstrap
	@$(MAKE) --no-print-directory -j$(JOBS) BUILD=build/san CC=$(CLANG) OPT=-O1 \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  build/san/aib build/san/unit_tests
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  BUILD=build/san AIB_SANITIZE=1 tests/run

# libFuzzer targets; FUZZ_SECONDS per target (short in CI).
FUZZ_SECONDS ?= 30
fuzz: bootstrap
	@$(MAKE) --no-print-directory -j$(JOBS) BUILD=build/fuzzlib CC=$(CLANG) \
	  CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer" build/fuzzlib/libaib.a
	@tests/fuzz/run $(FUZZ_SECONDS)

bench: bootstrap
	@$(MAKE) --no-print-directory -j$(JOBS) all
	@bench/run

run: bootstrap
	@$(MAKE) --no-print-directory -j$(JOBS) all
	@scripts/demo

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

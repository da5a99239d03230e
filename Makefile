# calftrack - ankle IMU pod host program, firmware, tests.
#
#   make            build build/calftrack
#   make check      every test: unit tests (plain and under ASan+UBSan), integration, firmware
#   make demo       the virtual pod and a simulated patient through a whole programme
#   make firmware   the pod firmware: ELF, BIN, UF2 and a size report
#   make bench      throughput, latency, memory and accuracy figures
#   make valgrind   memcheck on calftrack through the demo's steps
#   make fuzz       libFuzzer targets for FUZZ_SECONDS each (default 60)
#   make install    PREFIX (default /usr/local) and DESTDIR are honoured
#
# A missing Debian package is installed by scripts/install-deps.sh on first build.

PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build
FUZZ_SECONDS ?= 60

CC ?= cc
CFLAGS ?= -O2 -g
WARN := -std=c11 -Wall -Wextra -Werror -Wshadow -Wpedantic -Wmissing-prototypes \
	-Wstrict-prototypes -Wundef -Wpointer-arith -Wno-unused-parameter
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iinclude
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# pkg-config is asked lazily (=, not :=) so that it runs after the dependencies exist.
USB_CFLAGS = $(shell pkg-config --cflags libusb-1.0)
USB_LIBS = $(shell pkg-config --libs libusb-1.0)
CMOCKA_LIBS = $(shell pkg-config --libs cmocka)
UMOCKDEV_CFLAGS = $(shell pkg-config --cflags umockdev-1.0)
UMOCKDEV_LIBS = $(shell pkg-config --libs umockdev-1.0)
LIBS = $(USB_LIBS) -lcsv -lm

DEPS_STAMP := $(BUILD)/.deps-installed

-include firmware/firmware.mk

# Every stage of the data flow is a folder under src/; every .c in it is a module of the
# library. The command-line edge (src/cli/) and the virtual pod (src/vpod/) are programs.
CLI_SRC := $(wildcard src/cli/*.c)
VPOD_SRC := $(wildcard src/vpod/*.c)
LIB_SRC := $(filter-out $(CLI_SRC) $(VPOD_SRC),$(wildcard src/*/*.c)) $(FW_CORE_SRC)
TEST_SRC := $(wildcard tests/test_*.c)
SUPPORT_SRC := $(wildcard tests/support/*.c)
BENCH_SRC := $(wildcard bench/*.c)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)

obj = $(patsubst %.c,$(BUILD)/$(1)/%.o,$(2))

LIB := $(BUILD)/libcalftrack.a
LIB_ASAN := $(BUILD)/asan/libcalftrack.a
BIN := $(BUILD)/calftrack
VPOD := $(BUILD)/calftrack-vpod
TESTS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))
TESTS_ASAN := $(patsubst tests/%.c,$(BUILD)/asan/tests/%,$(TEST_SRC))
BENCHES := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))

ALL_CFLAGS = $(WARN) $(CFLAGS) $(CPPFLAGS) $(FW_CORE_INC) $(USB_CFLAGS)

.PHONY: all check unit unit-asan demo bench fuzz fuzz-regress install uninstall clean deps

all: $(BIN) $(if $(VPOD_SRC),$(VPOD))

deps: $(DEPS_STAMP)
$(DEPS_STAMP): scripts/install-deps.sh
	@sh scripts/install-deps.sh
	@mkdir -p $(@D) && touch $@

$(BUILD)/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/asan/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -MMD -MP -c $< -o $@

$(LIB): $(call obj,obj,$(LIB_SRC))
	@rm -f $@
	$(AR) rcs $@ $^

$(LIB_ASAN): $(call obj,asan/obj,$(LIB_SRC))
	@rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(call obj,obj,$(CLI_SRC)) $(LIB)
	$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

$(VPOD): $(call obj,obj,$(VPOD_SRC)) $(LIB)
	$(CC) $(CFLAGS) -o $@ $^ $(UMOCKDEV_LIBS) $(LIBS)

$(BUILD)/obj/src/vpod/%.o: src/vpod/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(UMOCKDEV_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/tests/%: tests/%.c $(SUPPORT_SRC) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests -o $@ $< $(SUPPORT_SRC) $(LIB) $(CMOCKA_LIBS) $(LIBS)

$(BUILD)/asan/tests/%: tests/%.c $(SUPPORT_SRC) $(LIB_ASAN)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -Itests -o $@ $< $(SUPPORT_SRC) $(LIB_ASAN) $(CMOCKA_LIBS) $(LIBS)

$(BUILD)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -O3 -o $@ $< $(LIB) $(LIBS)

# make check: what the README promises and CI runs.
IT_SRC := $(wildcard tests/it/*.sh)
FW_CHECK := $(if $(wildcard firmware/firmware.mk),check-firmware)

check: all $(TESTS) $(TESTS_ASAN) $(FUZZERS) $(FW_CHECK:check-firmware=firmware)
	@sh scripts/run-tests.sh $(BUILD) $(TESTS) $(TESTS_ASAN) $(IT_SRC) make:fuzz-regress \
		$(if $(FW_CHECK),make:check-firmware)

unit: $(TESTS)
	@sh scripts/run-tests.sh $(BUILD) $(TESTS)

unit-asan: $(TESTS_ASAN)
	@sh scripts/run-tests.sh $(BUILD) $(TESTS_ASAN)

demo: all
	@$(BIN) demo --dir $(CURDIR)/$(BUILD)/demo

bench: all $(BENCHES)
	@for b in $(BENCHES); do echo "== $$b"; $$b || exit 1; done
	@echo "== firmware"; $(MAKE) --no-print-directory bench-firmware 2>&1 | grep -v '^arm-none-eabi'

# memcheck on calftrack through the demo's steps (the virtual pod itself excluded)
.PHONY: valgrind
valgrind: all
	@sh scripts/valgrind.sh $(BUILD)

FUZZERS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRC))
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

$(BUILD)/fuzz/%: tests/fuzz/%.c $(LIB_SRC) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	clang $(WARN) $(FUZZ_FLAGS) $(CPPFLAGS) $(FW_CORE_INC) $(USB_CFLAGS) -o $@ $< $(LIB_SRC) $(LIBS)

fuzz: $(FUZZERS)
	@sh scripts/fuzz.sh $(BUILD) $(FUZZ_SECONDS) $(FUZZERS)

# The seed corpora replayed once (no new inputs): regressions of past crashes.
fuzz-regress: $(FUZZERS)
	@sh scripts/fuzz.sh $(BUILD) 0 $(FUZZERS)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/libexec/calftrack \
		$(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/calftrack/plots \
		$(DESTDIR)$(PREFIX)/share/calftrack/prescriptions $(DESTDIR)$(PREFIX)/lib/udev/rules.d
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/calftrack
	install -m 0755 $(VPOD) $(DESTDIR)$(PREFIX)/libexec/calftrack/calftrack-vpod
	install -m 0644 docs/calftrack.1 $(DESTDIR)$(PREFIX)/share/man/man1/calftrack.1
	install -m 0644 docs/70-calftrack.rules $(DESTDIR)$(PREFIX)/lib/udev/rules.d/70-calftrack.rules
	install -m 0644 plots/*.gp $(DESTDIR)$(PREFIX)/share/calftrack/plots/
	install -m 0644 prescriptions/*.csv $(DESTDIR)$(PREFIX)/share/calftrack/prescriptions/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/calftrack $(DESTDIR)$(PREFIX)/share/man/man1/calftrack.1 \
		$(DESTDIR)$(PREFIX)/lib/udev/rules.d/70-calftrack.rules
	rm -rf $(DESTDIR)$(PREFIX)/libexec/calftrack $(DESTDIR)$(PREFIX)/share/calftrack

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

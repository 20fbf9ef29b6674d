# Postern top-level Makefile (GNU make, no autotools).
#
#   make               build every program into build/bin and build/libexec
#   make test          build, run every test (unit + end-to-end), then all
#                      of them again under ASan+UBSan (make sanitize)
#   make test-plain    the suite once, without sanitizers
#   make sanitize      build into build/san with ASan+UBSan and run every test
#   make check-static  cppcheck over the whole tree
#   make deps          install the Debian packages needed to build and test
#   make run           deps, build, and start an instance in the foreground
#   make bench         smtpd, SMTP-to-Maildir delivery, then relaying, against Debian's
#                      Postfix (as root; build/bench/{smtpd,delivery,relay}.json)
#   make install PREFIX=/usr/local DESTDIR=   (build with the same PREFIX:
#                      the default directories are compiled in)
#
# Include paths enforce the two layers of lib/: lib/util (base, knows nothing
# of mail) is compiled with -Ilib/util only, so it cannot include lib/global.

BUILD    ?= build
PREFIX   ?= /usr/local
SETGID_GROUP ?= postdrop
DESTDIR  ?=
CC       ?= cc

WARN     := -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral
HARDEN   := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
# OPT is the optimisation level; CFLAGS from the command line adds to,
# never replaces, the flags the build needs.
OPT      ?= -O2 -g
ALL_CFLAGS = $(OPT) -std=gnu11 -D_GNU_SOURCE $(WARN) $(HARDEN) -MMD -MP $(SAN_CFLAGS) \
             -DPOSTERN_PREFIX='"$(PREFIX)"' $(CFLAGS)
LDFLAGS  += -pie -Wl,-z,relro,-z,now
# Berkeley DB and PCRE2 back the hash:, btree: and pcre: lookup tables;
# libresolv the DNS lookups.
LDLIBS   += -ldb -lpcre2-8 -lpthread -lresolv

ifeq ($(SAN),1)
SAN_CFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS  += -fsanitize=address,undefined
endif

# Programs: one directory each. BIN go to build/bin, LIBEXEC to build/libexec.
BIN      := postconf postern postcat postqueue postsuper sendmail postdrop postmap postalias
LIBEXEC  := master smtpd qmgr local showq pickup smtp error
# Commands that are the same binary under another name (argv[0] decides).
ALIASES  := mailq:postqueue newaliases:postalias
TESTD    := t/testd

UTIL_SRC   := $(wildcard lib/util/*.c)
GLOBAL_SRC := $(wildcard lib/global/*.c)
UTIL_OBJ   := $(UTIL_SRC:%.c=$(BUILD)/obj/%.o)
GLOBAL_OBJ := $(GLOBAL_SRC:%.c=$(BUILD)/obj/%.o)
LIBUTIL    := $(BUILD)/lib/libutil.a
LIBGLOBAL  := $(BUILD)/lib/libglobal.a

UNIT_SRC   := $(wildcard t/unit/*_test.c)
UNIT_BIN   := $(UNIT_SRC:t/unit/%.c=$(BUILD)/t/%)
HARNESS_OBJ:= $(BUILD)/obj/t/unit/harness.o

all: $(BIN:%=$(BUILD)/bin/%) $(foreach a,$(ALIASES),$(BUILD)/bin/$(word 1,$(subst :, ,$(a)))) $(LIBEXEC:%=$(BUILD)/libexec/%) $(BUILD)/t/testd $(BUILD)/t/deliver $(UNIT_BIN)

$(BUILD)/obj/lib/util/%.o: lib/util/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Ilib/util -c $< -o $@

$(BUILD)/obj/lib/global/%.o: lib/global/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Ilib/util -Ilib/global -c $< -o $@

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Ilib/util -Ilib/global -I$(dir $<) -c $< -o $@

$(LIBUTIL): $(UTIL_OBJ)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(LIBGLOBAL): $(GLOBAL_OBJ)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

LIBS := $(LIBGLOBAL) $(LIBUTIL)

# One rule per program directory: every .c in it is that program.
define program
$(2)/$(1): $$(patsubst %.c,$(BUILD)/obj/%.o,$$(wildcard $(1)/*.c)) $$(LIBS)
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS)
endef
$(foreach p,$(BIN),$(eval $(call program,$(p),$(BUILD)/bin)))
$(foreach p,$(LIBEXEC),$(eval $(call program,$(p),$(BUILD)/libexec)))

# An alias is a symbolic link to its program: NAME:PROGRAM.
define alias
$(BUILD)/bin/$(1): $(BUILD)/bin/$(2)
	ln -sfn $(2) $$@
endef
$(foreach a,$(ALIASES),$(eval $(call alias,$(word 1,$(subst :, ,$(a))),$(word 2,$(subst :, ,$(a))))))

$(BUILD)/t/testd: $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard t/testd/*.c)) $(LIBS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/t/deliver: $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard t/deliver/*.c)) $(LIBS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/t/%_test: $(BUILD)/obj/t/unit/%_test.o $(HARNESS_OBJ) $(LIBS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The README's one test command: the whole suite, then again under ASan+UBSan.
test: deps
	$(MAKE) test-plain
	$(MAKE) sanitize

test-plain: all
	POSTERN_BUILD=$(BUILD) t/run

# Daemons run detached (and maybe as mail_owner), so sanitizer reports go
# to files in a world-writable directory that t/run checks at the end.
SANLOG := $(CURDIR)/build/san/logs
sanitize:
	$(MAKE) -j2 BUILD=build/san SAN=1 OPT="-O1 -g" all
	rm -rf $(SANLOG) && mkdir -p $(SANLOG) && chmod 1777 $(SANLOG)
	ASAN_OPTIONS=detect_leaks=1:log_path=$(SANLOG)/asan \
	LSAN_OPTIONS=suppressions=$(CURDIR)/t/lsan.supp \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$(SANLOG)/ubsan \
	    POSTERN_SANITIZER_LOGS=$(SANLOG) POSTERN_BUILD=build/san t/run

# libFuzzer targets: t/fuzz/NAME_fuzz.c becomes build/fuzz/NAME_fuzz, linked
# with the libraries rebuilt by clang under the same sanitizers. Run one with
# build/fuzz/NAME_fuzz -max_total_time=60.
FUZZ_BIN := $(patsubst t/fuzz/%.c,build/fuzz/%,$(wildcard t/fuzz/*_fuzz.c))
fuzz:
	$(MAKE) BUILD=build/fuzz SAN=1 CC="clang -fsanitize=fuzzer-no-link" $(FUZZ_BIN)

$(BUILD)/%_fuzz: t/fuzz/%_fuzz.c $(LIBS)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -Ilib/util -Ilib/global $(LDFLAGS) -o $@ $^ $(LDLIBS)

check-static:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
	    --inline-suppr --std=c11 -D__GNUC__ -Ilib/util -Ilib/global \
	    lib $(BIN) $(LIBEXEC) t/unit t/testd $(wildcard t/deliver)

DEPS := build-essential libdb-dev libpcre2-dev libsodium-dev libpam0g-dev libssl-dev cppcheck \
        python3 python3-pytest postfix swaks procps s-nail dnsmasq python3-aiosmtpd

deps:
	@if dpkg -s $(DEPS) >/dev/null 2>&1; then echo "deps: all installed"; else \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(DEPS); fi

run: deps all
	t/run-instance

# Postern against Postfix on this machine: smtpd's accept rate and memory,
# then end-to-end delivery into a Maildir. Tables on stdout, the same in
# $(BUILD)/bench/smtpd.json, delivery.json and relay.json. Takes a few minutes; run as root.
bench: all
	POSTERN_BUILD=$(BUILD) /usr/bin/python3 bench/smtpd_bench.py
	POSTERN_BUILD=$(BUILD) /usr/bin/python3 bench/delivery_bench.py
	POSTERN_BUILD=$(BUILD) /usr/bin/python3 bench/relay_bench.py

install: all
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/libexec/postern $(DESTDIR)$(PREFIX)/etc/postern
	install -m 755 $(BIN:%=$(BUILD)/bin/%) $(DESTDIR)$(PREFIX)/sbin/
	$(foreach a,$(ALIASES),ln -sfn $(word 2,$(subst :, ,$(a))) $(DESTDIR)$(PREFIX)/sbin/$(word 1,$(subst :, ,$(a)));)
	install -m 755 $(LIBEXEC:%=$(BUILD)/libexec/%) $(DESTDIR)$(PREFIX)/libexec/postern/
	install -m 644 etc/main.cf etc/master.cf $(DESTDIR)$(PREFIX)/etc/postern/
	@# postdrop is setgid setgid_group (2755), as Postfix's.
	if getent group $(SETGID_GROUP) >/dev/null; then \
	    chgrp $(SETGID_GROUP) $(DESTDIR)$(PREFIX)/sbin/postdrop && chmod 2755 $(DESTDIR)$(PREFIX)/sbin/postdrop; \
	else echo "install: no group $(SETGID_GROUP): postdrop is not setgid"; fi

clean:
	rm -rf $(BUILD) build/san

.SECONDARY:

.PHONY: all test test-plain sanitize fuzz check-static deps run bench install clean

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

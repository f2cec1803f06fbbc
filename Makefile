# ASB powers register and national data-collection gateway: one Makefile for every target.
#   make            build everything (quiet when all is well)
#   make deps       install missing Debian packages (no-op when all are present)
#   make check      deps + build + every Check suite and end-to-end script, then all again
#                   under ASan+UBSan
#   make demo       deps + build + the main job end to end on ./var/
#   make web        the officers' web application on the demo register (tools/web.sh)
#   make bench      benchmarks (never part of check)
#   make install    PREFIX=/usr/local DESTDIR=
#   make lint       banned functions

BUILD	?= build
XSD	= schema/asb-return-1.xsd
SAN	?= 0
PREFIX	?= /usr/local
CC	?= cc

# Debian packages the build, the tests and the benchmarks need (and npm, when no npm is on
# the PATH: a nodejs from elsewhere may bring its own, which Debian's npm would conflict with).
DEB_PACKAGES = gcc make pkg-config liblmdb-dev lmdb-utils check libsubunit-dev libssl-dev \
	libsqlite3-dev sqlite3 bsdutils libxml2-dev libxml2-utils time bc openssl xmlsec1 \
	libxmlsec1-dev libxmlsec1-openssl libcurl4-openssl-dev curl libevent-dev python3 \
	chromium fonts-dejavu-core libicu-dev libargon2-dev liboath-dev oathtool nodejs \
	libzip-dev libreoffice-calc-nogui jq unzip
# and the benchmarks only ('make bench', never 'make check'): bench/web's load generator and floor
BENCH_PACKAGES = wrk nginx

PKGS	= lmdb openssl libxml-2.0 xmlsec1-openssl libcurl libevent_openssl libevent_pthreads \
	  icu-uc icu-i18n liboath libargon2 libzip
WARN	= -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	  -Wpointer-arith
CFLAGS_ALL = -std=c11 -D_DEFAULT_SOURCE $(WARN) -g -fstack-protector-strong
# Each module sees the headers of what it may use and no more, so a wrong include fails the
# build: the hub uses the return, never the gateway or the register.
INC_ALL	= -Icommon -Ischema -Iregister -Ireturn -Igateway -Ihub -Iweb
INC	= $(INC_ALL)
$(BUILD)/common/%.o:	INC = -Icommon
$(BUILD)/schema/%.o:	INC = -Icommon -Ischema
$(BUILD)/register/%.o:	INC = -Icommon -Ischema -Iregister
$(BUILD)/return/%.o:	INC = -Icommon -Ischema -Ireturn
$(BUILD)/gateway/%.o:	INC = -Icommon -Ischema -Iregister -Ireturn -Igateway
$(BUILD)/hub/%.o:	INC = -Icommon -Ischema -Ireturn -Ihub
$(BUILD)/web/%.o:	INC = -Icommon -Ischema -Iregister -Iweb
ifeq ($(FUZZ),1)
CFLAGS_ALL += -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
LDFLAGS_ALL = -fsanitize=address,undefined
else ifeq ($(SAN),1)
CFLAGS_ALL += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
LDFLAGS_ALL = -fsanitize=address,undefined
else
CFLAGS_ALL += -O2 -D_FORTIFY_SOURCE=2
LDFLAGS_ALL =
endif
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -llmdb -lssl -lcrypto)
CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)

Q = @
COMMON_SRC = common/err.c common/num.c common/date.c common/json.c common/csv.c common/bytes.c \
	common/progress.c common/afile.c common/conf.c common/cmd.c common/utf8.c \
	common/envcopy.c common/daemon.c
SCHEMA_SRC = schema/codes.c schema/rules.c schema/detail.c schema/authority.c schema/life.c
SCHEMA_GEN = $(BUILD)/gen/tables.c
REG_SRC    = register/store.c register/codec.c register/subject.c \
	register/record.c register/audit.c register/query.c register/import.c \
	register/fields.c register/users.c register/review.c register/create.c register/open.c \
	register/commence.c register/names.c register/lookup.c register/due_index.c \
	register/auth.c register/recent.c
# Putting mistakes right: void and merge.
REG_SRC   += register/void.c register/merge.c
# Backups and restores.
REG_SRC   += register/backup.c
# The officers' web application (asbreg serve): libweb, above the register.
WEB_SRC    = web/server.c web/request.c web/route.c web/session.c web/page.c web/form.c \
	web/assets.c web/metrics.c web/page_login.c web/page_home.c web/page_find.c \
	web/page_subject.c web/page_record.c web/page_record_new.c web/formpage.c web/page_event.c \
	web/page_lists.c web/page_admin.c web/cmd_serve.c

HUB_SRC    = hub/store.c hub/store_codec.c hub/intake.c hub/serve.c hub/conn.c hub/report.c \
	hub/report_out.c hub/report_sdc.c hub/sdc.c hub/compliance.c hub/tally.c hub/reindex.c \
	hub/admin.c hub/store_tls.c hub/peer.c hub/backup.c hub/metrics.c
# Publication: coverage, measures, data quality, the tidy CSV, the workbook, releases.
HUB_SRC   += hub/report_pub.c hub/report_html.c hub/report_quality.c hub/report_ods.c hub/ods.c hub/release.c
RTN_SRC    = return/period.c return/validate.c return/walker.c return/facts.c return/dsig.c \
	return/receipt.c return/xml.c return/x509.c return/sign.c return/explain.c
GW_SRC     = gateway/pseudo.c gateway/build.c gateway/outbox.c gateway/outbox_codec.c \
	gateway/client.c gateway/submit.c gateway/summary.c \
	gateway/explain.c

COMMON_OBJ = $(COMMON_SRC:%.c=$(BUILD)/%.o)
SCHEMA_OBJ = $(SCHEMA_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/tables.o
REG_OBJ    = $(REG_SRC:%.c=$(BUILD)/%.o)
RTN_OBJ    = $(RTN_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/xsd.o
GW_OBJ     = $(GW_SRC:%.c=$(BUILD)/%.o)
WEB_OBJ    = $(WEB_SRC:%.c=$(BUILD)/%.o)
HUB_OBJ    = $(HUB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/population.o

LIBS = $(BUILD)/libweb.a $(BUILD)/libhub.a $(BUILD)/libgateway.a $(BUILD)/libregister.a \
	$(BUILD)/libreturn.a \
	$(BUILD)/libschema.a $(BUILD)/libasbcommon.a
BINS = $(BUILD)/bin/asbreg $(BUILD)/bin/asbgw $(BUILD)/bin/asbhub $(BUILD)/bin/asbsynth
TESTS = $(BUILD)/tests/check_common $(BUILD)/tests/check_schema $(BUILD)/tests/check_detail \
	$(BUILD)/tests/check_register $(BUILD)/tests/check_names $(BUILD)/tests/check_gateway \
	$(BUILD)/tests/check_protocol $(BUILD)/tests/check_report $(BUILD)/tests/check_store \
	$(BUILD)/tests/check_trust $(BUILD)/tests/check_web $(BUILD)/tests/check_envcopy \
	$(BUILD)/tests/check_intake $(BUILD)/tests/check_explain
BENCH = $(BUILD)/bench/regbench

CODE_TSV = schema/codes/forces.tsv schema/codes/powers.tsv \
	schema/codes/ethnicity.tsv schema/codes/sex.tsv schema/codes/ranks.tsv \
	schema/codes/agencies.tsv schema/codes/events.tsv \
	schema/codes/outcomes.tsv schema/codes/agebands.tsv schema/codes/parties.tsv

.PHONY: all deps check test demo bench bench-deps install lint layering clean schema schema-check fuzz fuzzers crash \
	web web-assets load
# Keep object files make would otherwise delete as intermediates (and announce it).
.SECONDARY:
all: $(BINS) $(TESTS) web-assets

deps:
	$(Q)missing=""; for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q 'install ok installed' || missing="$$missing $$p"; done; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		if [ "$$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi; \
		$$sudo apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq \
			--no-install-recommends $$missing >/dev/null || exit 1; \
	fi
	$(Q)[ node_modules/.package-lock.json -nt package-lock.json ] || \
		PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error

$(BUILD)/gen/tables.c: $(CODE_TSV) schema/rules.tsv schema/authority.tsv schema/tsv2c.awk \
		schema/rules2c.awk
	$(Q)mkdir -p $(@D)
	$(Q){ echo '/* Generated from the TSV files of schema/codes/, schema/authority.tsv and schema/rules.tsv: do not edit. */'; \
	  echo '#include "tables.h"'; \
	  for f in $(CODE_TSV) schema/authority.tsv; do n=$$(basename $$f .tsv); \
	    awk -f schema/tsv2c.awk -v name=$$n $$f || exit 1; done; \
	  { grep -v '^#' schema/rules.tsv | head -n 1; grep -v '^#' schema/rules.tsv | \
	    tail -n +2 | LC_ALL=C sort -s -t "$$(printf '\t')" -k1,1; } | \
	    awk -f schema/rules2c.awk schema/codes/powers.tsv - || exit 1; \
	} > $@.tmp && mv $@.tmp $@

$(BUILD)/%.o: %.c
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS_ALL) $(INC) $(PKG_CFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/gen/tables.o: $(BUILD)/gen/tables.c
	$(Q)$(CC) $(CFLAGS_ALL) -Icommon -Ischema $(CFLAGS) -c $< -o $@

$(BUILD)/libasbcommon.a: $(COMMON_OBJ)
	$(Q)rm -f $@; ar rcs $@ $^
$(BUILD)/libschema.a: $(SCHEMA_OBJ)
	$(Q)rm -f $@; ar rcs $@ $^
$(BUILD)/libregister.a: $(REG_OBJ)
	$(Q)rm -f $@; ar rcs $@ $^
$(BUILD)/libreturn.a: $(RTN_OBJ)
	$(Q)rm -f $@; ar rcs $@ $^
$(BUILD)/libgateway.a: $(GW_OBJ)
	$(Q)rm -f $@; ar rcs $@ $^
$(BUILD)/libhub.a: $(HUB_OBJ)
	$(Q)rm -f $@; ar rcs $@ $^
$(BUILD)/libweb.a: $(WEB_OBJ)
	$(Q)rm -f $@; ar rcs $@ $^

# GOV.UK Frontend's compiled CSS and images (npm ci installs the version
# package-lock.json pins), copied under the build so 'asbreg serve' finds them there by
# default; installed to $(PREFIX)/share/asb/govuk.  Without node_modules (no 'make deps' yet)
# nothing is copied and 'asbreg serve' says so.  Not the GDS Transport font: it is for GOV.UK's
# own services only (web/assets.c declares the family over Arial).
GOVUK_DIST = node_modules/govuk-frontend/dist/govuk
web-assets:
	$(Q)if [ -f $(GOVUK_DIST)/govuk-frontend.min.css ]; then \
		rm -rf $(BUILD)/share/govuk && mkdir -p $(BUILD)/share/govuk/assets && \
		cp -p $(GOVUK_DIST)/govuk-frontend.min.css $(BUILD)/share/govuk/ && \
		cp -pR $(GOVUK_DIST)/assets/images $(BUILD)/share/govuk/assets/; fi

# The XSD compiled into asbgw as bytes, so validation needs no file and no network.
$(BUILD)/gen/xsd.c: $(XSD)
	$(Q)mkdir -p $(@D)
	$(Q){ echo '/* Generated from $(XSD): do not edit. */'; \
	  echo '#include "xsd.h"'; echo 'const char rtn_xsd[] = {'; \
	  od -An -v -tx1 $(XSD) | awk '{ for (i = 1; i <= NF; i++) printf "0x%s,", $$i; print "" }'; \
	  echo '};'; echo "const unsigned rtn_xsd_len = sizeof(rtn_xsd);"; } > $@.tmp && mv $@.tmp $@
$(BUILD)/gen/xsd.o: $(BUILD)/gen/xsd.c
	$(Q)$(CC) $(CFLAGS_ALL) -Ireturn $(CFLAGS) -c $< -o $@

# The population per police force area (for rates), compiled in from schema/population.tsv.
$(BUILD)/gen/population.c: schema/population.tsv
	$(Q)mkdir -p $(@D)
	$(Q){ echo '/* Generated from schema/population.tsv: do not edit. */'; \
	  echo '#include "population.h"'; echo 'const struct rpt_pop rpt_population[] = {'; \
	  grep -v '^#' $< | tail -n +2 | awk -F '\t' '{ printf "\t{ \"%s\", %s },\n", $$1, $$2 }'; \
	  echo '};'; echo 'const size_t rpt_population_n = sizeof(rpt_population) / sizeof(rpt_population[0]);'; \
	  src=$$(sed -n 's/^# source: //p' $< | tr -d '"\\'); [ -n "$$src" ] || exit 1; \
	  echo "const char rpt_population_source[] = \"$$src\";"; \
	} > $@.tmp && mv $@.tmp $@
$(BUILD)/gen/population.o: $(BUILD)/gen/population.c
	$(Q)$(CC) $(CFLAGS_ALL) -Icommon -Ihub $(CFLAGS) -c $< -o $@

$(BUILD)/bin/asbsynth: $(BUILD)/tools/synth.o $(LIBS)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS_ALL) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

# The asbreg command: main and its table, printing, the commands by group.
ASBREG_OBJ = $(addprefix $(BUILD)/register/,asbreg.o print.o cmd_record.o cmd_query.o \
	cmd_subject.o cmd_admin.o cmd_io.o cmd_correct.o cmd_secret.o cmd_backup.o)
$(BUILD)/bin/asbreg: $(ASBREG_OBJ) $(LIBS)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS_ALL) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
# The asbgw command: main, its table and shared settings; the commands by group.
ASBGW_OBJ = $(addprefix $(BUILD)/gateway/,asbgw.o cmd_build.o cmd_sign.o cmd_send.o)
$(BUILD)/bin/asbgw: $(ASBGW_OBJ) $(LIBS)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS_ALL) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
# The hub never links the register or the gateway: only the return (schema, validation,
# signatures, receipts).  'layering' (part of check) proves no hub object names a symbol of
# either.
ASBHUB_OBJ = $(addprefix $(BUILD)/hub/,asbhub.o cmd_init.o cmd_serve.o cmd_returns.o \
	cmd_report.o cmd_store.o cmd_release.o cmd_backup.o cmd_operator.o)
$(BUILD)/bin/asbhub: $(ASBHUB_OBJ) $(BUILD)/libhub.a $(BUILD)/libreturn.a \
		$(BUILD)/libschema.a $(BUILD)/libasbcommon.a
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS_ALL) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lpthread

$(BUILD)/tests/%.o: tests/%.c
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS_ALL) $(INC_ALL) $(PKG_CFLAGS) $(CHECK_CFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/tests/check_%: $(BUILD)/tests/check_%.o $(LIBS)
	$(Q)$(CC) $(LDFLAGS_ALL) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(CHECK_LIBS) -lpthread
# check_register's test case for void and merge lives in a file of its own.
$(BUILD)/tests/check_register: $(BUILD)/tests/check_register_correct.o
# check_report's publication cases (coverage, measures, releases, the workbook) too, before
# the libraries they use.
$(BUILD)/tests/check_report: $(BUILD)/tests/check_report.o $(BUILD)/tests/check_report_pub.o \
		$(LIBS)
	$(Q)$(CC) $(LDFLAGS_ALL) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(CHECK_LIBS) -lpthread

$(BUILD)/bench/regbench: bench/register/regbench.c $(LIBS)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS_ALL) $(INC_ALL) $(PKG_CFLAGS) -o $@ $^ $(PKG_LIBS) -lsqlite3

# The XSD's code lists come from schema/codes/*.tsv: 'make schema' regenerates the committed
# file; 'schema-check' (part of check) fails when it is stale.
schema: $(CODE_TSV) schema/asb-return-1.xsd.in schema/xsdgen.awk
	$(Q)awk -v codes=schema/codes -f schema/xsdgen.awk schema/asb-return-1.xsd.in > $(XSD).tmp
	$(Q)mv $(XSD).tmp $(XSD)
schema-check:
	$(Q)awk -v codes=schema/codes -f schema/xsdgen.awk schema/asb-return-1.xsd.in | \
		cmp -s - $(XSD) || { echo "$(XSD) is stale: run 'make schema'"; exit 1; }

# Every Check suite and end-to-end script; CK_RUN_CASE/SUITE are cleared so a stray one
# cannot make a suite run nothing and pass.
test: $(BINS) $(TESTS)
	$(Q)set -e; for t in $(TESTS); do echo "== $$t"; \
		env -u CK_RUN_CASE -u CK_RUN_SUITE CK_VERBOSITY=normal $$t; done
	$(Q)ASBREG=$(abspath $(BUILD)/bin/asbreg) ASBGW=$(abspath $(BUILD)/bin/asbgw) \
		ASBHUB=$(abspath $(BUILD)/bin/asbhub) SYNTH=$(abspath $(BUILD)/bin/asbsynth) \
		sh tests/e2e/run.sh
	$(Q)rm -rf $(BUILD)/stage && $(MAKE) --no-print-directory install PREFIX=/usr \
		DESTDIR=$(abspath $(BUILD)/stage) >/dev/null && \
		$(BUILD)/stage/usr/bin/asbreg --version >/dev/null && \
		test -s $(BUILD)/stage/usr/share/man/man1/asbreg.1 && \
		echo "install: 1 passed, 0 failed"

check: deps
	$(Q)$(MAKE) --no-print-directory all lint schema-check layering
	$(Q)$(MAKE) --no-print-directory test
	$(Q)echo "== fuzz smoke ($(FUZZ_SMOKE) s a target; 'make fuzz FUZZ_SECONDS=N' for longer)"
	$(Q)$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_SMOKE)
	$(Q)echo "== again under ASan+UBSan"
	$(Q)$(MAKE) --no-print-directory BUILD=build/san SAN=1 all
	$(Q)ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		$(MAKE) --no-print-directory BUILD=build/san SAN=1 test

# libFuzzer targets (clang): every parser that takes outside input.  'make fuzz' runs each for
# FUZZ_SECONDS; 'make check' runs a short smoke of each.
FUZZ_TARGETS = return dsig intake receipt csv conf parse web
FUZZ_SECONDS ?= 60
FUZZ_SMOKE ?= 15
FUZZ_BINS = $(FUZZ_TARGETS:%=$(BUILD)/fuzz_%)

fuzzers: $(FUZZ_BINS)
$(BUILD)/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz.h $(LIBS)
	$(Q)$(CC) $(CFLAGS_ALL) $(INC_ALL) $(PKG_CFLAGS) -Ifuzz -fsanitize=fuzzer $< $(LIBS) $(PKG_LIBS) -lm -o $@

fuzz: deps all
	$(Q)$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang FUZZ=1 fuzzers
	$(Q)ASBREG=$(abspath $(BUILD)/bin/asbreg) ASBGW=$(abspath $(BUILD)/bin/asbgw) \
		ASBHUB=$(abspath $(BUILD)/bin/asbhub) SYNTH=$(abspath $(BUILD)/bin/asbsynth) \
		sh fuzz/run.sh $(abspath build/fuzz) $(FUZZ_SECONDS)

# kill -9 at random points in each component (tests/e2e/crash.sh; make check runs a few)
# (and fails if fewer than CRASH_MIN_LIVE percent of the kills interrupted a live process)
CRASH_POINTS ?= 50
CRASH_MIN_LIVE ?= 50
crash: deps all
	$(Q)ASBREG=$(abspath $(BUILD)/bin/asbreg) ASBGW=$(abspath $(BUILD)/bin/asbgw) \
		ASBHUB=$(abspath $(BUILD)/bin/asbhub) SYNTH=$(abspath $(BUILD)/bin/asbsynth) \
		CRASH_POINTS=$(CRASH_POINTS) CRASH_MIN_LIVE=$(CRASH_MIN_LIVE) sh tests/e2e/crash.sh

# issue 12's cases at full size and the default limits (tests/e2e/load.sh with LOAD_FULL=1):
# slow clients, 16 concurrent 50 MB bodies against the memory budget, SIGTERM mid-check
load: deps all
	$(Q)ASBREG=$(abspath $(BUILD)/bin/asbreg) ASBGW=$(abspath $(BUILD)/bin/asbgw) \
		ASBHUB=$(abspath $(BUILD)/bin/asbhub) SYNTH=$(abspath $(BUILD)/bin/asbsynth) \
		LOAD_FULL=1 sh tests/e2e/load.sh

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)ASBREG=$(abspath $(BUILD)/bin/asbreg) ASBGW=$(abspath $(BUILD)/bin/asbgw) sh tools/demo.sh
	$(Q)ASBREG=$(abspath $(BUILD)/bin/asbreg) ASBGW=$(abspath $(BUILD)/bin/asbgw) \
		ASBHUB=$(abspath $(BUILD)/bin/asbhub) SYNTH=$(abspath $(BUILD)/bin/asbsynth) \
		sh tools/national.sh ./var/national

# The web application on the demo register, at https://localhost:8443 (tools/web.sh).
web: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)ASBREG=$(abspath $(BUILD)/bin/asbreg) ASBGW=$(abspath $(BUILD)/bin/asbgw) sh tools/web.sh

bench-deps: deps
	$(Q)missing=""; for p in $(BENCH_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q 'install ok installed' || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		if [ "$$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi; \
		$$sudo apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq \
			--no-install-recommends $$missing >/dev/null || exit 1; \
	fi

bench: bench-deps $(BINS) web-assets $(BENCH)
	$(Q)ASBREG=$(abspath $(BUILD)/bin/asbreg) REGBENCH=$(abspath $(BENCH)) \
		sh bench/register/run.sh
	$(Q)ASBREG=$(abspath $(BUILD)/bin/asbreg) ASBGW=$(abspath $(BUILD)/bin/asbgw) \
		REGBENCH=$(abspath $(BENCH)) sh bench/return/run.sh
	$(Q)ASBREG=$(abspath $(BUILD)/bin/asbreg) ASBGW=$(abspath $(BUILD)/bin/asbgw) \
		ASBHUB=$(abspath $(BUILD)/bin/asbhub) REGBENCH=$(abspath $(BENCH)) \
		sh bench/hub/run.sh
	$(Q)ASBREG=$(abspath $(BUILD)/bin/asbreg) ASBGW=$(abspath $(BUILD)/bin/asbgw) \
		ASBHUB=$(abspath $(BUILD)/bin/asbhub) SYNTH=$(abspath $(BUILD)/bin/asbsynth) \
		sh bench/report/run.sh
	$(Q)ASBREG=$(abspath $(BUILD)/bin/asbreg) REGBENCH=$(abspath $(BENCH)) sh bench/web/run.sh

# make install: everything a machine needs under PREFIX (DESTDIR for a package's staging):
#   bin/           asbreg asbgw asbhub asbsynth
#   share/man/man1 the manuals
#   share/asb/     schema/ (the XSD and the code lists, as the programs have them compiled
#                  in; tools/devpki reads forces.tsv from here), tools/ (devpki, demo.sh,
#                  national.sh and the hub helper it sources), govuk/ (GOV.UK Frontend's
#                  compiled CSS, fonts and images for asbreg serve --assets)
#   share/doc/asb/ docs/*.md, README.md, SECURITY.md
#   UNITDIR        the systemd units (dist/systemd/*.in, @bindir@ and @docdir@ filled in)
# The programs read no file from the tree at run time: the XSD, the code lists and the
# rules are compiled in.  'tests/e2e/install.sh' proves the installed copy runs alone.
BINDIR	?= $(PREFIX)/bin
DATADIR	?= $(PREFIX)/share/asb
DOCDIR	?= $(PREFIX)/share/doc/asb
MANDIR	?= $(PREFIX)/share/man
UNITDIR	?= $(PREFIX)/lib/systemd/system
UNITS	= asbhub.service asbreg-web.service asbgw-send.service asbgw-send.timer
install: $(BINS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)/schema/codes \
		$(DESTDIR)$(DATADIR)/tools $(DESTDIR)$(DATADIR)/tests/lib $(DESTDIR)$(DOCDIR) \
		$(DESTDIR)$(UNITDIR)
	install -m 0755 $(BINS) $(DESTDIR)$(BINDIR)/
	install -m 0644 docs/man/asbreg.1 docs/man/asbgw.1 docs/man/asbhub.1 docs/man/asbsynth.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 $(XSD) schema/rules.tsv schema/authority.tsv schema/population.tsv \
		$(DESTDIR)$(DATADIR)/schema/
	install -m 0644 $(CODE_TSV) $(DESTDIR)$(DATADIR)/schema/codes/
	install -m 0755 tools/devpki tools/demo.sh tools/national.sh $(DESTDIR)$(DATADIR)/tools/
	install -m 0644 tests/lib/hub.sh $(DESTDIR)$(DATADIR)/tests/lib/
	install -m 0644 docs/*.md README.md SECURITY.md $(DESTDIR)$(DOCDIR)/
	for u in $(UNITS); do \
		sed -e 's|@bindir@|$(BINDIR)|g' -e 's|@docdir@|$(DOCDIR)|g' -e 's|@datadir@|$(DATADIR)|g' dist/systemd/$$u.in \
		    > $(DESTDIR)$(UNITDIR)/$$u.tmp && chmod 0644 $(DESTDIR)$(UNITDIR)/$$u.tmp && \
		    mv $(DESTDIR)$(UNITDIR)/$$u.tmp $(DESTDIR)$(UNITDIR)/$$u || exit 1; done
	$(Q)if [ -d $(BUILD)/share/govuk ]; then install -d $(DESTDIR)$(DATADIR) && \
		cp -R $(BUILD)/share/govuk $(DESTDIR)$(DATADIR)/ && \
		chmod -R u=rwX,go=rX $(DESTDIR)$(DATADIR)/govuk; fi

# The dependency direction, checked on the objects themselves: nothing in the hub or the
# return library names a gateway (gw_, ob_) or register (reg_) symbol, and the return library
# names no hub symbol either.
layering: $(HUB_OBJ) $(RTN_OBJ) $(ASBHUB_OBJ) $(REG_OBJ)
	$(Q)bad=$$(nm -u $(HUB_OBJ) $(ASBHUB_OBJ) | grep -E ' U (gw|ob|reg|web|pg)_'; \
		nm -u $(RTN_OBJ) | grep -E ' U (gw|ob|reg|hub|rpt|cmp|web|pg)_'; \
		nm -u $(REG_OBJ) | grep -E ' U (web|pg|form|page)_'); \
	if [ -n "$$bad" ]; then echo "layering: the hub or the return library uses the gateway or the register, or the register the web:"; \
		echo "$$bad"; exit 1; fi

# House style: no unchecked conversions or unbounded string functions.
lint:
	$(Q)! grep -nE '\b(atoi|atol|strtok|sprintf|vsprintf|strcpy|strcat|strncpy|sscanf|gets)\(' \
		common/*.c schema/*.c register/*.c return/*.c gateway/*.c hub/*.c web/*.c tools/*.c \
		fuzz/*.c tests/*.c \
		bench/*/*.c || \
		{ echo "lint: banned function (see STYLE)"; exit 1; }
	$(Q)! grep -nE '\$$\((snapshot|state) ' tests/e2e/*.sh tests/lib/*.sh tools/*.sh bench/*/*.sh || \
		{ echo "lint: snapshot and state set SNAP and print nothing: \$$(snapshot ...) is always empty"; exit 1; }

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

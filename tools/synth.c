/*
 * synth - a synthetic register for any force, for demonstrations, tests and benchmarks:
 * people, premises and places; every 2014 Act power in proportions and with lifecycles
 * (service, appeals, breaches, fixed penalties, extensions, discharges) a reader would find
 * plausible; scaled by the force area's population; deterministic from a seed.  It writes
 * through the register's own CSV import, so every record passes the statutory rules exactly
 * as an officer's would.  docs/synthetic-data.md gives the proportions and their sources.
 *
 *   synth -d REGISTER --force CODE [--seed N] [--from YYYY-Qn] [--to YYYY-Qn] [--scale F]
 *
 * The register must not exist yet.  Nothing is dated after the end of --to or after now.
 * Exit: 0 made, 1 a generated row was refused (a bug here: the message says which rule),
 * 2 usage, 4 the register exists, 5 storage.
 */
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codes.h"
#include "date.h"
#include "err.h"
#include "rtn.h"
#include "num.h"
#include "population.h"
#include "reg.h"

#define DAY	86400
#define HOUR	3600

/* Uses per 100,000 people per quarter (see docs/synthetic-data.md). */
struct rates {
	double	 cpw, injunction, cbo, pspo, dispersal, closure;
	double	 cpn_after_cpw;		/* share of CPWs followed by a CPN */
	double	 directions;		/* dispersal directions per authorisation */
	double	 order_after_notice;	/* share of closure notices followed by an order */
};

static const struct rates R = { 14.0, 1.3, 1.6, 0.12, 0.9, 0.45, 0.35, 2.5, 0.85 };

struct person {
	char	 name[48];
	char	 dob[11];
	char	 sex[2];
	char	 eth[3];
	char	 lsoa[10];
	char	 lad[10];
	int	 band;		/* 0: 10-15, 1: 16-17, 2: adult */
};

struct gen {
	uint64_t	 s;
	FILE		*rec, *ev;
	const char	*force;
	int		 fidx;
	asb_time	 from, to;	/* the range; to is also "now" for the register */
	struct person	*people;
	size_t		 npeople;
	uint64_t	 nrec, nev, places, premises;
};

static uint64_t
rnd(struct gen *g)
{
	uint64_t z = (g->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double
unit(struct gen *g)
{
	return (double)(rnd(g) >> 11) / 9007199254740992.0;
}

static int
chance(struct gen *g, double p)
{
	return unit(g) < p;
}

static int64_t
between(struct gen *g, int64_t lo, int64_t hi)
{
	return hi <= lo ? lo : lo + (int64_t)(rnd(g) % (uint64_t)(hi - lo + 1));
}

/* A count around mean: the mean's whole part plus its fraction by chance, +/- 20%. */
static int
count(struct gen *g, double mean)
{
	double m = mean * (0.8 + 0.4 * unit(g));
	int n = (int)m;

	return n + (chance(g, m - n) ? 1 : 0);
}

static const char *
iso(asb_time t, char *buf)
{
	return asb_time_iso(t, buf, ASB_TIME_BUF);
}

/* A time of day on the day of t: officers work 08:00 to 22:00. */
static asb_time
daytime(struct gen *g, asb_time t)
{
	return t - (t % DAY) + between(g, 8 * HOUR, 22 * HOUR);
}

static const char *
pick_eth(struct gen *g)
{
	/* England and Wales mid-2021 shares, skewed a little to the populations subject to
	 * ASB powers; NS (not stated) as officers record it */
	static const struct { const char *c; double p; } t[] = {
		{ "W1", 0.70 }, { "W2", 0.01 }, { "W3", 0.01 }, { "W9", 0.03 },
		{ "M1", 0.01 }, { "M2", 0.005 }, { "M3", 0.005 }, { "M9", 0.01 },
		{ "A1", 0.025 }, { "A2", 0.025 }, { "A3", 0.01 }, { "A4", 0.005 },
		{ "A9", 0.01 }, { "B1", 0.02 }, { "B2", 0.015 }, { "B9", 0.005 },
		{ "O2", 0.005 }, { "O9", 0.01 }, { "NS", 0.06 } };
	double u = unit(g), acc = 0;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (u < (acc += t[i].p))
			return t[i].c;
	return "NS";
}

static void
lad_of(const struct gen *g, int k, char *out)
{
	/* synthetic district codes, five a force: real LAD codes are never made up here */
	snprintf(out, 10, "%s%06u", g->force[0] == 'W' ? "W06" : "E07",
	    (900000u + (unsigned)g->fidx * 10u + (unsigned)k) % 1000000u);
}

static void
lsoa_of(struct gen *g, char *out)
{
	snprintf(out, 10, "%s%06u", g->force[0] == 'W' ? "W01" : "E01",
	    (unsigned)between(g, 1, 35000) % 1000000u);
}

static void
make_people(struct gen *g, size_t n)
{
	size_t i;
	int age;
	asb_time dob;
	char b[ASB_TIME_BUF];
	double u;

	g->people = calloc(n, sizeof(*g->people));
	g->npeople = n;
	for (i = 0; i < n && g->people != NULL; i++) {
		struct person *p = &g->people[i];

		u = unit(g);
		p->band = u < 0.10 ? 0 : u < 0.20 ? 1 : 2;
		age = p->band == 0 ? (int)between(g, 10, 14) : p->band == 1 ? 16 :
		    u < 0.50 ? (int)between(g, 18, 24) : u < 0.75 ? (int)between(g, 25, 34) :
		    (int)between(g, 35, 70);
		/* old enough for the band on the first day of the range, with room for the
		 * band to hold to its end */
		dob = g->from - (asb_time)((age + 0.05) * 365.25 * DAY) -
		    between(g, 0, 150) * DAY;
		snprintf(p->dob, sizeof(p->dob), "%.10s", iso(dob, b));
		snprintf(p->name, sizeof(p->name), "Synth %s-%zu", g->force + 5, i + 1);
		u = unit(g);
		snprintf(p->sex, sizeof(p->sex), "%s", u < 0.78 ? "M" : u < 0.98 ? "F" : "X");
		snprintf(p->eth, sizeof(p->eth), "%s", pick_eth(g));
		lsoa_of(g, p->lsoa);
		lad_of(g, (int)between(g, 0, 4), p->lad);
	}
}

/* A person of the band wanted (a few people recur: repeat subjects). */
static const struct person *
person(struct gen *g, int min_band)
{
	size_t i, tries;

	for (tries = 0; tries < 1000; tries++) {
		/* a skewed pick: low indices come up more often */
		double u = unit(g);

		i = (size_t)(u * u * (double)g->npeople);
		if (i < g->npeople && g->people[i].band >= min_band)
			return &g->people[i];
	}
	for (i = 0; i < g->npeople; i++)
		if (g->people[i].band >= min_band)
			return &g->people[i];
	return &g->people[0];
}

static void
person_cols(FILE *f, const struct person *p)
{
	fprintf(f, "%s,%s,%s,%s,,,,%s,%s,", p->name, p->dob, p->sex, p->eth, p->lsoa, p->lad);
}

static void
event(struct gen *g, const char *ref, const char *kind, asb_time t, const char *until,
    const char *outcome, const char *amount)
{
	char b[ASB_TIME_BUF];

	if (t > g->to)
		return;
	fprintf(g->ev, "%s,%s,%s,%s,%s,%s\n", ref, kind, iso(t, b), until ? until : "",
	    outcome ? outcome : "", amount ? amount : "");
	g->nev++;
}

/* record columns: ref,power,name,dob,sex,ethnicity,address,uprn,description,subject_lsoa,
 * subject_lad,issued,served,hours,months,years,indefinite,by,authorised_by,rank,agency,
 * conditions,links */
static void
rec_tail(struct gen *g, asb_time issued, asb_time served, int hours, int months, int years,
    int indefinite, const char *by, const char *auth, const char *rank, const char *agency,
    const char *cond, const char *links)
{
	char a[ASB_TIME_BUF], b[ASB_TIME_BUF];

	fprintf(g->rec, "%s,%s,", iso(issued, a), served ? iso(served, b) : "");
	if (hours)
		fprintf(g->rec, "%d", hours);
	fputc(',', g->rec);
	if (months)
		fprintf(g->rec, "%d", months);
	fputc(',', g->rec);
	if (years)
		fprintf(g->rec, "%d", years);
	fprintf(g->rec, ",%s,%s,%s,%s,%s,%s,%s\n", indefinite ? "yes" : "", by, auth ? auth : "",
	    rank ? rank : "", agency, cond, links ? links : "");
	g->nrec++;
}

static void
ref(struct gen *g, char *out)
{
	snprintf(out, 32, "SYN-%s-%06llu", g->force + 5, (unsigned long long)g->nrec + 1);
}

static void
quarter(struct gen *g, asb_time qs, asb_time qe, double per100k)
{
	char r1[32], r2[32], b[ASB_TIME_BUF];
	const struct person *p;
	asb_time t, t2, t3;
	int n, i, k, m;

	/* community protection: warnings, some followed by notices */
	for (n = count(g, R.cpw * per100k), i = 0; i < n; i++) {
		p = person(g, 1);
		t = daytime(g, between(g, qs, qe - 1));
		if (t > g->to)
			continue;
		ref(g, r1);
		fprintf(g->rec, "%s,cpw,", r1);
		person_cols(g->rec, p);
		rec_tail(g, t, 0, 0, 0, 0, 0, "PC 4471", NULL, NULL, chance(g, 0.7) ?
		    "police" : "local-authority", "Stop the behaviour set out in the letter", NULL);
		if (!chance(g, R.cpn_after_cpw))
			continue;
		t2 = t + between(g, 14, 60) * DAY;
		if (t2 > g->to)
			continue;
		ref(g, r2);
		fprintf(g->rec, "%s,cpn,", r2);
		person_cols(g->rec, p);
		rec_tail(g, t2, t2, 0, 0, 0, 0, "PC 4471", NULL, NULL, "police",
		    "Requirements and prohibitions as served", r1);
		if (chance(g, 0.03)) {
			event(g, r2, "appealed", t2 + between(g, 2, 20) * DAY, NULL, NULL, NULL);
			event(g, r2, chance(g, 0.7) ? "appeal-dismissed" : "appeal-allowed",
			    t2 + between(g, 40, 80) * DAY, NULL, NULL, NULL);
		} else if (chance(g, 0.20)) {
			t3 = t2 + between(g, 5, 80) * DAY;
			if (chance(g, 0.6)) {
				event(g, r2, "breached", t3, NULL, "fpn", NULL);
				event(g, r2, "fpn-issued", t3, NULL, NULL, "100");
				if (chance(g, 0.65))
					event(g, r2, "fpn-paid", t3 + between(g, 3, 13) * DAY,
					    NULL, NULL, NULL);
			} else
				event(g, r2, "breached", t3, NULL, chance(g, 0.5) ? "summonsed" :
				    "charged", NULL);
		}
	}
	/* civil injunctions: mostly adults; a youth one lasts at most 12 months */
	for (n = count(g, R.injunction * per100k), i = 0; i < n; i++) {
		int youth = chance(g, 0.1);

		p = youth ? person(g, 0) : person(g, 2);
		youth = p->band < 2;
		t = daytime(g, between(g, qs, qe - 1));
		if (t > g->to)
			continue;
		ref(g, r1);
		fprintf(g->rec, "%s,injunction,", r1);
		person_cols(g->rec, p);
		m = youth ? (int)between(g, 3, 12) : (int)between(g, 6, 24);
		rec_tail(g, t, t + DAY > g->to ? g->to : t + DAY, 0, m, 0, 0, "Housing officer", NULL, NULL, chance(g, 0.5) ?
		    "housing-provider" : chance(g, 0.6) ? "police" : "local-authority",
		    "Not to enter the estate shown on the map", NULL);
		/* events inside the order's life: the shortest month is 28 days */
		k = m * 28 - 2 < 170 ? m * 28 - 2 : 170;
		if (chance(g, 0.30))
			event(g, r1, "breached", t + between(g, 10, k) * DAY, NULL, chance(g,
			    0.6) ? "contempt-proven" : "contempt-not-proven", NULL);
		else if (chance(g, 0.05))
			event(g, r1, "discharged", t + between(g, k / 2, k) * DAY, NULL, NULL,
			    NULL);
	}
	/* criminal behaviour orders: adults, at least two years or indefinite */
	for (n = count(g, R.cbo * per100k), i = 0; i < n; i++) {
		p = person(g, 2);
		t = daytime(g, between(g, qs, qe - 1));
		if (t > g->to)
			continue;
		ref(g, r1);
		fprintf(g->rec, "%s,cbo,", r1);
		person_cols(g->rec, p);
		k = chance(g, 0.15);
		rec_tail(g, t, t + DAY > g->to ? g->to : t + DAY, 0, 0, k ? 0 : (int)between(g, 2, 3), k, "DC 2210", NULL,
		    NULL, "cps", "Not to enter the city centre zone", NULL);
		if (chance(g, 0.40))
			event(g, r1, "breached", t + between(g, 7, 170) * DAY, NULL,
			    chance(g, 0.5) ? "arrested" : chance(g, 0.6) ? "charged" :
			    "convicted", NULL);
		else if (chance(g, 0.03))
			event(g, r1, "discharged", t + between(g, 90, 170) * DAY, NULL, NULL,
			    NULL);
	}
	/* PSPOs: a council's order over a place, with fixed penalties under it */
	for (n = count(g, R.pspo * per100k), i = 0; i < n; i++) {
		t = daytime(g, between(g, qs, qe - 1));
		if (t > g->to)
			continue;
		ref(g, r1);
		lsoa_of(g, b);
		fprintf(g->rec, "%s,pspo,,,,,,,Synthetic town centre %llu,%s,,", r1,
		    (unsigned long long)++g->places, b);
		rec_tail(g, t, 0, 0, 0, 3, 0, "Council", NULL, NULL, "local-authority",
		    "No street drinking; dogs on leads", NULL);
		for (k = (int)between(g, 0, 12); k > 0; k--) {
			t2 = t + between(g, 1, 85) * DAY;
			event(g, r1, "breached", t2, NULL, "fpn", NULL);
			event(g, r1, "fpn-issued", t2, NULL, NULL, chance(g, 0.7) ? "100" : "75");
		}
	}
	/* dispersal: an inspector's authorisation for up to 48 hours, directions under it */
	for (n = count(g, R.dispersal * per100k), i = 0; i < n; i++) {
		int hours = (int)between(g, 12, 48);

		t = daytime(g, between(g, qs, qe - 1));
		if (t + hours * HOUR > g->to)
			continue;
		ref(g, r1);
		lsoa_of(g, b);
		fprintf(g->rec, "%s,dispersal-authorisation,,,,,,,Synthetic park %llu,%s,,", r1,
		    (unsigned long long)++g->places, b);
		rec_tail(g, t, 0, hours, 0, 0, 0, "Insp Patel", "Insp Patel", chance(g, 0.8) ?
		    "inspector" : "chief-inspector", "police", "Disorder after the match", NULL);
		for (k = count(g, R.directions); k > 0; k--) {
			p = person(g, chance(g, 0.5) ? 0 : 2);
			t2 = t + between(g, 1, hours - 2) * HOUR;
			ref(g, r2);
			fprintf(g->rec, "%s,dispersal-direction,", r2);
			person_cols(g->rec, p);
			rec_tail(g, t2, t2, (int)((t + hours * HOUR - t2) / HOUR) > 24 ? 24 :
			    (int)((t + hours * HOUR - t2) / HOUR), 0, 0, 0, "PC 4471", NULL,
			    NULL, "police", "Leave the area and do not return", r1);
		}
	}
	/* closure: a notice on premises for 24 hours (48 by a superintendent), then an order
	 * from the court for up to 3 months, sometimes extended */
	for (n = count(g, R.closure * per100k), i = 0; i < n; i++) {
		int senior = chance(g, 0.2);

		t = daytime(g, between(g, qs, qe - 1));
		if (t + 2 * DAY > g->to)
			continue;
		ref(g, r1);
		lsoa_of(g, b);
		fprintf(g->rec, "%s,closure-notice,,,,,%llu Synthetic Street,%012llu,,%s,,", r1,
		    (unsigned long long)++g->premises, (unsigned long long)(100000000000ULL +
		    rnd(g) % 899999999999ULL), b);
		rec_tail(g, t, t + HOUR / 2, senior ? 48 : 24, 0, 0, 0, senior ? "Supt Reed" :
		    "Insp Patel", senior ? "Supt Reed" : "Insp Patel", senior ? "superintendent" :
		    "inspector", "police", "Closed to all but the residents", NULL);
		if (!chance(g, R.order_after_notice))
			continue;
		t2 = t + DAY;
		m = (int)between(g, 1, 3);
		ref(g, r2);
		fprintf(g->rec, "%s,closure-order,,,,,%llu Synthetic Street,,,%s,,", r2,
		    (unsigned long long)g->premises, b);
		rec_tail(g, t2, t2 + HOUR, 0, m, 0, 0, "Magistrates' court", NULL, NULL, "police",
		    "Closed to all", r1);
		if (chance(g, 0.10)) {
			char until[ASB_TIME_BUF];

			t3 = t2 + ((asb_time)m * 28 - 3) * DAY;
			iso(t3 + 60 * DAY, until);
			event(g, r2, "extended", t3, until, NULL, NULL);
		}
	}
}

/* The first instant of a quarter "YYYY-Qn" and of the one after it. */
static int
quarter_bounds(const char *s, asb_time *start, asb_time *end)
{
	struct rtn_period p;

	if (rtn_period_parse(s, &p, NULL) != ASB_OK)
		return -1;
	*start = p.start;
	*end = p.end;
	return 0;
}

/* The year of a checked "YYYY-Qn". */
static int
atoi4(const char *s)
{
	return (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
}

static void
usage(FILE *f)
{
	fputs("usage: asbsynth -d REGISTER --force CODE [--seed N] [--from YYYY-Qn] "
	    "[--to YYYY-Qn] [--scale F]\n"
	    "A synthetic register for a force (see docs/synthetic-data.md).  Default: the four\n"
	    "quarters before the current one, seed 1, scale 1.\n", f);
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "force", required_argument, NULL, 'f' },
		{ "seed", required_argument, NULL, 's' },
		{ "from", required_argument, NULL, 'F' },
		{ "to", required_argument, NULL, 'T' },
		{ "scale", required_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	const char *dir = NULL, *force = NULL, *from = NULL, *to = NULL;
	char *recbuf = NULL, *evbuf = NULL, dflt_from[24], dflt_to[24];
	size_t reclen = 0, evlen = 0, i;
	struct reg_import_result res;
	struct asb_errbuf eb;
	struct gen g;
	struct reg *r = NULL;
	asb_time qs, qe, end, now = (asb_time)time(NULL);
	double scale = 1, per100k = 0;
	int64_t people = 0;
	FILE *in;
	int ch, err, y, q;

	memset(&g, 0, sizeof(g));
	g.s = 1;
	while ((ch = getopt_long(argc, argv, "d:", lo, NULL)) != -1) {
		switch (ch) {
		case 'd': dir = optarg; break;
		case 'f': force = optarg; break;
		case 's': {
			int64_t seed;
			const char *why;

			if (asb_strtonum(optarg, 0, INT64_MAX, &seed, &why) == -1) {
				fprintf(stderr, "asbsynth: --seed: '%s' is %s\n", optarg, why);
				return ASB_EUSAGE;
			}
			g.s = (uint64_t)seed;
			break;
		}
		case 'F': from = optarg; break;
		case 'T': to = optarg; break;
		case 'x':
			scale = strtod(optarg, NULL);
			if (!(scale > 0 && scale <= 1000)) {
				fprintf(stderr, "asbsynth: --scale: '%s' must be above 0 and at most 1000\n",
				    optarg);
				return ASB_EUSAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return ASB_EUSAGE;
		}
	}
	if (dir == NULL || force == NULL || optind != argc) {
		usage(stderr);
		return ASB_EUSAGE;
	}
	if ((g.fidx = sch_code_index(SCH_LIST_FORCES, force)) < 0) {
		fprintf(stderr, "asbsynth: '%s' is not a force code (asbreg codes forces)\n", force);
		return ASB_EUSAGE;
	}
	g.force = force;
	for (i = 0; i < rpt_population_n; i++)
		if (strcmp(rpt_population[i].code, force) == 0)
			people = rpt_population[i].people;
	per100k = (double)people / 100000.0 * scale;
	/* default: the four whole quarters before the current one */
	{
		struct tm tm;
		time_t tt = (time_t)now;

		gmtime_r(&tt, &tm);
		y = tm.tm_year + 1900;
		q = tm.tm_mon / 3 + 1;
		if (--q == 0) {
			q = 4;
			y--;
		}
		snprintf(dflt_to, sizeof(dflt_to), "%04d-Q%d", y % 10000, q);
		q -= 3;
		if (q <= 0) {
			q += 4;
			y--;
		}
		snprintf(dflt_from, sizeof(dflt_from), "%04d-Q%d", y % 10000, q);
	}
	if (from == NULL)
		from = dflt_from;
	if (to == NULL)
		to = dflt_to;
	if (quarter_bounds(from, &g.from, &qe) == -1 || quarter_bounds(to, &qs, &end) == -1 ||
	    end <= g.from) {
		fprintf(stderr, "asbsynth: --from %s --to %s: not a range of quarters (YYYY-Qn)\n",
		    from, to);
		return ASB_EUSAGE;
	}
	g.to = end - 1 < now ? end - 1 : now;
	rtn_init();
	asb_errbuf_clear(&eb);
	if ((err = reg_init(dir, force, "synth", g.to, &eb)) != ASB_OK) {
		fprintf(stderr, "asbsynth: %s\n", eb.msg);
		return err;
	}
	make_people(&g, (size_t)(per100k * 65 + 20));
	if (g.people == NULL || (g.rec = open_memstream(&recbuf, &reclen)) == NULL ||
	    (g.ev = open_memstream(&evbuf, &evlen)) == NULL) {
		fprintf(stderr, "asbsynth: out of memory\n");
		return ASB_EIO;
	}
	fputs("ref,power,name,dob,sex,ethnicity,address,uprn,description,subject_lsoa,"
	    "subject_lad,issued,served,hours,months,years,indefinite,by,authorised_by,rank,"
	    "agency,conditions,links\n", g.rec);
	fputs("record,kind,date,until,outcome,amount\n", g.ev);
	{
		int y0, q0, y1, q1;
		char lbl[24];

		/* both were checked by quarter_bounds: YYYY-Qn */
		y0 = atoi4(from);
		q0 = from[6] - '0';
		y1 = atoi4(to);
		q1 = to[6] - '0';
		for (; y0 * 4 + q0 <= y1 * 4 + q1; q0 == 4 ? (q0 = 1, y0++) : q0++) {
			snprintf(lbl, sizeof(lbl), "%04d-Q%d", y0 % 10000, q0);
			if (quarter_bounds(lbl, &qs, &qe) == 0)
				quarter(&g, qs, qe, per100k);
		}
	}
	fclose(g.rec);
	fclose(g.ev);
	err = reg_open(dir, &r, &eb);
	if (err == ASB_OK)
		err = reg_begin(r, 1, &eb);
	if (err == ASB_OK && (in = fmemopen(recbuf, reclen, "r")) != NULL) {
		err = reg_import(r, in, NULL, "synth", g.to, NULL, NULL, &res, &eb);
		fclose(in);
	}
	if (err == ASB_OK && g.nev > 0 && (in = fmemopen(evbuf, evlen, "r")) != NULL) {
		err = reg_import(r, in, NULL, "synth", g.to, NULL, NULL, &res, &eb);
		fclose(in);
	}
	if (err == ASB_OK)
		err = reg_commit(r, &eb);
	if (err != ASB_OK) {
		fprintf(stderr, "asbsynth: %s: %s%s%s%s\n", force, eb.msg, eb.rule[0] ? " (" : "",
		    eb.rule, eb.rule[0] ? ")" : "");
		reg_close(r);
		return err;
	}
	reg_close(r);
	printf("%s: %llu records, %llu events, %zu people in the pool, %s to %s\n", force,
	    (unsigned long long)g.nrec, (unsigned long long)g.nev, g.npeople, from, to);
	free(recbuf);
	free(evbuf);
	free(g.people);
	rtn_cleanup();
	return 0;
}

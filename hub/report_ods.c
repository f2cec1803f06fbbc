/*
 * report_ods.c - the report as a workbook laid out as the Analysis Function's "Releasing
 * statistics in spreadsheets" asks: a Cover (title, what the data are, period, coverage,
 * source, status, release date, contact, shorthand), a Contents sheet, a Notes sheet
 * ("[note N]" entries the tables refer to), then one table a sheet, each with its title in
 * A1, a line in A2 saying what the sheet holds, its column headings in one row directly
 * above the data, numbers stored as numbers, and shorthand in square brackets: [c]
 * suppressed, [x] not available, [z] not applicable, [r] revised.
 */
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "ods.h"
#include "population.h"
#include "report_pub.h"

enum { N_USES = 1, N_EVENTS, N_SDC, N_POP, N_RATE, N_SMALL, N_BREACH, N_FPN, N_COVER,
	N_QUALITY, N_REVISED, N_STATUS, N_COUNT };

static const char *
status_text(const struct rpt *r)
{
	if (r->pub == NULL || r->pub->release_id[0] == '\0')
		return "Working figures, not a release: they change as returns arrive";
	if (strcmp(r->pub->status, "final") == 0)
		return r->pub->previous[0] ? "Final (revised)" : "Final";
	return r->pub->previous[0] ? "Provisional (revised)" : "Provisional";
}

static void
kv(struct ods *o, const char *k, const char *v)
{
	ods_row(o);
	ods_text(o, k);
	ods_text(o, v);
}

static void
note(struct ods *o, int n, const char *text)
{
	char b[16];

	snprintf(b, sizeof(b), "[note %d]", n);
	ods_row(o);
	ods_text(o, b);
	ods_text(o, text);
}

static int
revising(const struct rpt *r)
{
	return r->pub != NULL && r->pub->previous[0] != '\0' && r->pub->row_revised != NULL;
}

static void
cover(struct ods *o, const struct rpt *r, const char *title)
{
	char buf[2048], range[32], date[ASB_TIME_BUF];
	int q;

	ods_sheet(o, "Cover");
	ods_row(o);
	ods_title(o, title);
	kv(o, "What the data are", "Uses of the statutory anti-social behaviour powers "
	    "(Anti-social Behaviour, Crime and Policing Act 2014 and Crime and Policing Act "
	    "2026) recorded by police forces and sent to the Home Office in signed quarterly "
	    "returns; and what happened to them (served, appealed, breached, fixed penalties, "
	    "discharged) in the period.");
	kv(o, "Period covered", rpt_range(r, range, sizeof(range)));
	for (q = 0; q < r->o.nquarters; q++) {
		unsigned n = rpt_forces_counted(r, q);
		char miss[1536];

		snprintf(buf, sizeof(buf), "%s: %u of %u forces counted%s%s", r->o.quarters[q],
		    n, rpt_forces_all(), n == 0 ? " (no returns)" : n < rpt_forces_all() ?
		    "; missing: " : "", n > 0 && n < rpt_forces_all() ?
		    rpt_missing(r, q, miss, sizeof(miss)) : "");
		kv(o, q == 0 ? "Coverage" : "", buf);
	}
	kv(o, "Source", "Home Office ASB powers collection: the latest accepted return of each "
	    "force for each quarter, as validated and stored by the hub.");
	kv(o, "Status", status_text(r));
	if (r->pub != NULL && r->pub->release_id[0]) {
		kv(o, "Release", r->pub->release_id);
		kv(o, "Release date", asb_time_iso(r->pub->date, date, sizeof(date)));
		if (r->pub->previous[0])
			kv(o, "Revises", r->pub->previous);
	} else
		kv(o, "Release date", "Not released");
	kv(o, "Next update", "To be announced on the statistics release calendar");
	kv(o, "Contact", "Home Office Crime and Policing Statistics "
	    "(crimeandpolicestats@homeoffice.gov.uk)");
	kv(o, "Shorthand", "[c] confidential: suppressed to protect people (Notes sheet, "
	    "note 3)");
	kv(o, "", "[x] not available");
	kv(o, "", "[z] not applicable");
	kv(o, "", "[r] revised since the previous release");
}

static void
contents(struct ods *o, const struct rpt *r)
{
	ods_sheet(o, "Contents");
	ods_row(o);
	ods_title(o, "Contents");
	ods_row(o);
	ods_text(o, "This worksheet contains one table.");
	ods_row(o);
	ods_text(o, "Sheet name");
	ods_text(o, "Table title");
	ods_text(o, "Description");
	kv(o, "Notes", "Notes");
	ods_text(o, "What the tables' notes say");
	kv(o, "Table_1", "Uses and events by the table's breakdown");
	ods_text(o, "Counts, disclosure-controlled when they describe people or small areas");
	kv(o, "Table_2", "Uses by force, with rates per 100,000 people");
	ods_text(o, "Per police force area");
	kv(o, "Table_3", "Breaches and fixed penalties by power");
	ods_text(o, "Breach rates only where the breach is by the order's subject");
	kv(o, "Table_4", "Coverage by quarter");
	ods_text(o, "Forces counted and missing");
	if (r->pub != NULL && r->pub->quality != NULL) {
		kv(o, "Table_5", "Data quality by force");
		ods_text(o, "Completeness, volume changes, late and corrected returns");
	}
	if (revising(r)) {
		kv(o, "Table_6", "Revisions");
		ods_text(o, "The corrections that changed figures since the previous release");
	}
}

static void
notes(struct ods *o, const struct rpt *r)
{
	char buf[1024], per[64];

	ods_sheet(o, "Notes");
	ods_row(o);
	ods_title(o, "Notes");
	ods_row(o);
	ods_text(o, "This worksheet contains one table.");
	ods_row(o);
	ods_text(o, "Note number");
	ods_text(o, "Note text");
	note(o, N_USES, "Uses: powers issued in the period (a record's issue date in the "
	    "quarter).");
	note(o, N_EVENTS, "Events (served, breached, ...) are counted when dated in the "
	    "period, whenever the power was issued.");
	snprintf(buf, sizeof(buf), "Disclosure control: in tables by age band, sex, ethnicity "
	    "or local authority, counts from 1 to %u are suppressed [c], and enough others that "
	    "none can be worked out from the totals published with them. No Home Office "
	    "threshold has been set for these data; %u is a setting (asbhub --threshold).",
	    r->o.threshold - 1, r->o.threshold);
	note(o, N_SDC, buf);
	if (r->o.population != NULL)
		snprintf(buf, sizeof(buf), "Population: residents of each police force area "
		    "from the file %s (given with --population).", r->o.population);
	else
		snprintf(buf, sizeof(buf), "Population: %s. Not the latest estimates: "
		    "schema/population.tsv gives the source; asbhub --population reads a newer "
		    "file.", rpt_population_source);
	note(o, N_POP, buf);
	snprintf(buf, sizeof(buf), "Rates are uses per 100,000 residents over %s.",
	    rpt_rate_period(r, per, sizeof(per)));
	note(o, N_RATE, buf);
	snprintf(buf, sizeof(buf), "Areas with fewer than %s residents (the City of London) "
	    "have rates flagged and are not ranked: a small resident population with a large "
	    "daytime one makes a rate per resident misleading.", RPT_SMALL_POP_TEXT);
	note(o, N_SMALL, buf);
	note(o, N_BREACH, "Breach rates are given only where the breach is by the order's "
	    "subject (CPN, civil injunction, CBO, closure order, and the 2026 orders on a "
	    "person). PSPO, closure notice and dispersal breaches are by anyone and are counts; "
	    "a CPW is a warning with no breach offence [z].");
	note(o, N_FPN, "Fixed penalty notices issued: counts, for the powers that allow one "
	    "(CPN s52, PSPO s68); [z] for the others.");
	note(o, N_COVER, "Coverage: a force is counted in a quarter when the hub holds an "
	    "accepted live return from it; \"England and Wales\" is used only when all forces "
	    "are counted in every quarter.");
	snprintf(buf, sizeof(buf), "Data quality: shares of person records without an "
	    "ethnicity (or 'not stated') or age band, and of records without a local authority "
	    "(the returns carry the district, not the LSOA); a change in uses of %d%% or more "
	    "against the previous quarter or the same quarter a year before is flagged when "
	    "either has at least %d uses.", RPT_CHANGE_PCT, RPT_CHANGE_MIN);
	note(o, N_QUALITY, buf);
	note(o, N_REVISED, "[r]: the figure differs from the release this one revises; Table_6 "
	    "lists the corrected returns that changed it.");
	note(o, N_STATUS, "The latest period is provisional until a final release; figures "
	    "can be revised when forces correct their returns.");
}

static void
table_head(struct ods *o, const char *sheet, const char *title, const char *a2)
{
	ods_sheet(o, sheet);
	ods_row(o);
	ods_title(o, title);
	ods_row(o);
	ods_text(o, a2);
	ods_row(o);
}

static const char *
measure_heading(int m, char *buf, size_t cap)
{
	if (m == 0)
		snprintf(buf, cap, "Uses [note %d]", N_USES);
	else
		snprintf(buf, cap, "%s [note %d]", sch_code_field(SCH_LIST_EVENTS,
		    (unsigned)(m - 1), 2), N_EVENTS);
	return buf;
}

static void
revised_cell(struct ods *o, unsigned bits, const char *const *names, int n)
{
	char buf[512];
	size_t k = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		if ((bits >> i) & 1)
			k += (size_t)snprintf(buf + k, sizeof(buf) - k, "%s[r] %s",
			    k ? "; " : "", names[i]);
	ods_text(o, buf);
}

static void
table1(struct ods *o, const struct rpt *r, const char *area, const char *range)
{
	const char *mn[RPT_MEASURES];
	char title[256], h[128];
	size_t i;
	int d, m;

	for (m = 0; m < RPT_MEASURES; m++)
		mn[m] = rpt_measure_name(m);
	snprintf(title, sizeof(title), "Table 1: Uses of the powers and events, by");
	for (d = 0; d < r->o.ndims; d++)
		snprintf(title + strlen(title), sizeof(title) - strlen(title), "%s %s",
		    d ? "," : "", rpt_dim_name(r->o.dims[d]));
	snprintf(title + strlen(title), sizeof(title) - strlen(title), ", %s, %s", area, range);
	table_head(o, "Table_1", title, r->sensitive ? "This worksheet contains one table. "
	    "Some cells are suppressed [c] (note 3)." : "This worksheet contains one table.");
	for (d = 0; d < r->o.ndims; d++) {
		if (r->o.dims[d] == RD_FORCE) {
			ods_text(o, "Force code");
			ods_text(o, "Force name");
		} else
			ods_text(o, rpt_dim_name(r->o.dims[d]));
	}
	for (m = 0; m < RPT_MEASURES; m++)
		ods_text(o, measure_heading(m, h, sizeof(h)));
	if (revising(r))
		ods_text(o, "Revised [note 11]");
	for (i = 0; i < r->nrows; i++) {
		ods_row(o);
		for (d = 0; d < r->o.ndims; d++) {
			const char *v = rpt_value(r, &r->rows[i], r->o.dims[d]);

			ods_text(o, v);
			if (r->o.dims[d] == RD_FORCE)
				ods_text(o, rpt_force_name(v));
		}
		for (m = 0; m < RPT_MEASURES; m++)
			if ((r->rows[i].flags >> m) & 1)
				ods_text(o, "[c]");
			else
				ods_int(o, r->rows[i].m[m]);
		if (revising(r))
			revised_cell(o, r->pub->row_revised[i], mn, RPT_MEASURES);
	}
	ods_row(o);
	for (d = 0; d < r->o.ndims; d++) {
		ods_text(o, d == 0 ? "Total" : "");
		if (r->o.dims[d] == RD_FORCE)
			ods_text(o, "");
	}
	for (m = 0; m < RPT_MEASURES; m++)
		ods_int(o, r->total[m]);
}

static void
table2(struct ods *o, const struct rpt *r, const char *area, const char *range)
{
	static const char *const fn[] = { "uses", "subjects", "repeat subjects", "breaches" };
	char title[256], h[128];
	size_t i, j;

	snprintf(title, sizeof(title), "Table 2: Uses by force, with rates per 100,000 people, "
	    "%s, %s", area, range);
	table_head(o, "Table_2", title, "This worksheet contains one table. Rates: notes 4, "
	    "5 and 6.");
	ods_text(o, "Force code");
	ods_text(o, "Force name");
	ods_text(o, "Uses");
	snprintf(h, sizeof(h), "Population [note %d]", N_POP);
	ods_text(o, h);
	snprintf(h, sizeof(h), "Uses per 100,000 people [note %d]", N_RATE);
	ods_text(o, h);
	snprintf(h, sizeof(h), "Rank by rate [note %d]", N_SMALL);
	ods_text(o, h);
	ods_text(o, "Subjects");
	ods_text(o, "Repeat subjects");
	ods_text(o, "Breaches");
	if (revising(r))
		ods_text(o, "Revised [note 11]");
	for (i = 0; i < r->nforces; i++) {
		const struct rpt_force *x = &r->forces[i];
		double rate = rpt_force_rate(r, i);
		long long rank = 1;

		ods_row(o);
		ods_text(o, x->code);
		ods_text(o, rpt_force_name(x->code));
		ods_int(o, x->uses);
		if (x->population > 0)
			ods_int(o, x->population);
		else
			ods_text(o, "[x]");
		if (rate < 0)
			ods_text(o, "[x]");
		else
			ods_num(o, rate, 2);
		if (rate < 0 || !rpt_force_ranked(r, i))
			ods_text(o, "[z]");
		else {
			for (j = 0; j < r->nforces; j++)
				if (j != i && rpt_force_ranked(r, j) && rpt_force_rate(r, j) > rate)
					rank++;
			ods_int(o, rank);
		}
		ods_int(o, x->subjects);
		ods_int(o, x->repeat_subjects);
		ods_int(o, x->breaches);
		if (revising(r))
			revised_cell(o, r->pub->force_revised[i], fn, 4);
	}
}

static void
table3(struct ods *o, const struct rpt *r, const char *area, const char *range)
{
	static const char *const pn[] = { "uses", "breaches", "fixed penalties" };
	char title[256], h[128];
	unsigned i;

	snprintf(title, sizeof(title), "Table 3: Breaches and fixed penalties by power, %s, %s",
	    area, range);
	table_head(o, "Table_3", title, "This worksheet contains one table. Notes 7 and 8.");
	ods_text(o, "Power");
	ods_text(o, "Power name");
	ods_text(o, "Uses");
	ods_text(o, "Breaches");
	snprintf(h, sizeof(h), "Breaches per 100 uses [note %d]", N_BREACH);
	ods_text(o, h);
	snprintf(h, sizeof(h), "Fixed penalty notices issued [note %d]", N_FPN);
	ods_text(o, h);
	if (revising(r))
		ods_text(o, "Revised [note 11]");
	for (i = 0; i < sch_code_count(SCH_LIST_POWERS) && i < 16; i++) {
		const struct rpt_power *p = &r->powers[i];
		enum rpt_breach k = rpt_breach_kind((int)i);

		if (p->uses == 0 && p->breaches == 0 && p->fpns == 0)
			continue;
		ods_row(o);
		ods_text(o, sch_power_code((int)i));
		ods_text(o, sch_code_field(SCH_LIST_POWERS, i, 4));
		ods_int(o, p->uses);
		if (k == RB_NA)
			ods_text(o, "[z]");
		else
			ods_int(o, p->breaches);
		if (k != RB_RATE)
			ods_text(o, "[z]");
		else if (p->uses == 0)
			ods_text(o, "[x]");
		else
			ods_num(o, 100.0 * (double)p->breaches / (double)p->uses, 2);
		if (rpt_fpn_applies((int)i))
			ods_int(o, p->fpns);
		else
			ods_text(o, "[z]");
		if (revising(r))
			revised_cell(o, r->pub->power_revised[i], pn, 3);
	}
}

static void
table4(struct ods *o, const struct rpt *r)
{
	char miss[2048];
	int q;

	table_head(o, "Table_4", "Table 4: Coverage by quarter", "This worksheet contains one "
	    "table. Note 9.");
	ods_text(o, "Quarter");
	ods_text(o, "Forces counted");
	ods_text(o, "Forces in England and Wales");
	ods_text(o, "Forces missing");
	for (q = 0; q < r->o.nquarters; q++) {
		ods_row(o);
		ods_text(o, r->o.quarters[q]);
		ods_int(o, rpt_forces_counted(r, q));
		ods_int(o, rpt_forces_all());
		rpt_missing(r, q, miss, sizeof(miss));
		ods_text(o, miss[0] ? miss : "None");
	}
}

static void
pct(struct ods *o, int64_t part, int64_t whole)
{
	if (whole <= 0)
		ods_text(o, "[x]");
	else
		ods_num(o, 100.0 * (double)part / (double)whole, 1);
}

static void
table5(struct ods *o, const struct rpt_quality *q)
{
	char title[128], h[128];
	unsigned i;
	int ok;
	double c;

	snprintf(title, sizeof(title), "Table 5: Data quality by force, %s", q->period);
	snprintf(h, sizeof(h), "This worksheet contains one table. Note 10. Late: received "
	    "more than %d days after the quarter ended.", q->due_days);
	table_head(o, "Table_5", title, h);
	ods_text(o, "Force code");
	ods_text(o, "Force name");
	ods_text(o, "Return counted");
	ods_text(o, "Records");
	ods_text(o, "Ethnicity not stated (%)");
	ods_text(o, "Age band missing (%)");
	ods_text(o, "Local authority missing (%)");
	ods_text(o, "Uses");
	snprintf(h, sizeof(h), "Uses %s", q->prev);
	ods_text(o, h);
	ods_text(o, "Change on previous quarter (%)");
	snprintf(h, sizeof(h), "Uses %s", q->year_ago);
	ods_text(o, h);
	ods_text(o, "Change on a year before (%)");
	ods_text(o, "Change flagged");
	ods_text(o, "Late");
	ods_text(o, "Corrections");
	for (i = 0; i < q->nf; i++) {
		const struct rpt_qforce *f = &q->f[i];

		ods_row(o);
		ods_text(o, f->code);
		ods_text(o, rpt_force_name(f->code));
		ods_text(o, f->has ? "Yes" : "No");
		if (!f->has) {
			int k;

			for (k = 0; k < 4; k++)
				ods_text(o, "[x]");
			ods_text(o, "[x]");
		} else {
			ods_int(o, f->records);
			pct(o, f->eth_not_stated, f->persons);
			pct(o, f->age_missing, f->persons);
			pct(o, f->la_missing, f->records);
			ods_int(o, f->uses);
		}
		if (f->uses_prev < 0)
			ods_text(o, "[x]");
		else
			ods_int(o, f->uses_prev);
		c = rpt_change(f->uses, f->uses_prev, &ok);
		if (ok && f->has)
			ods_num(o, c, 1);
		else
			ods_text(o, "[x]");
		if (f->uses_year < 0)
			ods_text(o, "[x]");
		else
			ods_int(o, f->uses_year);
		c = rpt_change(f->uses, f->uses_year, &ok);
		if (ok && f->has)
			ods_num(o, c, 1);
		else
			ods_text(o, "[x]");
		ods_text(o, f->flag_prev && f->flag_year ? "Both" : f->flag_prev ?
		    "Previous quarter" : f->flag_year ? "Year before" : "No");
		ods_text(o, !f->has ? "[x]" : f->late ? "Yes" : "No");
		if (f->has)
			ods_int(o, f->corrected);
		else
			ods_text(o, "[x]");
	}
}

static void
table6(struct ods *o, const struct rpt_pub *p)
{
	char title[128];
	size_t i;

	snprintf(title, sizeof(title), "Table 6: Revisions since release %s", p->previous);
	table_head(o, "Table_6", title, p->nrevisions ? "This worksheet contains one table." :
	    "This worksheet contains one table. No return was corrected since the previous "
	    "release.");
	ods_text(o, "Force code");
	ods_text(o, "Force name");
	ods_text(o, "Quarter");
	ods_text(o, "Correction (return ID)");
	ods_text(o, "Replaces (return ID)");
	for (i = 0; i < p->nrevisions; i++) {
		ods_row(o);
		ods_text(o, p->revisions[i].force);
		ods_text(o, rpt_force_name(p->revisions[i].force));
		ods_text(o, p->revisions[i].period);
		ods_text(o, p->revisions[i].id);
		ods_text(o, p->revisions[i].supersedes[0] ? p->revisions[i].supersedes :
		    "[x]");
	}
}

int
rpt_write_ods(const struct rpt *r, const char *path, struct asb_errbuf *eb)
{
	char area[128], range[32], title[256];
	struct ods *o;
	int err;

	rpt_area(r, area, sizeof(area));
	rpt_range(r, range, sizeof(range));
	snprintf(title, sizeof(title), "Anti-social behaviour powers: %s, %s", area, range);
	if ((o = ods_new(title, r->pub != NULL ? r->pub->date : 0)) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	cover(o, r, title);
	contents(o, r);
	notes(o, r);
	table1(o, r, area, range);
	table2(o, r, area, range);
	table3(o, r, area, range);
	table4(o, r);
	if (r->pub != NULL && r->pub->quality != NULL)
		table5(o, r->pub->quality);
	if (revising(r))
		table6(o, r->pub);
	err = ods_save(o, path, eb);
	ods_free(o);
	return err;
}

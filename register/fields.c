/*
 * fields.c - one parser for every field of a record, subject and event, so the command's
 * options and the CSV import's columns accept exactly the same values with the same errors.
 */
#include <stdio.h>
#include <string.h>

#include "codes.h"
#include "internal.h"
#include "num.h"
#include "utf8.h"

/* "authorised-by" and "authorised_by" name the same field. */
static int
is(const char *name, const char *want)
{
	if (name[0] != want[0])	/* most calls end here: no two fields share a letter */
		return 0;
	for (; *name != '\0' && *want != '\0'; name++, want++)
		if (*name != *want && !(*name == '-' && *want == '_'))
			return 0;
	return *name == '\0' && *want == '\0';
}


/*
 * Every value is UTF-8 text with no control characters before anything else looks at it (so
 * no message below echoes bytes a terminal or a JSON reader would choke on); conditions and
 * notes may run over several lines.  The value is not echoed: it may be personal data.
 */
static int
text_ok(const char *name, const char *val, struct asb_errbuf *eb)
{
	const char *why;
	size_t off;
	int multi = is(name, "conditions") || is(name, "note");

	if (utf8_check(val, multi ? UTF8_MULTILINE : UTF8_LINE, &off, &why) == 0)
		return ASB_OK;
	if (why[0] == 'h')
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: %s at byte %zu (only conditions "
		    "and note may hold new lines)", name, why, off + 1);
	return asb_fail(eb, ASB_EUSAGE, NULL, "%s: %s at byte %zu: save it as CSV UTF-8 "
	    "(or import it with --encoding windows-1252)", name, why, off + 1);
}

static int
copy(char *dst, size_t cap, const char *name, const char *val,
    struct asb_errbuf *eb)
{
	size_t n = strlen(val);

	if (n >= cap)
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: longer than %zu "
		    "characters", name, cap - 1);
	memcpy(dst, val, n + 1);
	return ASB_OK;
}

static int
time_field(asb_time *dst, const char *name, const char *val,
    struct asb_errbuf *eb)
{
	char why[ASB_ERRBUF_MSG - 64];

	if (val[0] == '\0') {
		*dst = 0;
		return ASB_OK;
	}
	if (asb_time_parse_strict(val, dst, why, sizeof(why)) == -1)
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: %s%s", name, why,
		    strstr(why, "ISO 8601") != NULL || strstr(why, " UK") != NULL ? "" :
		    " (not an ISO 8601 date)");
	return ASB_OK;
}

static int
int_field(int *dst, const char *name, const char *val, int max,
    struct asb_errbuf *eb)
{
	int64_t v;
	const char *why;

	if (val[0] == '\0') {
		*dst = 0;
		return ASB_OK;
	}
	if (asb_strtonum(val, 1, max, &v, &why) == -1)
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: '%s' is %s (1 to %d)",
		    name, val, why, max);
	*dst = (int)v;
	return ASB_OK;
}

static int
code_field(char *dst, size_t cap, enum sch_list list, const char *name,
    const char *val, struct asb_errbuf *eb)
{
	char all[1024];

	if (val[0] != '\0' && sch_code_index(list, val) < 0)
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: '%s' is not one of: "
		    "%s", name, val, sch_code_join(list, " ", all, sizeof(all)));
	return copy(dst, cap, name, val, eb);
}

void
reg_record_defaults(struct reg_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->power = -1;
	rec->agency = sch_code_index(SCH_LIST_AGENCIES, "police");
}

void
reg_event_defaults(struct reg_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->kind = -1;
	ev->amount = -1;
}

int
reg_record_set(struct reg_record *rec, struct reg_term *term,
    const char *name, const char *val, struct asb_errbuf *eb)
{
	char all[1024];
	int i;

	if (text_ok(name, val, eb) != ASB_OK)
		return ASB_EUSAGE;
	if (is(name, "power")) {
		if ((rec->power = sch_code_index(SCH_LIST_POWERS, val)) < 0)
			return asb_fail(eb, ASB_EUSAGE, NULL, "power: '%s' is "
			    "not one of: %s", val, sch_code_join(SCH_LIST_POWERS,
			    " ", all, sizeof(all)));
		return ASB_OK;
	}
	if (is(name, "issued"))
		return time_field(&rec->issued, name, val, eb);
	if (is(name, "served"))
		return time_field(&rec->served, name, val, eb);
	if (is(name, "expires"))
		return time_field(&rec->expires, name, val, eb);
	if (is(name, "hours"))
		return int_field(&term->hours, name, val, 24 * 366, eb);
	if (is(name, "days"))
		return int_field(&term->days, name, val, 366 * 100, eb);
	if (is(name, "months"))
		return int_field(&term->months, name, val, 12 * 100, eb);
	if (is(name, "years"))
		return int_field(&term->years, name, val, 100, eb);
	if (is(name, "indefinite")) {
		if (val[0] != '\0' && strcmp(val, "0") != 0 &&
		    strcmp(val, "1") != 0 && strcmp(val, "yes") != 0 &&
		    strcmp(val, "no") != 0)
			return asb_fail(eb, ASB_EUSAGE, NULL, "indefinite: "
			    "'%s' is not yes or no", val);
		term->indefinite = strcmp(val, "1") == 0 ||
		    strcmp(val, "yes") == 0;
		return ASB_OK;
	}
	if (is(name, "by"))
		return copy(rec->by, sizeof(rec->by), name, val, eb);
	if (is(name, "authorised_by"))
		return copy(rec->authorised_by, sizeof(rec->authorised_by),
		    name, val, eb);
	if (is(name, "rank")) {
		if (val[0] != '\0' && sch_rank_level(val) < 0)
			return asb_fail(eb, ASB_EUSAGE, NULL, "rank: '%s' is "
			    "not one of: %s", val, sch_code_join(SCH_LIST_RANKS,
			    " ", all, sizeof(all)));
		return copy(rec->rank, sizeof(rec->rank), name, val, eb);
	}
	if (is(name, "agency")) {
		if (val[0] == '\0')
			return ASB_OK;
		if ((i = sch_code_index(SCH_LIST_AGENCIES, val)) < 0)
			return asb_fail(eb, ASB_EUSAGE, NULL, "agency: '%s' is "
			    "not one of: %s", val,
			    sch_code_join(SCH_LIST_AGENCIES, " ", all,
			    sizeof(all)));
		rec->agency = i;
		return ASB_OK;
	}
	if (is(name, "conditions"))
		return copy(rec->conditions, sizeof(rec->conditions), name, val,
		    eb);
	if (is(name, "lsoa")) {
		if (val[0] != '\0' && !sch_lsoa_valid(val))
			return asb_fail(eb, ASB_EUSAGE, NULL, "lsoa: '%s' is not "
			    "an LSOA code (E01 or W01 and six digits)", val);
		return copy(rec->lsoa, sizeof(rec->lsoa), name, val, eb);
	}
	if (is(name, "lad")) {
		if (val[0] != '\0' && !sch_lad_valid(val))
			return asb_fail(eb, ASB_EUSAGE, NULL, "lad: '%s' is not a "
			    "local authority district code (E06, E07, E08, E09 or "
			    "W06 and six digits)", val);
		return copy(rec->lad, sizeof(rec->lad), name, val, eb);
	}
	if (is(name, "incident"))
		return copy(rec->incident, sizeof(rec->incident), name, val, eb);
	if (is(name, "ref"))
		return copy(rec->ref, sizeof(rec->ref), name, val, eb);
	if (is(name, "subject")) {
		if (val[0] == '\0')
			return ASB_OK;
		if (reg_id_parse(val, 'S', &rec->subject) == -1)
			return asb_fail(eb, ASB_EUSAGE, NULL, "subject: '%s' is "
			    "not a subject ID (S and digits)", val);
		return ASB_OK;
	}
	return ASB_ENOTFOUND;
}

int
reg_record_finish(struct reg_record *rec, const struct reg_term *t,
    struct asb_errbuf *eb)
{
	int terms = (t->hours > 0) + (t->days > 0) + (t->months > 0) +
	    (t->years > 0) + (t->indefinite != 0);

	if (terms > 1 || (terms == 1 && rec->expires != 0))
		return asb_fail(eb, ASB_EUSAGE, NULL, "give one of --expires, "
		    "--hours, --days, --months, --years or --indefinite");
	if (rec->issued == 0)
		return ASB_OK;
	if (t->hours > 0)
		rec->expires = rec->issued + (asb_time)t->hours * 3600;
	else if (t->days > 0)
		rec->expires = asb_time_add_days(rec->issued, t->days);
	else if (t->months > 0)
		rec->expires = asb_time_add_months(rec->issued, t->months);
	else if (t->years > 0)
		rec->expires = asb_time_add_months(rec->issued, t->years * 12);
	return ASB_OK;
}

int
reg_subject_set(struct reg_subject *s, const char *name, const char *val,
    struct asb_errbuf *eb)
{
	char why[128];

	if (text_ok(name, val, eb) != ASB_OK)
		return ASB_EUSAGE;
	if (is(name, "subject_kind")) {
		if (val[0] == '\0')
			return ASB_OK;
		if ((s->kind = sch_subject_kind_from_code(val)) < 0)
			return asb_fail(eb, ASB_EUSAGE, NULL, "subject_kind: "
			    "'%s' is not person, premises or place", val);
		return ASB_OK;
	}
	if (is(name, "name") || is(name, "address") || is(name, "description")) {
		if (val[0] == '\0')
			return ASB_OK;
		if (s->kind == 0)
			s->kind = is(name, "name") ? SCH_PERSON :
			    is(name, "address") ? SCH_PREMISES : SCH_PLACE;
		return copy(s->name, sizeof(s->name), name, val, eb);
	}
	if (is(name, "dob")) {
		if (val[0] == '\0')
			return ASB_OK;
		/* Not echoed: a date of birth is personal data, and error
		 * messages end up in logs. */
		if (asb_day_parse_why(val, &s->dob, 0, why, sizeof(why)) == -1)
			return asb_fail(eb, ASB_EUSAGE, NULL, "dob: not a date: %s", why);
		return ASB_OK;
	}
	if (is(name, "sex"))
		return code_field(s->sex, sizeof(s->sex), SCH_LIST_SEX, name,
		    val, eb);
	if (is(name, "ethnicity"))
		return code_field(s->ethnicity, sizeof(s->ethnicity),
		    SCH_LIST_ETHNICITY, name, val, eb);
	if (is(name, "pnc"))
		return copy(s->pnc, sizeof(s->pnc), name, val, eb);
	if (is(name, "uprn"))
		return copy(s->uprn, sizeof(s->uprn), name, val, eb);
	if (is(name, "subject_lad") || is(name, "lad")) {
		if (val[0] != '\0' && !sch_lad_valid(val))
			return asb_fail(eb, ASB_EUSAGE, NULL, "lad: '%s' is not a "
			    "local authority district code (E06, E07, E08, E09 or "
			    "W06 and six digits)", val);
		return copy(s->lad, sizeof(s->lad), name, val, eb);
	}
	if (is(name, "subject_lsoa") || (is(name, "lsoa"))) {
		if (val[0] != '\0' && !sch_lsoa_valid(val))
			return asb_fail(eb, ASB_EUSAGE, NULL, "lsoa: '%s' is not "
			    "an LSOA code (E01 or W01 and six digits)", val);
		return copy(s->lsoa, sizeof(s->lsoa), name, val, eb);
	}
	return ASB_ENOTFOUND;
}

int
reg_event_set(struct reg_event *ev, const char *name, const char *val,
    struct asb_errbuf *eb)
{
	char all[1024];
	int64_t v;
	const char *why;

	if (text_ok(name, val, eb) != ASB_OK)
		return ASB_EUSAGE;
	if (is(name, "kind")) {
		if ((ev->kind = sch_code_index(SCH_LIST_EVENTS, val)) < 0)
			return asb_fail(eb, ASB_EUSAGE, NULL, "kind: '%s' is not "
			    "one of: %s", val, sch_code_join(SCH_LIST_EVENTS,
			    " ", all, sizeof(all)));
		return ASB_OK;
	}
	if (is(name, "date"))
		return time_field(&ev->date, name, val, eb);
	if (is(name, "until"))
		return time_field(&ev->until, name, val, eb);
	if (is(name, "outcome"))
		return code_field(ev->outcome, sizeof(ev->outcome),
		    SCH_LIST_OUTCOMES, name, val, eb);
	if (is(name, "note"))
		return copy(ev->note, sizeof(ev->note), name, val, eb);
	if (is(name, "by"))
		return copy(ev->by, sizeof(ev->by), name, val, eb);
	if (is(name, "rank")) {
		if (val[0] != '\0' && sch_rank_level(val) < 0)
			return asb_fail(eb, ASB_EUSAGE, NULL, "rank: '%s' is "
			    "not one of: %s", val, sch_code_join(SCH_LIST_RANKS,
			    " ", all, sizeof(all)));
		return copy(ev->rank, sizeof(ev->rank), name, val, eb);
	}
	if (is(name, "amount")) {
		/* Pounds, with optional pence: "100" or "75.50". */
		char whole[16];
		const char *dot = strchr(val, '.');
		size_t wl = dot != NULL ? (size_t)(dot - val) : strlen(val);
		int64_t pence = 0;

		if (val[0] == '\0') {
			ev->amount = -1;
			return ASB_OK;
		}
		if (wl == 0 || wl >= sizeof(whole) || (dot != NULL &&
		    (strlen(dot + 1) != 2 || asb_strtonum(dot + 1, 0, 99,
		    &pence, &why) == -1)))
			return asb_fail(eb, ASB_EUSAGE, NULL, "amount: '%s' is "
			    "not pounds (e.g. 100 or 75.50)", val);
		memcpy(whole, val, wl);
		whole[wl] = '\0';
		if (asb_strtonum(whole, 0, 1000000, &v, &why) == -1)
			return asb_fail(eb, ASB_EUSAGE, NULL, "amount: '%s' is "
			    "not pounds (e.g. 100 or 75.50)", val);
		ev->amount = v * 100 + pence;
		return ASB_OK;
	}
	return ASB_ENOTFOUND;
}

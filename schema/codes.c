/* codes.c - look-ups over the generated code tables (see codes.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "codes.h"
#include "num.h"
#include "tables.h"

struct table {
	const char *const	*cells;
	const unsigned		*rows;
	const unsigned		*cols;
};

static struct table
table_of(enum sch_list list)
{
	struct table t;

	switch (list) {
#define T(L, n) case L: t.cells = sch_tbl_##n; t.rows = &sch_tbl_##n##_rows; \
	t.cols = &sch_tbl_##n##_cols; return t
	T(SCH_LIST_FORCES, forces);
	T(SCH_LIST_POWERS, powers);
	T(SCH_LIST_ETHNICITY, ethnicity);
	T(SCH_LIST_SEX, sex);
	T(SCH_LIST_RANKS, ranks);
	T(SCH_LIST_AGENCIES, agencies);
	T(SCH_LIST_EVENTS, events);
	T(SCH_LIST_OUTCOMES, outcomes);
	T(SCH_LIST_AGEBANDS, agebands);
	T(SCH_LIST_PARTIES, parties);
#undef T
	}
	t.cells = NULL;
	t.rows = t.cols = NULL;
	return t;
}

int
sch_code_index(enum sch_list list, const char *code)
{
	struct table t = table_of(list);
	unsigned i;

	if (code == NULL || t.cells == NULL)
		return -1;
	for (i = 0; i < *t.rows; i++)
		if (t.cells[i * *t.cols][0] == code[0] &&
		    strcmp(t.cells[i * *t.cols], code) == 0)
			return (int)i;
	return -1;
}

unsigned
sch_code_count(enum sch_list list)
{
	struct table t = table_of(list);

	return t.cells == NULL ? 0 : *t.rows;
}

const char *
sch_code_field(enum sch_list list, unsigned i, unsigned col)
{
	struct table t = table_of(list);

	if (t.cells == NULL || i >= *t.rows || col >= *t.cols)
		return "";
	return t.cells[i * *t.cols + col];
}

char *
sch_code_join(enum sch_list list, const char *sep, char *buf, unsigned size)
{
	unsigned i, n = sch_code_count(list);
	size_t len = 0;
	int w;

	buf[0] = '\0';
	for (i = 0; i < n && len < size; i++) {
		w = snprintf(buf + len, size - len, "%s%s", i ? sep : "",
		    sch_code_field(list, i, 0));
		if (w < 0)
			break;
		len += (size_t)w;
	}
	return buf;
}

/* powers.tsv columns: code section subjects follows name */
const char *
sch_power_code(int power)
{
	return sch_code_field(SCH_LIST_POWERS, (unsigned)power, 0);
}

const char *
sch_power_section(int power)
{
	return sch_code_field(SCH_LIST_POWERS, (unsigned)power, 1);
}

const char *
sch_power_name(int power)
{
	return sch_code_field(SCH_LIST_POWERS, (unsigned)power, 4);
}

int
sch_power_allows_subject(int power, int kind)
{
	const char *list = sch_code_field(SCH_LIST_POWERS, (unsigned)power, 2);
	const char *want = sch_subject_kind_code(kind);
	size_t n = strlen(want);
	const char *p;

	for (p = list; (p = strstr(p, want)) != NULL; p += n)
		if ((p == list || p[-1] == ',') && (p[n] == '\0' || p[n] == ','))
			return 1;
	return 0;
}

int
sch_power_follows(int power)
{
	return sch_code_index(SCH_LIST_POWERS,
	    sch_code_field(SCH_LIST_POWERS, (unsigned)power, 3));
}

const char *
sch_event_code(int kind)
{
	return sch_code_field(SCH_LIST_EVENTS, (unsigned)kind, 0);
}

int
sch_event_ends(int kind)
{
	return strcmp(sch_code_field(SCH_LIST_EVENTS, (unsigned)kind, 1),
	    "1") == 0;
}

int
sch_rank_level(const char *code)
{
	int i = sch_code_index(SCH_LIST_RANKS, code);
	int64_t v;
	const char *why;

	if (i < 0 || asb_strtonum(sch_code_field(SCH_LIST_RANKS, (unsigned)i, 1),
	    0, 100, &v, &why) == -1)
		return -1;
	return (int)v;
}

const char *
sch_subject_kind_code(int kind)
{
	switch (kind) {
	case SCH_PERSON:
		return "person";
	case SCH_PREMISES:
		return "premises";
	case SCH_PLACE:
		return "place";
	case SCH_BODY:
		return "body";
	}
	return "unknown";
}

int
sch_subject_kind_from_code(const char *code)
{
	int k;

	for (k = SCH_PERSON; k <= SCH_BODY; k++)
		if (strcmp(code, sch_subject_kind_code(k)) == 0)
			return k;
	return -1;
}

int
sch_lad_valid(const char *code)
{
	static const char *const prefixes[] = { "E06", "E07", "E08", "E09",
	    "W06" };
	size_t i;
	int j;

	if (code == NULL || strlen(code) != 9)
		return 0;
	for (j = 3; j < 9; j++)
		if (!isdigit((unsigned char)code[j]))
			return 0;
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(code, prefixes[i], 3) == 0)
			return 1;
	return 0;
}

int
sch_lsoa_valid(const char *code)
{
	int i;

	if (code == NULL || strlen(code) != 9 ||
	    (strncmp(code, "E01", 3) != 0 && strncmp(code, "W01", 3) != 0))
		return 0;
	for (i = 3; i < 9; i++)
		if (!isdigit((unsigned char)code[i]))
			return 0;
	return 1;
}

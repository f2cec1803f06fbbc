/*
 * commence.c - a force's own commencement of a power: an area piloting a power (the Crime and
 * Policing Act 2026's Respect Orders are to be piloted before national use) records the day it
 * came into force there.  Kept in the meta data as "commence/POWER" -> "YYYY-MM-DD", so an
 * existing register gains it without a new format.  The rules take it as sch_use.commenced:
 * the power is in force from the earlier of it and the national row of R-PWR-001.
 */
#include <stdio.h>
#include <string.h>

#include "codes.h"
#include "internal.h"

static void
key_of(int power, char *buf, size_t size)
{
	snprintf(buf, size, "commence/%s", sch_power_code(power));
}

int
reg_commence_get(struct reg *r, int power, asb_day *ret, struct asb_errbuf *eb)
{
	char key[64], val[16];
	int err;

	*ret = 0;
	if (power < 0 || power >= SCH_POWER_COUNT)
		return asb_fail(eb, ASB_EUSAGE, NULL, "unknown power");
	key_of(power, key, sizeof(key));
	if ((err = reg_meta_get_str(r, key, val, sizeof(val), eb)) ==
	    ASB_ENOTFOUND)
		return ASB_OK;
	if (err != ASB_OK)
		return err;
	if (asb_day_parse(val, ret) == -1)
		return asb_fail(eb, ASB_EIO, NULL, "meta %s: damaged", key);
	return ASB_OK;
}

/* The earliest day any body may use power under the law (authority.tsv), 0 if none. */
static asb_day
enacted(int power)
{
	asb_day d, best = 0;
	unsigned i;

	for (i = 0; i < sch_authority_count(); i++)
		if (strcmp(sch_authority_cell(i, 0), sch_power_code(power)) == 0 &&
		    asb_day_parse(sch_authority_cell(i, 2), &d) == 0 &&
		    (best == 0 || d < best))
			best = d;
	return best;
}

int
reg_commence_set(struct reg *r, int power, asb_day day, struct asb_errbuf *eb)
{
	const struct sch_rule *nat;
	char key[64], val[16], b[16];
	asb_time t;
	asb_day law;

	if (power < 0 || power >= SCH_POWER_COUNT)
		return asb_fail(eb, ASB_EUSAGE, NULL, "unknown power");
	asb_day_format(day, val, sizeof(val));
	if (asb_time_parse(val, &t) == -1)
		return asb_fail(eb, ASB_EUSAGE, NULL, "%s: not a date", val);
	/* Far in the future: the national row in force then, if any. */
	nat = sch_rule_find("R-PWR-001", power, t);
	if (nat != NULL && nat->from <= day)
		return asb_fail(eb, ASB_ECONFLICT, NULL, "the %s is in force "
		    "nationally from %s (%s); a force's own commencement can "
		    "only be earlier", sch_power_code(power),
		    asb_day_format(nat->from, b, sizeof(b)), nat->section);
	law = enacted(power);
	if (law == 0 || day < law)
		return asb_fail(eb, ASB_EUSAGE, NULL, "the %s cannot commence "
		    "on %s: %s", sch_power_code(power), val, law == 0 ?
		    "no body may use it (schema/authority.tsv)" :
		    "that is before the law that made it");
	key_of(power, key, sizeof(key));
	return reg_meta_put_str(r, key, val, eb);
}

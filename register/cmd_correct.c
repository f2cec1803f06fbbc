/*
 * cmd_correct.c - putting mistakes right: void (a record entered in error) and merge (one
 * person, or place, registered twice).  Both are the library's (void.c, merge.c); the role
 * policy lets a supervisor or the data team do them (open.c), and both are logged as
 * alterations with their reason.
 */
#include <string.h>

#include "asbreg.h"

int
run_void(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	struct asb_errbuf eb;
	char id[REG_ID_BUF];
	uint64_t rid;
	int err;

	if ((err = options(c, argc, argv, NULL, NULL, NULL)) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	if (optind + 1 != argc)
		return usage_error(c, "%s", "give one RECORD");
	if (reg_id_parse(argv[optind], 'R', &rid) == -1)
		return usage_error(c, "'%s' is not a record ID (R and digits)", argv[optind]);
	if (c->reason == NULL || *c->reason == '\0')
		return usage_error(c, "%s", "give --reason: why the record was entered in "
		    "error");
	if ((err = open_reg(c, 1, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	if ((err = reg_record_void(c->r, rid, c->user, c->now, c->reason, &eb)) == ASB_OK)
		err = audit(c, REG_AUDIT_ALTERATION, "void", 0, &eb);
	if ((err = finish(c, err, &eb)) != 0)
		return err;
	reg_record_id(rid, id);
	if (c->json)
		printf("{\"record\":\"%s\",\"void\":true}\n", id);
	else
		printf("%s voided: kept and readable (show, history, subject-export), but out "
		    "of lists, due, repeat and the returns built from now on\n", id);
	return 0;
}

int
run_merge(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	struct asb_errbuf eb;
	struct reg_merge m;
	char a[REG_ID_BUF], b[REG_ID_BUF];
	uint64_t keep, dup;
	int err;

	if ((err = options(c, argc, argv, NULL, NULL, NULL)) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	if (optind + 2 != argc)
		return usage_error(c, "%s", "give KEEP and DUPLICATE (two subject IDs)");
	if (reg_id_parse(argv[optind], 'S', &keep) == -1)
		return usage_error(c, "'%s' is not a subject ID (S and digits)", argv[optind]);
	if (reg_id_parse(argv[optind + 1], 'S', &dup) == -1)
		return usage_error(c, "'%s' is not a subject ID (S and digits)",
		    argv[optind + 1]);
	if (c->reason == NULL || *c->reason == '\0')
		return usage_error(c, "%s", "give --reason: why they are the same");
	if (keep == dup)
		return usage_error(c, "%s", "KEEP and DUPLICATE are the same subject");
	if ((err = open_reg(c, 1, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	if ((err = reg_subject_merge(c->r, keep, dup, c->user, c->now, c->reason, &m,
	    &eb)) == ASB_OK)
		err = audit(c, REG_AUDIT_ALTERATION, "merge", 0, &eb);
	if ((err = finish(c, err, &eb)) != 0)
		return err;
	reg_subject_id(keep, a);
	reg_subject_id(dup, b);
	if (c->json)
		printf("{\"kept\":\"%s\",\"merged\":\"%s\",\"records\":%llu}\n", a, b,
		    (unsigned long long)m.records);
	else
		printf("%s merged into %s: %llu record%s moved; %s now leads to %s\n", b, a,
		    (unsigned long long)m.records, m.records == 1 ? "" : "s", b, a);
	return 0;
}

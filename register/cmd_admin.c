/*
 * cmd_admin.c - users and roles, the audit log, the code lists, the rules and who may use
 * each power, and a force's own commencement of a power.
 */
#include <inttypes.h>
#include <string.h>

#include "asbreg.h"

/* ---- user: who may use the register, in which role --------------------------------------- */

struct user_opts {
	const char	*role;
};

static int
set_role(void *obj, const char *name, const char *val, struct asb_errbuf *eb)
{
	(void)eb;
	if (strcmp(name, "role") != 0)
		return ASB_ENOTFOUND;
	((struct user_opts *)obj)->role = val;
	return ASB_OK;
}

struct user_count {
	int		 n, data_team;
	int		 json, first;
};

static int
count_user(const char *name, int role, void *ctx)
{
	struct user_count *u = ctx;

	(void)name;
	u->n++;
	u->data_team += role == REG_ROLE_DATA_TEAM;
	return 0;
}

static int
print_user(const char *name, int role, void *ctx)
{
	struct user_count *u = ctx;

	if (u->json) {
		fputs(u->first ? "{" : ",{", stdout);
		json_kv_str(stdout, 1, "user", name);
		json_kv_str(stdout, 0, "role", reg_role_code(role));
		fputc('}', stdout);
	} else
		printf("%-24s %s\n", name, reg_role_code(role));
	u->first = 0;
	return 0;
}

int
run_user(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	static const struct option o[] = { FIELD("role"), { NULL, 0, NULL, 0 } };
	struct user_opts uo = { NULL };
	struct user_count before = { 0, 0, 0, 1 }, list = { 0, 0, 0, 1 };
	struct asb_errbuf eb;
	const char *verb, *name;
	char tok[ASB_MAX_SHORT + 32];
	int err, role = -1, old;

	if ((err = options(c, argc, argv, o, set_role, &uo)) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	if (optind >= argc)
		return usage_error(c, "%s", "give add, set or list");
	verb = argv[optind];
	if (strcmp(verb, "list") == 0) {
		if (optind + 1 != argc)
			return usage_error(c, "%s", "list takes no arguments");
		if ((err = open_reg(c, 0, &eb)) != ASB_OK)
			return fail(c, err, &eb);
		list.json = c->json;
		if (c->json)
			fputc('[', stdout);
		err = reg_user_each(c->r, print_user, &list, &eb);
		if (c->json)
			fputs("]\n", stdout);
		else if (list.first)
			puts("no users: every command is allowed until the first is added");
		return finish(c, err, &eb);
	}
	if ((strcmp(verb, "add") != 0 && strcmp(verb, "set") != 0) || optind + 2 != argc)
		return usage_error(c, "%s", "give add NAME --role ROLE, set NAME --role ROLE, "
		    "or list");
	name = argv[optind + 1];
	if (uo.role == NULL || (role = reg_role_parse(uo.role)) < 0)
		return usage_error(c, "give --role: officer, supervisor, data-team or auditor%s",
		    uo.role ? "" : "");
	if ((err = open_reg(c, 1, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	if ((err = reg_user_each(c->r, count_user, &before, &eb)) != ASB_OK)
		return finish(c, err, &eb);
	err = reg_user_get(c->r, name, &old, &eb);
	if (strcmp(verb, "add") == 0 && err == ASB_OK)
		err = asb_fail(&eb, ASB_ECONFLICT, NULL, "%s is a user already (%s): use "
		    "'asbreg user set'", name, reg_role_code(old));
	else if (strcmp(verb, "add") == 0 && err == ASB_ENOTFOUND)
		err = ASB_OK;
	if (err == ASB_OK && before.n == 0 && role != REG_ROLE_DATA_TEAM)
		err = asb_fail(&eb, ASB_EUSAGE, NULL, "the first user must be data-team, who "
		    "then adds the others");
	if (err == ASB_OK && strcmp(verb, "set") == 0 && old == REG_ROLE_DATA_TEAM &&
	    role != REG_ROLE_DATA_TEAM && before.data_team == 1)
		err = asb_fail(&eb, ASB_ECONFLICT, NULL, "%s is the last data-team user: "
		    "make another first, or nobody could manage users", name);
	if (err == ASB_OK)
		err = reg_user_set(c->r, name, role, &eb);
	snprintf(tok, sizeof(tok), "user:%s=%s", name, reg_role_code(role));
	if (err == ASB_OK)
		err = audit(c, REG_AUDIT_ALTERATION, tok, 1, &eb);
	if ((err = finish(c, err, &eb)) != 0)
		return err;
	printf("%s: %s\n", name, reg_role_code(role));
	return 0;
}

static int
audit_one(const struct reg_audit *a, void *ctx)
{
	const struct ctx *c = ctx;
	char b[ASB_TIME_BUF], h[REG_AUDIT_HEX];

	if (c->json) {
		fputc('{', stdout);
		json_kv_int(stdout, 1, "seq", (int64_t)a->seq);
		json_time(stdout, 0, "time", a->time);
		json_kv_str(stdout, 0, "user", a->user);
		json_kv_str(stdout, 0, "operation", reg_audit_op_code(a->op));
		json_kv_str(stdout, 0, "command", a->command);
		json_kv_str(stdout, 0, "ids", a->ids);
		json_kv_int(stdout, 0, "count", (int64_t)a->count);
		json_kv_int(stdout, 0, "touched", (int64_t)a->nids);
		json_kv_strn(stdout, 0, "reason", a->reason);
		json_kv_str(stdout, 0, "hash", reg_audit_hex(a->hash, h));
		fputs("}\n", stdout);
	} else
		printf("%6" PRIu64 "  %s  %-12s  %-12s  %-8s  %s%s%s\n", a->seq,
		    asb_time_iso(a->time, b, sizeof(b)), a->user,
		    reg_audit_op_code(a->op), a->command, a->ids,
		    a->reason[0] ? "  reason: " : "", a->reason);
	return 0;
}

struct audit_opts {
	const char	*verify, *head;
};

static int
set_audit(void *obj, const char *name, const char *val, struct asb_errbuf *eb)
{
	struct audit_opts *ao = obj;

	(void)eb;
	if (strcmp(name, "verify") == 0)
		ao->verify = val;
	else if (strcmp(name, "head") == 0)
		ao->head = val;
	else
		return ASB_ENOTFOUND;
	return ASB_OK;
}

/* audit --verify: the chain, then what it ends with, and the recorded head it holds. */
static int
audit_verify(struct ctx *c, const unsigned char *want, struct asb_errbuf *eb)
{
	struct reg_audit_head h;
	char hex[REG_AUDIT_HEX];
	uint64_t match;
	int err;

	if ((err = reg_audit_verify_head(c->r, want, &h, &match, eb)) != ASB_OK)
		return err;
	reg_audit_hex(h.hash, hex);
	if (c->json) {
		printf("{\"verified\":true,\"entries\":%" PRIu64 ",\"head\":{\"seq\":%"
		    PRIu64 ",\"hash\":\"%s\"}", h.seq, h.seq, hex);
		if (want != NULL)
			printf(",\"recorded_head\":{\"seq\":%" PRIu64 ",\"hash\":\"%s\"}",
			    match, reg_audit_hex(want, hex));
		puts("}");
		return ASB_OK;
	}
	printf("audit log verified: %" PRIu64 " entries, chain intact\n", h.seq);
	printf("head: entry %" PRIu64 " sha256 %s\n", h.seq, hex);
	if (want != NULL)
		printf("recorded head: entry %" PRIu64 " of %" PRIu64 ", the log up to it "
		    "unchanged\n", match, h.seq);
	return ASB_OK;
}

int
run_audit(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	static const struct option o[] = { FLAG("verify"), FIELD("head"),
		{ NULL, 0, NULL, 0 } };
	struct audit_opts ao = { NULL, NULL };
	unsigned char want[32];
	struct asb_errbuf eb;
	int err;

	if ((err = options(c, argc, argv, o, set_audit, &ao)) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	if (optind != argc)
		return usage_error(c, "unexpected '%s'", argv[optind]);
	if (ao.head != NULL && ao.verify == NULL)
		return usage_error(c, "%s", "--head goes with --verify");
	if (ao.head != NULL && reg_audit_hex_parse(ao.head, want) == -1)
		return usage_error(c, "--head: '%s' is not a head (64 hex digits, as "
		    "'audit --verify' prints it)", ao.head);
	if ((err = open_reg(c, 0, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	if (ao.verify != NULL)
		err = audit_verify(c, ao.head != NULL ? want : NULL, &eb);
	else
		err = reg_audit_each(c->r, audit_one, c, &eb);
	return finish(c, err, &eb);
}

int
run_codes(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	static const struct { const char *name; enum sch_list list; } lists[] = {
		{ "forces", SCH_LIST_FORCES }, { "powers", SCH_LIST_POWERS },
		{ "ethnicity", SCH_LIST_ETHNICITY }, { "sex", SCH_LIST_SEX },
		{ "ranks", SCH_LIST_RANKS }, { "agencies", SCH_LIST_AGENCIES },
		{ "events", SCH_LIST_EVENTS }, { "outcomes", SCH_LIST_OUTCOMES } };
	size_t i, want = (size_t)-1;
	unsigned j, name_col;
	int err;

	if ((err = options(c, argc, argv, NULL, NULL, NULL)) >= 0)
		return err;
	if (optind + 1 < argc)
		return usage_error(c, "unexpected '%s'", argv[optind + 1]);
	if (optind < argc) {
		for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
			if (strcmp(argv[optind], lists[i].name) == 0)
				want = i;
		if (want == (size_t)-1)
			return usage_error(c, "'%s' is not a code list",
			    argv[optind]);
	}
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		if (want != (size_t)-1 && i != want)
			continue;
		/* The name is the last column of every list. */
		for (name_col = 1; sch_code_field(lists[i].list, 0,
		    name_col + 1)[0] != '\0'; name_col++)
			;
		if (want == (size_t)-1 && !c->json)
			printf("%s:\n", lists[i].name);
		for (j = 0; j < sch_code_count(lists[i].list); j++) {
			if (c->json) {
				fputc('{', stdout);
				json_kv_str(stdout, 1, "list", lists[i].name);
				json_kv_str(stdout, 0, "code",
				    sch_code_field(lists[i].list, j, 0));
				json_kv_str(stdout, 0, "name",
				    sch_code_field(lists[i].list, j, name_col));
				fputs("}\n", stdout);
			} else
				printf("  %-24s %s\n", sch_code_field(
				    lists[i].list, j, 0), sch_code_field(
				    lists[i].list, j, name_col));
		}
	}
	return 0;
}

/* Who may use each power (schema/authority.tsv). */
static int
print_authority(const struct ctx *c)
{
	static const char *const col[] = { "power", "agency", "from", "section",
	    "role" };
	unsigned i, j;

	for (i = 0; i < sch_authority_count(); i++) {
		if (c->json) {
			fputc('{', stdout);
			for (j = 0; j < 5; j++)
				json_kv_str(stdout, j == 0, col[j],
				    sch_authority_cell(i, j));
			fputs("}\n", stdout);
		} else
			printf("%-23s %-23s %-10s %-14s %s\n",
			    sch_authority_cell(i, 0), sch_authority_cell(i, 1),
			    strcmp(sch_authority_cell(i, 2), "-") ?
			    sch_authority_cell(i, 2) : "not yet",
			    sch_authority_cell(i, 3), sch_authority_cell(i, 4));
	}
	return 0;
}

int
run_rules(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	const struct sch_rule *r;
	unsigned i;
	int err;

	static const struct option o[] = { FLAG("authority"), { NULL, 0, NULL, 0 } };
	const char *authority = NULL;

	if ((err = options(c, argc, argv, o, set_only, &authority)) >= 0)
		return err;
	if (optind != argc)
		return usage_error(c, "unexpected '%s'", argv[optind]);
	if (authority != NULL)
		return print_authority(c);
	for (i = 0; (r = sch_rule_at(i)) != NULL; i++) {
		char from[16];

		snprintf(from, sizeof(from), "%04d-%02d-%02d", r->from / 10000,
		    r->from / 100 % 100, r->from % 100);
		if (c->json) {
			fputc('{', stdout);
			json_kv_str(stdout, 1, "id", r->id);
			json_kv_str(stdout, 0, "power", r->power < 0 ? "*" :
			    sch_power_code(r->power));
			json_kv_str(stdout, 0, "param", r->param);
			json_kv_str(stdout, 0, "value", r->value);
			json_kv_str(stdout, 0, "unit", r->unit);
			json_kv_str(stdout, 0, "from", from);
			json_kv_str(stdout, 0, "severity", r->warning ?
			    "warning" : "error");
			json_kv_str(stdout, 0, "section", r->section);
			json_kv_str(stdout, 0, "text", r->text);
			fputs("}\n", stdout);
		} else
			printf("%-11s %-23s %-8s %-16s %s %s (%s)\n", r->id,
			    r->power < 0 ? "*" : sch_power_code(r->power),
			    strcmp(r->value, "-") ? r->value : "", strcmp(r->unit,
			    "-") ? r->unit : "", from, r->text, r->section);
	}
	return 0;
}

/* ---- commence: a force's own commencement of a power (a pilot area) ----------------------- */

int
run_commence(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	struct asb_errbuf eb;
	char note[96], d[16];
	asb_day day;
	int err, power, write, any = 0;

	if ((err = options(c, argc, argv, NULL, NULL, NULL)) >= 0)
		return err;
	write = argc - optind == 2;
	if (!write && optind != argc)
		return usage_error(c, "%s", "give POWER YYYY-MM-DD, or nothing to "
		    "list");
	asb_errbuf_clear(&eb);
	if (write) {
		if ((power = sch_code_index(SCH_LIST_POWERS, argv[optind])) < 0)
			return usage_error(c, "'%s' is not a power (see 'asbreg "
			    "codes powers')", argv[optind]);
		if (asb_day_parse(argv[optind + 1], &day) == -1)
			return usage_error(c, "'%s' is not a date (YYYY-MM-DD)",
			    argv[optind + 1]);
	}
	if ((err = open_reg(c, write, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	if (write) {
		snprintf(note, sizeof(note), "commence:%s=%s",
		    sch_power_code(power), argv[optind + 1]);
		if ((err = reg_commence_set(c->r, power, day, &eb)) == ASB_OK)
			err = audit(c, REG_AUDIT_ALTERATION, note, 0, &eb);
		if ((err = finish(c, err, &eb)) != 0)
			return err;
		printf("%s in force in this force's area from %s\n",
		    sch_power_code(power), argv[optind + 1]);
		return 0;
	}
	for (power = 0; power < SCH_POWER_COUNT && err == ASB_OK; power++) {
		if ((err = reg_commence_get(c->r, power, &day, &eb)) != ASB_OK ||
		    day == 0)
			continue;
		asb_day_format(day, d, sizeof(d));
		if (c->json) {
			fputc('{', stdout);
			json_kv_str(stdout, 1, "power", sch_power_code(power));
			json_kv_str(stdout, 0, "from", d);
			fputs("}\n", stdout);
		} else
			printf("%-23s %s\n", sch_power_code(power), d);
		any++;
	}
	if (err == ASB_OK && !any && !c->json)
		printf("no power has a commencement of this force's own; the national "
		    "dates apply ('asbreg rules')\n");
	return finish(c, err, &eb);
}

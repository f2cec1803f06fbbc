/*
 * open.c - opening a register: the migration of an older format, and the role policy that
 * decides who may do what, checked where the register is opened (reg_open_as) so every caller
 * (asbreg, asbgw build, the web server to come) is checked the same way.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* Format 1 to 2: the audit log's ID index, filled from the IDs the old entries name. */
static int
migrate(struct reg *r, uint64_t fmt, struct asb_errbuf *eb)
{
	char buf[8];
	int err;

	if (fmt == REG_FORMAT)
		return ASB_OK;
	if ((err = reg_begin(r, 1, eb)) != ASB_OK)
		return err;
	snprintf(buf, sizeof(buf), "%d", REG_FORMAT);
	if ((err = reg_store_add_dbs(r, REG_FORMAT_AUDIT_IX, eb)) != ASB_OK ||
	    (err = reg_audit_index_v1(r, eb)) != ASB_OK ||
	    (err = reg_meta_put_str(r, "format", buf, eb)) != ASB_OK) {
		reg_abort(r);
		return err;
	}
	return reg_commit(r, eb);
}

int
reg_open(const char *dir, struct reg **ret, struct asb_errbuf *eb)
{
	struct reg *r;
	uint64_t fmt;
	int err;

	if ((err = reg_store_open(dir, &r, &fmt, eb)) != ASB_OK)
		return err;
	if ((err = migrate(r, fmt, eb)) != ASB_OK ||
	    (err = reg_subject_index_upgrade(r, eb)) != ASB_OK ||
	    (err = reg_due_index_open(r, eb)) != ASB_OK) {
		reg_close(r);
		return err;
	}
	*ret = r;
	return ASB_OK;
}

/* ---- the role policy ---------------------------------------------------------------------- */

static int
listed(const char *const *l, const char *op)
{
	for (; *l != NULL; l++)
		if (strcmp(*l, op) == 0)
			return 1;
	return 0;
}

int
reg_allows(int role, const char *op)
{
	static const char *const officer[] = { "person", "premises", "place", "find", "add",
	    "event", "show", "list", "history", "due", "repeat", NULL };
	/* void and merge change what the figures and a person's history say: a second pair
	 * of eyes, as for rectify, so an officer asks a supervisor (or the data team). */
	static const char *const supervisor[] = { "import", "restrict", "audit",
	    "subject-export", "review", "rectify", "void", "merge", NULL };
	static const char *const auditor[] = { "find", "show", "list", "history", "due",
	    "repeat", "audit", "subject-export", NULL };

	switch (role) {
	case REG_ROLE_DATA_TEAM:
		return 1;	/* everything: exports, returns ("build"), users */
	case REG_ROLE_AUDITOR:
		return listed(auditor, op);
	case REG_ROLE_SUPERVISOR:
		return listed(officer, op) || listed(supervisor, op);
	case REG_ROLE_OFFICER:
		return listed(officer, op);
	}
	return 0;
}

static int
any_user(const char *name, int role, void *ctx)
{
	(void)name;
	(void)role;
	(*(int *)ctx)++;
	return 1;
}

/* Who can grant what op needs, for the refusal's message. */
static const char *
who_may(const char *op)
{
	if (reg_allows(REG_ROLE_SUPERVISOR, op))
		return "a supervisor or the data team";
	return "the data team";
}

static int
check(struct reg *r, const char *user, const char *op, struct asb_errbuf *eb)
{
	int err, role, nusers = 0;

	if ((err = reg_user_each(r, any_user, &nusers, eb)) != ASB_OK)
		return err;
	if (nusers == 0)
		return ASB_OK;	/* being set up: 'asbreg user add' makes the first user */
	if ((err = reg_user_get(r, user, &role, eb)) == ASB_ENOTFOUND)
		return asb_fail(eb, ASB_ERULE, "R-ROLE-002", "%s is not a user of this "
		    "register: a data team member adds them with 'asbreg user add %s "
		    "--role officer'", user, user);
	if (err != ASB_OK)
		return err;
	if (!reg_allows(role, op))
		return asb_fail(eb, ASB_ERULE, "R-ROLE-001", "%s is %s %s, who may not "
		    "run '%s': ask %s", user, role == REG_ROLE_AUDITOR ||
		    role == REG_ROLE_OFFICER ? "an" : "a", reg_role_code(role), op,
		    who_may(op));
	return ASB_OK;
}

int
reg_open_as(const char *dir, const char *user, const char *op, struct reg **ret,
    struct asb_errbuf *eb)
{
	struct reg *r;
	int err;

	if (user == NULL || user[0] == '\0' || strlen(user) >= sizeof(r->user))
		return asb_fail(eb, ASB_EUSAGE, NULL, "no acting user (or a name over %zu "
		    "characters): give --as USER or set ASB_USER", sizeof(r->user) - 1);
	if (op == NULL || op[0] == '\0')
		return asb_fail(eb, ASB_EUSAGE, NULL, "no operation to check the role for");
	if ((err = reg_open(dir, &r, eb)) != ASB_OK)
		return err;
	if ((err = reg_begin(r, 0, eb)) == ASB_OK) {
		err = check(r, user, op, eb);
		reg_abort(r);	/* a read: nothing to keep */
	}
	if (err != ASB_OK) {
		reg_close(r);
		return err;
	}
	snprintf(r->user, sizeof(r->user), "%s", user);
	snprintf(r->op, sizeof(r->op), "%s", op);
	*ret = r;
	return ASB_OK;
}

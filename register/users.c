/*
 * users.c - who may use the register and in which role: officer, supervisor, data team,
 * auditor.  Kept in the meta data as "user/NAME" -> role code, so an existing register gains
 * roles without a change of format.  A register with no user yet has no role checks (it is
 * being set up); the first user must be a data team member, who then manages the others.
 */
#include <string.h>

#include "internal.h"

#define USER_PREFIX	"user/"

static const char *const role_codes[REG_ROLE_COUNT] = {
	"officer", "supervisor", "data-team", "auditor"
};

const char *
reg_role_code(int role)
{
	return role >= 0 && role < REG_ROLE_COUNT ? role_codes[role] : "?";
}

int
reg_role_parse(const char *s)
{
	int i;

	for (i = 0; i < REG_ROLE_COUNT; i++)
		if (strcmp(s, role_codes[i]) == 0)
			return i;
	return -1;
}

static int
user_key(const char *name, char *buf, size_t cap, struct asb_errbuf *eb)
{
	size_t i, n = strlen(name);

	if (n == 0 || n >= ASB_MAX_SHORT)
		return asb_fail(eb, ASB_EUSAGE, NULL, "a user name is 1 to %d characters",
		    ASB_MAX_SHORT - 1);
	for (i = 0; i < n; i++)
		if ((unsigned char)name[i] <= ' ' || name[i] == '/')
			return asb_fail(eb, ASB_EUSAGE, NULL, "'%s': a user name has no "
			    "spaces, slashes or control characters", name);
	snprintf(buf, cap, "%s%s", USER_PREFIX, name);
	return ASB_OK;
}

int
reg_user_get(struct reg *r, const char *name, int *role, struct asb_errbuf *eb)
{
	char key[ASB_MAX_SHORT + 8], code[24];
	int err;

	if ((err = user_key(name, key, sizeof(key), eb)) != ASB_OK)
		return err;
	if ((err = reg_meta_get_str(r, key, code, sizeof(code), eb)) == ASB_ENOTFOUND)
		return asb_fail(eb, ASB_ENOTFOUND, NULL, "%s is not a user of this register",
		    name);
	if (err != ASB_OK)
		return err;
	if ((*role = reg_role_parse(code)) < 0)
		return asb_fail(eb, ASB_EIO, NULL, "user %s: damaged role", name);
	return ASB_OK;
}

int
reg_user_set(struct reg *r, const char *name, int role, struct asb_errbuf *eb)
{
	char key[ASB_MAX_SHORT + 8];
	int err;

	if (role < 0 || role >= REG_ROLE_COUNT)
		return asb_fail(eb, ASB_EUSAGE, NULL, "no such role");
	if ((err = user_key(name, key, sizeof(key), eb)) != ASB_OK)
		return err;
	return reg_meta_put_str(r, key, reg_role_code(role), eb);
}

int
reg_user_each(struct reg *r, int (*fn)(const char *name, int role, void *ctx), void *ctx,
    struct asb_errbuf *eb)
{
	MDB_cursor *cur;
	MDB_val k = { strlen(USER_PREFIX), (void *)USER_PREFIX }, v;
	char name[ASB_MAX_SHORT], code[24];
	size_t plen = strlen(USER_PREFIX);
	int rc, stop = 0;

	if ((rc = mdb_cursor_open(r->txn, r->dbi[DB_META], &cur)) != 0)
		return reg_lmdb_fail(eb, rc, "users");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0 && !stop;
	    rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size <= plen || memcmp(k.mv_data, USER_PREFIX, plen) != 0)
			break;
		if (k.mv_size - plen >= sizeof(name) || v.mv_size >= sizeof(code))
			continue;
		memcpy(name, (const char *)k.mv_data + plen, k.mv_size - plen);
		name[k.mv_size - plen] = '\0';
		memcpy(code, v.mv_data, v.mv_size);
		code[v.mv_size] = '\0';
		stop = fn(name, reg_role_parse(code), ctx);
	}
	mdb_cursor_close(cur);
	if (rc != 0 && rc != MDB_NOTFOUND && !stop)
		return reg_lmdb_fail(eb, rc, "users");
	return ASB_OK;
}

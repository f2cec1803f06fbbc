/*
 * auth.c - who is signing in: passwords (Argon2id, Debian's libargon2), a TOTP second factor
 * (RFC 6238, Debian's liboath), the slowing and lockout after failures, and the server-side
 * sessions of the web application.  All of it is state in the register's meta data, written
 * in the caller's write transaction, so the command line and the server see one truth:
 *
 *	auth/pw/NAME	v1, the Argon2id encoded hash ("$argon2id$v=19$m=65536,t=3,p=1$...")
 *	auth/totp/NAME	v1, the 20-byte TOTP secret (the server must have it to check a code)
 *	auth/totp-used/NAME	v1, the time step of the last code accepted (i64): a code works
 *			once (RFC 6238 section 5.2), so one seen over a shoulder or phished
 *			is spent
 *	auth/fail/NAME	v1, failures in a row (u32), the last failure, locked until (i64)
 *	session/HASH	v1, user, created, last seen (i64), the form token; HASH is the
 *			SHA-256 of the cookie's token, so a copy of the register is no key to
 *			a live session
 *
 * Every refusal of a sign-in is in the audit log under the name typed (never the password or
 * the code), as is every sign-in and sign-out.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <argon2.h>
#include <liboath/oath.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "bytes.h"
#include "internal.h"

/*
 * Argon2id with t = 3 passes over m = 64 MiB, one lane: the second of RFC 9106's recommended
 * settings (for when 2 GiB per hash is too much), about 0.2 s a hash here; 16 bytes of salt,
 * 32 of hash.  The parameters are kept in each encoded hash, so raising them later needs no
 * change of format: old hashes still verify.
 */
#define PW_T		3
#define PW_M		(64u * 1024u)	/* KiB */
#define PW_P		1
#define PW_SALT		16
#define PW_HASH		32
#define PW_ENCODED	128
#define PW_MIN		10		/* NCSC: length over complexity rules */
#define TOTP_SECRET	20		/* 160 bits, RFC 4226's recommended length */
#define TOTP_STEP	30
#define TOTP_WINDOW	1		/* one step either side: a phone's clock drifts */
#define TOKEN_BYTES	32		/* 256 bits from getrandom */

#define PW_PREFIX	"auth/pw/"
#define TOTP_PREFIX	"auth/totp/"
#define FAIL_PREFIX	"auth/fail/"
#define USED_PREFIX	"auth/totp-used/"
#define SESS_PREFIX	"session/"

void
reg_auth_policy_defaults(struct reg_auth_policy *p)
{
	p->idle = 15 * 60;
	p->absolute = 10 * 60 * 60;
	p->max_failures = 5;
	p->lock = 15 * 60;
}

static int
random_bytes(void *buf, size_t n, struct asb_errbuf *eb)
{
	unsigned char *p = buf;
	ssize_t got;

	while (n > 0) {
		if ((got = getrandom(p, n, 0)) < 0) {
			if (errno == EINTR)
				continue;
			return asb_fail(eb, ASB_EIO, NULL, "getrandom: %s", strerror(errno));
		}
		p += got;
		n -= (size_t)got;
	}
	return ASB_OK;
}

static void
hex(const unsigned char *p, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = d[p[i] >> 4];
		out[2 * i + 1] = d[p[i] & 15];
	}
	out[2 * n] = '\0';
}

/* "auth/pw/NAME" for a valid user name (users.c's rules: no spaces, slashes, controls). */
static int
key_for(const char *prefix, const char *name, char *buf, size_t cap, struct asb_errbuf *eb)
{
	size_t i, n = strlen(name);

	if (n == 0 || n >= ASB_MAX_SHORT)
		return asb_fail(eb, ASB_EUSAGE, NULL, "a user name is 1 to %d characters",
		    ASB_MAX_SHORT - 1);
	for (i = 0; i < n; i++)
		if ((unsigned char)name[i] <= ' ' || name[i] == '/' || name[i] == 0x7f)
			return asb_fail(eb, ASB_EUSAGE, NULL, "a user name has no spaces, "
			    "slashes or control characters");
	snprintf(buf, cap, "%s%s", prefix, name);
	return ASB_OK;
}

static int
get(struct reg *r, const void *key, size_t klen, MDB_val *v, struct asb_errbuf *eb)
{
	MDB_val k = { klen, (void *)key };
	int rc;

	if ((rc = mdb_get(r->txn, r->dbi[DB_META], &k, v)) == MDB_NOTFOUND)
		return ASB_ENOTFOUND;
	return rc == 0 ? ASB_OK : reg_lmdb_fail(eb, rc, "auth");
}

static int
put(struct reg *r, const void *key, size_t klen, const void *val, size_t vlen,
    struct asb_errbuf *eb)
{
	MDB_val k = { klen, (void *)key }, v = { vlen, (void *)val };
	int rc;

	if (vlen == 0)
		return asb_fail(eb, ASB_EIO, NULL, "auth: value too large");
	if ((rc = mdb_put(r->txn, r->dbi[DB_META], &k, &v, 0)) != 0)
		return reg_lmdb_fail(eb, rc, "auth");
	return ASB_OK;
}

static int
del(struct reg *r, const void *key, size_t klen, struct asb_errbuf *eb)
{
	MDB_val k = { klen, (void *)key };
	int rc;

	if ((rc = mdb_del(r->txn, r->dbi[DB_META], &k, NULL)) != 0 && rc != MDB_NOTFOUND)
		return reg_lmdb_fail(eb, rc, "auth");
	return ASB_OK;
}

static int
known_user(struct reg *r, const char *name, int *role, struct asb_errbuf *eb)
{
	int err = reg_user_get(r, name, role, eb);

	if (err == ASB_ENOTFOUND)
		return asb_fail(eb, ASB_ENOTFOUND, NULL, "%s is not a user of this register: "
		    "add them first with 'asbreg user add %s --role ROLE'", name, name);
	return err;
}

/* ---- passwords and second factors --------------------------------------------------------- */

int
reg_passwd_set(struct reg *r, const char *name, const char *password, struct asb_errbuf *eb)
{
	unsigned char salt[PW_SALT], val[PW_ENCODED + 1];
	char key[ASB_MAX_SHORT + 16], enc[PW_ENCODED];
	size_t n = strlen(password);
	int err, role, rc;

	if ((err = key_for(PW_PREFIX, name, key, sizeof(key), eb)) != ASB_OK ||
	    (err = known_user(r, name, &role, eb)) != ASB_OK)
		return err;
	if (n < PW_MIN || n > REG_PASSWORD_MAX)
		return asb_fail(eb, ASB_EUSAGE, NULL, "a password is %d to %d characters: a "
		    "few unrelated words make a good one", PW_MIN, REG_PASSWORD_MAX);
	if ((err = random_bytes(salt, sizeof(salt), eb)) != ASB_OK)
		return err;
	if ((rc = argon2id_hash_encoded(PW_T, PW_M, PW_P, password, n, salt, sizeof(salt),
	    PW_HASH, enc, sizeof(enc))) != ARGON2_OK)
		return asb_fail(eb, ASB_EIO, NULL, "argon2id: %s", argon2_error_message(rc));
	val[0] = 1;
	n = strlen(enc);
	memcpy(val + 1, enc, n);
	if ((err = put(r, key, strlen(key), val, n + 1, eb)) != ASB_OK)
		return err;
	/* a new password lifts a lock: the data team has checked who asked */
	key_for(FAIL_PREFIX, name, key, sizeof(key), NULL);
	return del(r, key, strlen(key), eb);
}

/* Percent-encode for the otpauth URI's label and issuer. */
static void
uri_part(const char *s, char *out, size_t cap)
{
	static const char d[] = "0123456789ABCDEF";
	size_t o = 0;

	for (; *s != '\0' && o + 4 < cap; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~')
			out[o++] = (char)c;
		else {
			out[o++] = '%';
			out[o++] = d[c >> 4];
			out[o++] = d[c & 15];
		}
	}
	out[o] = '\0';
}

int
reg_totp_enrol(struct reg *r, const char *name, char *ret_uri, size_t cap,
    struct asb_errbuf *eb)
{
	unsigned char val[1 + TOTP_SECRET];
	char key[ASB_MAX_SHORT + 16], issuer[64], label[3 * ASB_MAX_SHORT + 4], *b32 = NULL;
	size_t b32len;
	int err, role, n;

	if ((err = key_for(TOTP_PREFIX, name, key, sizeof(key), eb)) != ASB_OK ||
	    (err = known_user(r, name, &role, eb)) != ASB_OK)
		return err;
	val[0] = 1;
	if ((err = random_bytes(val + 1, TOTP_SECRET, eb)) != ASB_OK)
		return err;
	if (oath_init() != OATH_OK || oath_base32_encode((const char *)val + 1, TOTP_SECRET,
	    &b32, &b32len) != OATH_OK) {
		free(b32);
		return asb_fail(eb, ASB_EIO, NULL, "liboath did not start");
	}
	uri_part(name, label, sizeof(label));
	snprintf(issuer, sizeof(issuer), "ASB%%20register%%20%s", r->force);
	n = snprintf(ret_uri, cap, "otpauth://totp/%s:%s?secret=%s&issuer=%s&algorithm=SHA1"
	    "&digits=6&period=%d", issuer, label, b32, issuer, TOTP_STEP);
	free(b32);
	if (n < 0 || (size_t)n >= cap)
		err = asb_fail(eb, ASB_EIO, NULL, "the enrolment address does not fit");
	else if ((err = put(r, key, strlen(key), val, sizeof(val), eb)) == ASB_OK) {
		key_for(USED_PREFIX, name, key, sizeof(key), NULL);
		err = del(r, key, strlen(key), eb);
	}
	OPENSSL_cleanse(val, sizeof(val));
	return err;
}

/* ---- failures and the lock ---------------------------------------------------------------- */

struct fails {
	uint32_t	 n;
	asb_time	 last, locked_until;
};

static int
fails_get(struct reg *r, const char *key, struct fails *f, struct asb_errbuf *eb)
{
	struct asb_dec d;
	MDB_val v;
	int err;

	memset(f, 0, sizeof(*f));
	if ((err = get(r, key, strlen(key), &v, eb)) == ASB_ENOTFOUND)
		return ASB_OK;
	if (err != ASB_OK)
		return err;
	asb_dec_init(&d, v.mv_data, v.mv_size);
	if (asb_dec_u8(&d, "version") != 1)
		return asb_fail(eb, ASB_EIO, NULL, "%s: unknown encoding", key);
	f->n = asb_dec_u32(&d, "failures");
	f->last = asb_dec_i64(&d, "last");
	f->locked_until = asb_dec_i64(&d, "locked");
	return asb_dec_done(&d, key, eb);
}

static int
fails_put(struct reg *r, const char *key, const struct fails *f, struct asb_errbuf *eb)
{
	unsigned char buf[32];
	struct asb_enc e;

	asb_enc_init(&e, buf, sizeof(buf));
	asb_enc_u8(&e, 1);
	asb_enc_u32(&e, f->n);
	asb_enc_i64(&e, f->last);
	asb_enc_i64(&e, f->locked_until);
	return put(r, key, strlen(key), buf, asb_enc_done(&e), eb);
}

/* The time step of the last TOTP code accepted; -1 for none. */
static int
used_get(struct reg *r, const char *key, int64_t *ret, struct asb_errbuf *eb)
{
	struct asb_dec d;
	MDB_val v;
	int err;

	*ret = -1;
	if ((err = get(r, key, strlen(key), &v, eb)) == ASB_ENOTFOUND)
		return ASB_OK;
	if (err != ASB_OK)
		return err;
	asb_dec_init(&d, v.mv_data, v.mv_size);
	if (asb_dec_u8(&d, "version") != 1)
		return asb_fail(eb, ASB_EIO, NULL, "%s: unknown encoding", key);
	*ret = asb_dec_i64(&d, "step");
	return asb_dec_done(&d, key, eb);
}

static int
used_put(struct reg *r, const char *key, int64_t step, struct asb_errbuf *eb)
{
	unsigned char buf[16];
	struct asb_enc e;

	asb_enc_init(&e, buf, sizeof(buf));
	asb_enc_u8(&e, 1);
	asb_enc_i64(&e, step);
	return put(r, key, strlen(key), buf, asb_enc_done(&e), eb);
}

/* The audit entry of a sign-in attempt, under the name typed (the register's user and
 * operation are set for it, as reg_act_as would). */
static int
audit_login(struct reg *r, const char *name, const char *op, asb_time now, const char *note,
    struct asb_errbuf *eb)
{
	snprintf(r->user, sizeof(r->user), "%s", name);
	snprintf(r->op, sizeof(r->op), "%s", op);
	return reg_audit_log(r, REG_AUDIT_ALTERATION, now, NULL, note, 0, eb);
}

static int
refuse(struct reg *r, const char *name, asb_time now, struct reg_login *ret, const char *rule,
    const char *msg, const char *why, struct asb_errbuf *eb)
{
	char note[160];

	ret->ok = 0;
	snprintf(ret->rule, sizeof(ret->rule), "%s", rule);
	snprintf(ret->msg, sizeof(ret->msg), "%s", msg);
	snprintf(note, sizeof(note), "login refused (%s): %s", rule, why);
	return audit_login(r, name, "login", now, note, eb);
}

/* The cost of a password check for a name with no password to check, so the time of an
 * answer does not say which names are accounts. */
static void
burn(const char *password)
{
	static const unsigned char salt[PW_SALT] = "asb-no-such-user";
	unsigned char out[PW_HASH];
	size_t n = strlen(password);

	(void)argon2id_hash_raw(PW_T, PW_M, PW_P, password, n > REG_PASSWORD_MAX ?
	    REG_PASSWORD_MAX : n, salt, sizeof(salt), out, sizeof(out));
}

/* A failure counted against a known account: slower answers, then the lock. */
static int
count_failure(struct reg *r, const struct reg_auth_policy *p, const char *name,
    const char *fkey, struct fails *f, asb_time now, struct reg_login *ret, const char *why,
    struct asb_errbuf *eb)
{
	char detail[128];
	int err;

	f->n++;
	f->last = now;
	if ((int)f->n >= p->max_failures)
		f->locked_until = now + p->lock;
	if ((err = fails_put(r, fkey, f, eb)) != ASB_OK)
		return err;
	ret->failures = (int)f->n;
	ret->locked_until = f->locked_until;
	/* 0.25 s, 0.5 s, 1 s, 2 s ... at most 4 s before the answer: a guesser's rate falls
	 * without a thread held asleep (the server delays its reply on a timer) */
	ret->delay_ms = 250 << (f->n > 5 ? 4 : f->n - 1);
	snprintf(detail, sizeof(detail), "%s; failure %u of %d%s", why, f->n, p->max_failures,
	    f->locked_until > now ? ", account locked" : "");
	return refuse(r, name, now, ret, f->locked_until > now ? "R-LOGIN-002" : "R-LOGIN-001",
	    f->locked_until > now ? "Too many failed attempts: this account is locked for a "
	    "while. Try again later or ask the data team." :
	    "The user name, password or code is not right.", detail, eb);
}

static int
session_new(struct reg *r, const char *name, asb_time now, struct reg_login *ret,
    struct asb_errbuf *eb)
{
	unsigned char tok[TOKEN_BYTES], csrf[TOKEN_BYTES], hash[SHA256_DIGEST_LENGTH];
	unsigned char key[sizeof(SESS_PREFIX) + SHA256_DIGEST_LENGTH], buf[256];
	struct asb_enc e;
	int err;

	if ((err = random_bytes(tok, sizeof(tok), eb)) != ASB_OK ||
	    (err = random_bytes(csrf, sizeof(csrf), eb)) != ASB_OK)
		return err;
	hex(tok, sizeof(tok), ret->token);
	hex(csrf, sizeof(csrf), ret->csrf);
	SHA256((const unsigned char *)ret->token, strlen(ret->token), hash);
	memcpy(key, SESS_PREFIX, strlen(SESS_PREFIX));
	memcpy(key + strlen(SESS_PREFIX), hash, sizeof(hash));
	asb_enc_init(&e, buf, sizeof(buf));
	asb_enc_u8(&e, 1);
	asb_enc_str(&e, name);
	asb_enc_i64(&e, now);
	asb_enc_i64(&e, now);
	asb_enc_str(&e, ret->csrf);
	OPENSSL_cleanse(tok, sizeof(tok));
	return put(r, key, strlen(SESS_PREFIX) + sizeof(hash), buf, asb_enc_done(&e), eb);
}

/* Drop every session past its time: sign-ins are rare enough to pay for the sweep. */
static int
sessions_sweep(struct reg *r, const struct reg_auth_policy *p, asb_time now,
    struct asb_errbuf *eb)
{
	MDB_cursor *c;
	MDB_val k = { strlen(SESS_PREFIX), (void *)SESS_PREFIX }, v;
	size_t plen = strlen(SESS_PREFIX);
	int rc;

	if ((rc = mdb_cursor_open(r->txn, r->dbi[DB_META], &c)) != 0)
		return reg_lmdb_fail(eb, rc, "sessions");
	for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		struct asb_dec d;
		char user[ASB_MAX_SHORT];
		asb_time created, seen;

		if (k.mv_size < plen || memcmp(k.mv_data, SESS_PREFIX, plen) != 0)
			break;
		asb_dec_init(&d, v.mv_data, v.mv_size);
		(void)asb_dec_u8(&d, "version");
		asb_dec_str(&d, "user", user, sizeof(user));
		created = asb_dec_i64(&d, "created");
		seen = asb_dec_i64(&d, "seen");
		if (d.why[0] != '\0' || now - seen >= p->idle || now - created >= p->absolute)
			if ((rc = mdb_cursor_del(c, 0)) != 0)
				break;
	}
	mdb_cursor_close(c);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return reg_lmdb_fail(eb, rc, "sessions");
	return ASB_OK;
}

int
reg_login(struct reg *r, const struct reg_auth_policy *p, const char *name,
    const char *password, const char *code, asb_time now, struct reg_login *ret,
    struct asb_errbuf *eb)
{
	char pkey[ASB_MAX_SHORT + 16], tkey[ASB_MAX_SHORT + 16], fkey[ASB_MAX_SHORT + 16];
	char ukey[ASB_MAX_SHORT + 24], enc[PW_ENCODED + 1], note[96];
	int64_t step = 0, used = -1;
	unsigned char secret[TOTP_SECRET];
	struct fails f;
	MDB_val v;
	int err, role, has_totp, pos;

	memset(ret, 0, sizeof(*ret));
	/* a name no user could have is refused, and logged under "?" (it may be a
	 * password typed in the wrong box: never log it) */
	if (key_for(PW_PREFIX, name, pkey, sizeof(pkey), NULL) != ASB_OK) {
		burn(password);
		return refuse(r, "?", now, ret, "R-LOGIN-001", "The user name, password or code "
		    "is not right.", "not a user name", eb);
	}
	key_for(TOTP_PREFIX, name, tkey, sizeof(tkey), NULL);
	key_for(FAIL_PREFIX, name, fkey, sizeof(fkey), NULL);
	key_for(USED_PREFIX, name, ukey, sizeof(ukey), NULL);
	if ((err = reg_user_get(r, name, &role, eb)) == ASB_ENOTFOUND) {
		burn(password);
		return refuse(r, name, now, ret, "R-LOGIN-001", "The user name, password or code "
		    "is not right.", "no such user", eb);
	}
	if (err != ASB_OK)
		return err;
	if ((err = fails_get(r, fkey, &f, eb)) != ASB_OK)
		return err;
	if (f.locked_until > now) {
		ret->locked_until = f.locked_until;
		ret->failures = (int)f.n;
		return refuse(r, name, now, ret, "R-LOGIN-002", "Too many failed attempts: this "
		    "account is locked for a while. Try again later or ask the data team.",
		    "account locked", eb);
	}
	if (f.locked_until != 0 && f.locked_until <= now)
		f.n = 0, f.locked_until = 0;	/* the lock has run out: a fresh start */
	if ((err = get(r, pkey, strlen(pkey), &v, eb)) == ASB_ENOTFOUND) {
		burn(password);
		return refuse(r, name, now, ret, "R-LOGIN-001", "The user name, password or code "
		    "is not right.", "no password set", eb);
	}
	if (err != ASB_OK)
		return err;
	if (v.mv_size < 2 || v.mv_size > PW_ENCODED || ((unsigned char *)v.mv_data)[0] != 1)
		return asb_fail(eb, ASB_EIO, NULL, "%s: damaged password hash", name);
	memcpy(enc, (char *)v.mv_data + 1, v.mv_size - 1);
	enc[v.mv_size - 1] = '\0';
	if ((err = get(r, tkey, strlen(tkey), &v, eb)) != ASB_OK && err != ASB_ENOTFOUND)
		return err;
	has_totp = err == ASB_OK;
	if (has_totp) {
		if (v.mv_size != 1 + TOTP_SECRET || ((unsigned char *)v.mv_data)[0] != 1)
			return asb_fail(eb, ASB_EIO, NULL, "%s: damaged second factor", name);
		memcpy(secret, (char *)v.mv_data + 1, TOTP_SECRET);
		if ((err = used_get(r, ukey, &used, eb)) != ASB_OK)
			return err;
	}
	/* the password first, always: its cost is the same whatever else is wrong */
	if (strlen(password) > REG_PASSWORD_MAX ||
	    argon2id_verify(enc, password, strlen(password)) != ARGON2_OK)
		err = count_failure(r, p, name, fkey, &f, now, ret, "wrong password", eb);
	else if (!has_totp && role != REG_ROLE_OFFICER)
		/* every role above officer must have a second factor: refused, not counted */
		err = refuse(r, name, now, ret, "R-LOGIN-003", "This account needs a second "
		    "factor before it can sign in: ask the data team to enrol one.",
		    "no second factor enrolled", eb);
	else if (has_totp && (code == NULL || strlen(code) != 6 || oath_init() != OATH_OK ||
	    oath_totp_validate2((const char *)secret, TOTP_SECRET, (time_t)now, TOTP_STEP, 0,
	    TOTP_WINDOW, &pos, code) < 0))
		err = count_failure(r, p, name, fkey, &f, now, ret, code == NULL || !code[0] ?
		    "no code" : "wrong code", eb);
	else if (has_totp && (step = (int64_t)(now / TOTP_STEP) + pos) <= used)
		err = count_failure(r, p, name, fkey, &f, now, ret, "code used already", eb);
	else {
		ret->ok = 1;
		ret->role = role;
		f.n = 0;
		f.locked_until = 0;
		if ((err = del(r, fkey, strlen(fkey), eb)) == ASB_OK &&
		    (!has_totp || (err = used_put(r, ukey, step, eb)) == ASB_OK) &&
		    (err = sessions_sweep(r, p, now, eb)) == ASB_OK &&
		    (err = session_new(r, name, now, ret, eb)) == ASB_OK) {
			snprintf(note, sizeof(note), "login: session started (%s%s)",
			    has_totp ? "password and code" : "password", "");
			err = audit_login(r, name, "login", now, note, eb);
		}
	}
	OPENSSL_cleanse(secret, sizeof(secret));
	return err;
}

/* ---- sessions ----------------------------------------------------------------------------- */

static void
session_key(const char *token, unsigned char *key, size_t *klen)
{
	unsigned char hash[SHA256_DIGEST_LENGTH];

	SHA256((const unsigned char *)token, strlen(token), hash);
	memcpy(key, SESS_PREFIX, strlen(SESS_PREFIX));
	memcpy(key + strlen(SESS_PREFIX), hash, sizeof(hash));
	*klen = strlen(SESS_PREFIX) + sizeof(hash);
}

static int
token_ok(const char *token)
{
	size_t i;

	if (token == NULL || strlen(token) != 2 * TOKEN_BYTES)
		return 0;
	for (i = 0; token[i] != '\0'; i++)
		if (!((token[i] >= '0' && token[i] <= '9') || (token[i] >= 'a' && token[i] <= 'f')))
			return 0;
	return 1;
}

int
reg_session_get(struct reg *r, const struct reg_auth_policy *p, const char *token,
    asb_time now, struct reg_session *ret, struct asb_errbuf *eb)
{
	unsigned char key[sizeof(SESS_PREFIX) + SHA256_DIGEST_LENGTH], buf[256];
	struct reg_session s;
	struct asb_dec d;
	struct asb_enc e;
	size_t klen;
	MDB_val v;
	int err;

	if (!token_ok(token))
		return asb_fail(eb, ASB_ENOTFOUND, "R-SESS-001", "not signed in");
	session_key(token, key, &klen);
	if ((err = get(r, key, klen, &v, eb)) == ASB_ENOTFOUND)
		return asb_fail(eb, ASB_ENOTFOUND, "R-SESS-001", "no such session: it ended or "
		    "was never started");
	if (err != ASB_OK)
		return err;
	memset(&s, 0, sizeof(s));
	asb_dec_init(&d, v.mv_data, v.mv_size);
	if (asb_dec_u8(&d, "version") != 1)
		return asb_fail(eb, ASB_EIO, NULL, "session: unknown encoding");
	asb_dec_str(&d, "user", s.user, sizeof(s.user));
	s.created = asb_dec_i64(&d, "created");
	s.seen = asb_dec_i64(&d, "seen");
	asb_dec_str(&d, "csrf", s.csrf, sizeof(s.csrf));
	if ((err = asb_dec_done(&d, "session", eb)) != ASB_OK)
		return err;
	if (now - s.seen >= p->idle || now - s.created >= p->absolute) {
		if ((err = del(r, key, klen, eb)) != ASB_OK)
			return err;
		return asb_fail(eb, ASB_ENOTFOUND, "R-SESS-002", "the session has ended (%s): "
		    "sign in again", now - s.seen >= p->idle ? "idle too long" : "too old");
	}
	/* the role is read afresh: a user removed or changed counts at once */
	if ((err = reg_user_get(r, s.user, &s.role, eb)) != ASB_OK) {
		if (err == ASB_ENOTFOUND && (err = del(r, key, klen, eb)) == ASB_OK)
			err = asb_fail(eb, ASB_ENOTFOUND, "R-SESS-001", "the user of this "
			    "session is no longer a user of the register");
		return err;
	}
	s.seen = now;
	asb_enc_init(&e, buf, sizeof(buf));
	asb_enc_u8(&e, 1);
	asb_enc_str(&e, s.user);
	asb_enc_i64(&e, s.created);
	asb_enc_i64(&e, s.seen);
	asb_enc_str(&e, s.csrf);
	if ((err = put(r, key, klen, buf, asb_enc_done(&e), eb)) != ASB_OK)
		return err;
	*ret = s;
	return ASB_OK;
}

int
reg_session_end(struct reg *r, const char *token, asb_time now, struct asb_errbuf *eb)
{
	unsigned char key[sizeof(SESS_PREFIX) + SHA256_DIGEST_LENGTH];
	struct reg_auth_policy any = { INT64_MAX, INT64_MAX, 0, 0 };
	struct reg_session s;
	size_t klen;
	int err;

	if ((err = reg_session_get(r, &any, token, now, &s, eb)) != ASB_OK)
		return err;
	session_key(token, key, &klen);
	if ((err = del(r, key, klen, eb)) != ASB_OK)
		return err;
	return audit_login(r, s.user, "logout", now, "logout: session ended", eb);
}

int
reg_csrf_equal(const char *a, const char *b)
{
	size_t n;

	if (a == NULL || b == NULL || (n = strlen(a)) != strlen(b) || n == 0)
		return 0;
	return CRYPTO_memcmp(a, b, n) == 0;
}

int
reg_audit_refused(struct reg *r, const char *user, const char *op, asb_time now,
    const char *rule, struct asb_errbuf *eb)
{
	char note[64];

	snprintf(note, sizeof(note), "refused (%s)", rule != NULL ? rule : "");
	return audit_login(r, user, op, now, note, eb);
}

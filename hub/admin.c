/*
 * admin.c - a hub made, and forces' signing certificates registered and revoked (admin.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>

#include "admin.h"
#include "afile.h"
#include "asb_limits.h"
#include "codes.h"
#include "store.h"

/* Copy a PEM file into the hub directory whole; a key's bytes are cleansed from memory. */
static int
copy_file(const char *from, const char *dir, const char *name, mode_t mode,
    struct asb_errbuf *eb)
{
	char to[4200], *buf;
	size_t len;
	int err;

	if ((err = asb_read_file(from, ASB_MAX_PEM, &buf, &len, eb)) != ASB_OK)
		return ASB_EUSAGE;
	snprintf(to, sizeof(to), "%s/%s", dir, name);
	err = asb_write_atomic(to, buf, len, mode, eb);
	OPENSSL_cleanse(buf, len);
	free(buf);
	return err;
}

int
hub_create(const struct hub_create_opts *o, struct asb_errbuf *eb)
{
	struct hub_store *st;
	struct dsig_signer who;
	struct dsig_key *sk = NULL;
	char path[4200];
	struct stat sb;
	int err;

	snprintf(path, sizeof(path), "%s/store", o->dir);
	if (stat(path, &sb) == 0)
		return asb_fail(eb, ASB_ECONFLICT, NULL, "%s holds a hub already", o->dir);
	/* everything is read before anything is made: the receipt key and its certificate
	 * must be a pair (hub_open loads them so), the others certificates */
	if (dsig_key_load(o->sign_key, o->sign_cert, &sk, eb) != ASB_OK ||
	    dsig_cert_info(o->ca, &who, eb) != ASB_OK ||
	    dsig_cert_info(o->tls_cert, &who, eb) != ASB_OK) {
		dsig_key_free(sk);
		return ASB_EUSAGE;
	}
	dsig_key_free(sk);
	if (mkdir(o->dir, 0700) == -1 && errno != EEXIST)
		return asb_fail(eb, ASB_EIO, NULL, "%s: %s", o->dir, strerror(errno));
	if ((err = copy_file(o->ca, o->dir, "ca.crt", 0644, eb)) != ASB_OK ||
	    (err = copy_file(o->tls_cert, o->dir, "tls.crt", 0644, eb)) != ASB_OK ||
	    (err = copy_file(o->tls_key, o->dir, "tls.key", 0600, eb)) != ASB_OK ||
	    (err = copy_file(o->sign_cert, o->dir, "sign.crt", 0644, eb)) != ASB_OK ||
	    (err = copy_file(o->sign_key, o->dir, "sign.key", 0600, eb)) != ASB_OK)
		return err;
	if ((err = hub_store_open(o->dir, 1, &st, eb)) != ASB_OK)
		return err;
	hub_store_close(st);
	return ASB_OK;
}

static int
known_force(const char *code, struct asb_errbuf *eb)
{
	if (sch_code_index(SCH_LIST_FORCES, code) < 0)
		return asb_fail(eb, ASB_EUSAGE, NULL, "'%s' is not a force code (ONS E23/W15 "
		    "code of schema/codes/forces.tsv)", code);
	return ASB_OK;
}

int
hub_force_add(const char *dir, const char *code, const char *cert_file, asb_time now,
    struct dsig_signer *ret, struct asb_errbuf *eb)
{
	struct dsig_signer who;
	struct hub_store *st;
	struct hub_cert c;
	char ca[4200];
	int err;

	if ((err = known_force(code, eb)) != ASB_OK ||
	    (err = hub_store_open(dir, 0, &st, eb)) != ASB_OK)
		return err;
	/* the certificate must come from the hub's CA and name the force */
	snprintf(ca, sizeof(ca), "%s/ca.crt", dir);
	if ((err = dsig_cert_check(cert_file, ca, code, &who, eb)) == ASB_OK) {
		memset(&c, 0, sizeof(c));
		snprintf(c.code, sizeof(c.code), "%s", code);
		snprintf(c.fingerprint, sizeof(c.fingerprint), "%s", who.fingerprint);
		snprintf(c.not_after, sizeof(c.not_after), "%s", who.not_after);
		c.added = now;
		err = hub_cert_add(st, &c, eb);
	}
	hub_store_close(st);
	if (err == ASB_OK)
		*ret = who;
	return err;
}

int
hub_force_add_tls(const char *dir, const char *code, const char *cert_file, asb_time now,
    struct dsig_signer *ret, struct asb_errbuf *eb)
{
	struct dsig_signer who;
	struct hub_store *st;
	struct hub_cert c;
	char ca[4200];
	int err;

	if ((err = known_force(code, eb)) != ASB_OK ||
	    (err = hub_store_open(dir, 0, &st, eb)) != ASB_OK)
		return err;
	snprintf(ca, sizeof(ca), "%s/ca.crt", dir);
	if ((err = dsig_cert_check_use(cert_file, ca, code, DSIG_USE_TLS_CLIENT, &who,
	    eb)) == ASB_OK) {
		memset(&c, 0, sizeof(c));
		snprintf(c.code, sizeof(c.code), "%s", code);
		snprintf(c.fingerprint, sizeof(c.fingerprint), "%s", who.fingerprint);
		snprintf(c.not_after, sizeof(c.not_after), "%s", who.not_after);
		c.added = now;
		err = hub_tls_add(st, &c, eb);
	}
	hub_store_close(st);
	if (err == ASB_OK)
		*ret = who;
	return err;
}

int
hub_force_revoke(const char *dir, const char *code, const char *cert_file, unsigned roles,
    asb_time now, struct dsig_signer *ret, unsigned *ret_roles, struct asb_errbuf *eb)
{
	struct dsig_signer who;
	struct hub_store *st;
	struct hub_cert c;
	struct asb_errbuf seb, teb;
	unsigned done = 0;
	int err, serr = ASB_ENOTFOUND, terr = -1;

	asb_errbuf_clear(&seb);
	asb_errbuf_clear(&teb);
	asb_fail(&seb, ASB_ENOTFOUND, NULL, "no such certificate is registered");
	if ((err = known_force(code, eb)) != ASB_OK ||
	    (err = dsig_cert_info(cert_file, &who, eb)) != ASB_OK ||
	    (err = hub_store_open(dir, 0, &st, eb)) != ASB_OK)
		return err;
	if ((roles & HUB_ROLE_SIGN) &&
	    (serr = hub_cert_revoke(st, code, who.fingerprint, now, &seb)) == ASB_OK)
		done |= HUB_ROLE_SIGN;
	/* a TLS client certificate: by --tls-cert, or --cert naming one with clientAuth */
	if (serr != ASB_EIO && (roles & HUB_ROLE_TLS) &&
	    (roles == HUB_ROLE_TLS || who.tls_client)) {
		memset(&c, 0, sizeof(c));
		snprintf(c.code, sizeof(c.code), "%s", code);
		snprintf(c.fingerprint, sizeof(c.fingerprint), "%s", who.fingerprint);
		snprintf(c.not_after, sizeof(c.not_after), "%s", who.not_after);
		if (strcmp(who.cn, code) != 0)
			terr = asb_fail(&teb, ASB_ERULE, "R-SIG-006", "%s names '%s', not "
			    "force %s", cert_file, who.cn, code);
		else if ((terr = hub_tls_revoke(st, &c, now, &teb)) == ASB_OK)
			done |= HUB_ROLE_TLS;
	}
	hub_store_close(st);
	if (done) {
		*ret = who;
		*ret_roles = done;
		return ASB_OK;
	}
	/* the most telling failure: the store's, then revoked already, then another CN */
	if (serr == ASB_EIO || (terr != ASB_EIO && (serr == ASB_ECONFLICT ||
	    (terr != ASB_ECONFLICT && terr != ASB_ERULE)))) {
		err = serr;
		if (eb != NULL)
			*eb = seb;
	} else {
		err = terr;
		if (eb != NULL)
			*eb = teb;
	}
	return err;
}

/*
 * submit.c - a return file made ready for the outbox (submit.h): what 'asbgw submit' checks
 * and does to a return before it is queued.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <openssl/sha.h>

#include "afile.h"
#include "asb_limits.h"
#include "dsig.h"
#include "rtn.h"
#include "submit.h"

void
gw_submission_free(struct gw_submission *s)
{
	if (s->xml)
		xmlFree(s->body);
	else
		free(s->body);
	s->body = NULL;
	s->len = 0;
	s->xml = 0;
}

/* Sign doc here with the force's key, after rtn_sign_valid's checks; the signed bytes
 * replace s's body. */
static int
sign_here(xmlDocPtr doc, const char *path, const struct gw_submit_opts *o,
    struct gw_submission *s, struct asb_errbuf *eb)
{
	struct rtn_validate_opts vo;
	struct rtn_validate_result vr;
	struct dsig_key *k = NULL;
	char *signedbuf = NULL;
	size_t len = 0;
	int err;

	if (o->sign_key == NULL || o->sign_cert == NULL)
		return asb_fail(eb, ASB_EUSAGE, "R-SIG-001", "%s is not signed: run asbgw "
		    "sign, or set sign-key and sign-cert", path);
	if ((err = dsig_key_load(o->sign_key, o->sign_cert, &k, eb)) != ASB_OK)
		return err;
	memset(&vo, 0, sizeof(vo));
	err = rtn_sign_valid(doc, path, k, &vo, &vr, eb);
	dsig_key_free(k);
	if (err == ASB_ERULE && vr.errors > 0)
		return asb_fail(eb, ASB_ERULE, NULL, "%s is not a valid return (%u errors): "
		    "see asbgw validate", path, vr.errors);
	if (err != ASB_OK || (err = dsig_dump(doc, &signedbuf, &len, eb)) != ASB_OK)
		return err;
	gw_submission_free(s);
	s->body = signedbuf;
	s->len = len;
	s->xml = 1;
	return ASB_OK;
}

int
gw_submission_load(const char *path, const struct gw_submit_opts *o,
    struct gw_submission *ret, struct asb_errbuf *eb)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	struct ob_entry *e = &ret->e;
	struct dsig_signer who;
	struct rtn_header hd;
	xmlDocPtr doc = NULL;
	int err, i;

	memset(ret, 0, sizeof(*ret));
	/* nothing larger than the hub's default body cap is queued: it would be refused */
	if ((err = asb_read_file(path, ASB_HUB_MAX_BODY, &ret->body, &ret->len, eb)) !=
	    ASB_OK) {
		if (err == ASB_ERULE)
			return asb_fail(eb, ASB_ERULE, "R-XML-003", "%s is larger than %llu "
			    "bytes, the most the hub accepts", path,
			    (unsigned long long)ASB_HUB_MAX_BODY);
		return ASB_EIO;
	}
	if ((err = rtn_parse_mem(ret->body, ret->len, path, &doc, eb)) != ASB_OK ||
	    (err = rtn_header_read(doc, &hd, eb)) != ASB_OK)
		goto fail;
	snprintf(e->id, sizeof(e->id), "%s", hd.return_id);
	snprintf(e->force, sizeof(e->force), "%s", hd.force);
	snprintf(e->period, sizeof(e->period), "%s", hd.period);
	e->test = hd.test;	/* xs:boolean: "1" is a test return as "true" is */
	if (strlen(e->id) != 36) {
		err = asb_fail(eb, ASB_ERULE, "R-XSD-001", "%s has no return ID: is it a "
		    "return?", path);
		goto fail;
	}
	if (!hd.is_signed)
		err = sign_here(doc, path, o, ret, eb);
	else if (o->ca != NULL) {
		/* do not queue what the hub will refuse */
		err = rtn_verify(doc, o->ca, &hd, &who, eb);
	}
	if (err != ASB_OK)
		goto fail;
	xmlFreeDoc(doc);
	SHA256((const unsigned char *)ret->body, ret->len, md);
	for (i = 0; i < SHA256_DIGEST_LENGTH; i++)
		snprintf(e->sha256 + 2 * i, 3, "%02x", md[i]);
	snprintf(e->state, sizeof(e->state), "signed");
	e->bytes = ret->len;
	e->added = o->now;
	return ASB_OK;
fail:
	if (doc != NULL)
		xmlFreeDoc(doc);
	gw_submission_free(ret);
	return err;
}

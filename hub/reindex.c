/*
 * reindex.c - facts from a return's bytes, the way intake takes them, and the migration of a
 * store from before facts: each accepted return's stored bytes parsed with the one parse
 * function, validated over that tree by the one validator, its facts written in their own
 * transaction; the store is marked current only when every accepted return has them.
 */
#include <stdlib.h>
#include <string.h>

#include "dsig.h"
#include "facts.h"
#include "reindex.h"

struct first {
	unsigned	 structural;	/* R-XML and R-XSD errors: the facts cannot be trusted */
	char		 msg[512];
};

static void
note(const struct rtn_finding *f, void *ctx)
{
	struct first *x = ctx;

	if (f->warning || (strncmp(f->rule, "R-XML", 5) != 0 && strncmp(f->rule, "R-XSD", 5) != 0))
		return;
	if (x->structural++ == 0)
		snprintf(x->msg, sizeof(x->msg), "%s (line %ld): %s", f->rule, f->line,
		    f->msg);
}

int
hub_facts_of(const char *body, size_t len, const struct rtn_schema *xsd, uint8_t **ret,
    size_t *ret_len, unsigned *ret_errors, struct asb_errbuf *eb)
{
	struct rtn_validate_opts vo;
	struct rtn_validate_result vr;
	struct rtn_facts_builder *fb;
	struct first x;
	xmlDocPtr doc;
	int err;

	*ret = NULL;
	memset(&x, 0, sizeof(x));
	if ((err = rtn_parse_mem(body, len, "return", &doc, eb)) != ASB_OK)
		return err == ASB_EIO ? err : ASB_ERULE;
	if ((err = rtn_facts_builder_new(&fb, eb)) != ASB_OK) {
		xmlFreeDoc(doc);
		return err;
	}
	memset(&vo, 0, sizeof(vo));
	vo.max_errors = 0;	/* a tree is walked to its end, so every record gives its facts */
	vo.finding = note;
	vo.ctx = &x;
	vo.schema = xsd;
	vo.record = rtn_facts_collect;
	vo.record_ctx = fb;
	err = rtn_validate_doc(doc, "return", &vo, &vr, eb);
	xmlFreeDoc(doc);
	if (err == ASB_OK || err == ASB_ERULE) {
		if (x.structural > 0)
			err = asb_fail(eb, ASB_ERULE, NULL, "not a valid return: %s", x.msg);
		else
			err = rtn_facts_finish(fb, vr.force, vr.period, vr.test, ret, ret_len,
			    eb);
	}
	rtn_facts_builder_free(fb);
	if (err == ASB_OK && ret_errors != NULL)
		*ret_errors = vr.errors;
	return err;
}

struct ids {
	char		(*id)[37];
	size_t		 n, cap;
	int		 oom;
};

static void
accepted(const struct hub_return *r, void *ctx)
{
	struct ids *l = ctx;
	char (*p)[37];

	if (strcmp(r->state, "accepted") != 0 || l->oom)
		return;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;

		if ((p = realloc(l->id, cap * sizeof(*p))) == NULL) {
			l->oom = 1;
			return;
		}
		l->id = p;
		l->cap = cap;
	}
	memcpy(l->id[l->n++], r->id, 37);
}

static int
present(const void *facts, size_t len, void *ctx)
{
	(void)facts;
	(void)len;
	(void)ctx;
	return ASB_OK;
}

int
hub_reindex(struct hub_store *st, int all, struct hub_reindex_stats *ret,
    struct asb_errbuf *eb)
{
	struct rtn_schema *xsd = NULL;
	struct ids l = { NULL, 0, 0, 0 };
	struct hub_return hr;
	struct asb_errbuf why;
	uint8_t *facts;
	size_t i, blen, flen;
	unsigned errors;
	char *body;
	int err;

	memset(ret, 0, sizeof(*ret));
	if ((err = hub_return_each(st, NULL, NULL, accepted, &l, eb)) != ASB_OK)
		return err;
	if (l.oom) {
		free(l.id);
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	}
	if ((err = rtn_schema_load(&xsd, eb)) != ASB_OK) {
		free(l.id);
		return err;
	}
	ret->accepted = (unsigned)l.n;
	for (i = 0; i < l.n && err == ASB_OK; i++) {
		if (!all && hub_facts_read(st, l.id[i], present, NULL, NULL) == ASB_OK)
			continue;
		if (hub_return_get(st, l.id[i], &hr, NULL, NULL, &body, &blen) != ASB_OK ||
		    body == NULL) {
			err = asb_fail(eb, ASB_EIO, NULL, "return %s is listed but its "
			    "bytes are not stored", l.id[i]);
			break;
		}
		asb_errbuf_clear(&why);
		errors = 0;
		err = hub_facts_of(body, blen, xsd, &facts, &flen, &errors, &why);
		free(body);
		if (err == ASB_ERULE) {
			/* accepted by an earlier release, refused by this one (e.g. markup the
			 * signature does not cover): it must not count, and it must not stop
			 * every report either - quarantined, the force's previous return
			 * counts again, the bytes stay as evidence */
			if ((err = hub_return_quarantine(st, l.id[i], eb)) != ASB_OK)
				break;
			if (ret->failed++ == 0)
				snprintf(ret->first, sizeof(ret->first), "return %s (%s %s): %s%s%s%s",
				    l.id[i], hr.force, hr.period, why.msg, why.rule[0] ? " (" : "",
				    why.rule, why.rule[0] ? ")" : "");
			continue;
		}
		if (err != ASB_OK) {
			asb_fail(eb, err, NULL, "return %s: %s", l.id[i], why.msg);
			break;
		}
		err = hub_facts_put(st, l.id[i], facts, flen, eb);
		free(facts);
		ret->written++;
		if (errors > 0)
			ret->rule_errors++;
	}
	free(l.id);
	rtn_schema_free(xsd);
	if (err != ASB_OK)
		return err;
	if ((err = hub_facts_put(st, NULL, NULL, 0, eb)) != ASB_OK)
		return err;
	if (ret->failed > 0)
		return asb_fail(eb, ASB_ERULE, NULL, "%u of %u accepted returns no longer "
		    "validate and were quarantined (they no longer count; the force must "
		    "resubmit), the first %s", ret->failed, ret->accepted, ret->first);
	return ASB_OK;
}

int
hub_store_migrate(struct hub_store *st, int *ret_ran, struct asb_errbuf *eb)
{
	struct hub_reindex_stats s;

	if (ret_ran != NULL)
		*ret_ran = 0;
	if (hub_facts_current(st))
		return ASB_OK;
	if (ret_ran != NULL)
		*ret_ran = 1;
	return hub_reindex(st, 0, &s, eb);	/* ASB_ERULE: migrated, some quarantined */
}

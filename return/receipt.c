/*
 * receipt.c - the signed receipt: a small XML document in its own namespace, built with
 * libxml2's tree API (it is a few kilobytes even with a full report), signed and verified
 * with dsig.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "dsig.h"
#include "num.h"
#include "receipt.h"

const char *
receipt_state_label(const struct receipt *r, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s%s", r->test ? "TEST " : "", r->state);
	return buf;
}

void
receipt_path(const struct rtn_finding *f, char *buf, size_t cap)
{
	if (f->record[0] != '\0')
		snprintf(buf, cap, "/Return/Records/Record[@id='%s']", f->record);
	else if (strncmp(f->rule, "R-RTN-", 6) == 0)
		snprintf(buf, cap, "/Return/Header");
	else
		snprintf(buf, cap, "/Return");
}

static void
add(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *text)
{
	xmlNewTextChild(parent, ns, BAD_CAST name, BAD_CAST text);
}

static void
addu(xmlNodePtr parent, xmlNsPtr ns, const char *name, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	add(parent, ns, name, buf);
}

int
receipt_make(const struct receipt *r, const struct rtn_finding *f, size_t nf,
    const struct dsig_key *key, char **ret, size_t *len, struct asb_errbuf *eb)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root, fs, n;
	xmlNsPtr ns;
	char buf[32], path[128];
	size_t i;
	int err;

	*ret = NULL;
	if (doc == NULL || (root = xmlNewDocNode(doc, NULL, BAD_CAST "Receipt",
	    NULL)) == NULL) {
		xmlFreeDoc(doc);
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	}
	xmlDocSetRootElement(doc, root);
	ns = xmlNewNs(root, BAD_CAST RECEIPT_NS, NULL);
	xmlSetNs(root, ns);
	add(root, ns, "ReturnId", r->return_id);
	add(root, ns, "Force", r->force);
	add(root, ns, "Period", r->period);
	add(root, ns, "Test", r->test ? "true" : "false");
	add(root, ns, "State", r->state);
	add(root, ns, "StateLabel", receipt_state_label(r, buf, sizeof(buf)));
	add(root, ns, "Sha256", r->sha256);
	addu(root, ns, "Bytes", r->bytes);
	add(root, ns, "Received", r->received);
	add(root, ns, "Decided", r->decided);
	if (r->supersedes[0])
		add(root, ns, "Supersedes", r->supersedes);
	addu(root, ns, "Records", r->records);
	addu(root, ns, "Errors", r->errors);
	addu(root, ns, "Warnings", r->warnings);
	fs = xmlNewChild(root, ns, BAD_CAST "Findings", NULL);
	for (i = 0; i < nf; i++) {
		n = xmlNewTextChild(fs, ns, BAD_CAST "Finding", BAD_CAST f[i].msg);
		xmlNewProp(n, BAD_CAST "rule", BAD_CAST f[i].rule);
		xmlNewProp(n, BAD_CAST "severity", BAD_CAST (f[i].warning ?
		    "warning" : "error"));
		xmlNewProp(n, BAD_CAST "action", BAD_CAST (f[i].warning ? "none" :
		    ACTION_FIX));
		snprintf(buf, sizeof(buf), "%ld", f[i].line);
		xmlNewProp(n, BAD_CAST "line", BAD_CAST buf);
		receipt_path(&f[i], path, sizeof(path));
		xmlNewProp(n, BAD_CAST "path", BAD_CAST path);
		if (f[i].record[0])
			xmlNewProp(n, BAD_CAST "record", BAD_CAST f[i].record);
	}
	if ((err = dsig_sign(doc, key, eb)) == ASB_OK)
		err = dsig_dump(doc, ret, len, eb);
	xmlFreeDoc(doc);
	return err;
}

static const char *
text_of(xmlNodePtr root, const char *name, char *out, size_t cap)
{
	xmlNodePtr n;
	xmlChar *s;

	out[0] = '\0';
	for (n = root->children; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE && n->ns != NULL &&
		    strcmp((const char *)n->ns->href, RECEIPT_NS) == 0 &&
		    strcmp((const char *)n->name, name) == 0) {
			if ((s = xmlNodeGetContent(n)) != NULL)
				snprintf(out, cap, "%s", (const char *)s);
			xmlFree(s);
			break;
		}
	return out;
}

static uint64_t
num_of(xmlNodePtr root, const char *name)
{
	char buf[32];
	int64_t v = 0;
	const char *why;

	text_of(root, name, buf, sizeof(buf));
	if (asb_strtonum(buf, 0, INT64_MAX, &v, &why) == -1)
		return 0;
	return (uint64_t)v;
}

static void
attr(xmlNodePtr n, const char *name, char *out, size_t cap)
{
	xmlChar *s = xmlGetNoNsProp(n, BAD_CAST name);

	snprintf(out, cap, "%s", s != NULL ? (const char *)s : "");
	xmlFree(s);
}

int
receipt_verify(const char *buf, size_t len, const char *ca_file, const char *signer,
    struct receipt *r,
    void (*fn)(const struct rtn_finding *f, const char *action, void *ctx),
    void *ctx, struct asb_errbuf *eb)
{
	struct dsig_signer who;
	xmlDocPtr doc;
	xmlNodePtr root, fs, n;
	char tmp[24], action[16];
	int err;

	memset(r, 0, sizeof(*r));
	if ((err = rtn_parse_mem(buf, len, "receipt", &doc, eb)) != ASB_OK)
		return err;
	root = xmlDocGetRootElement(doc);
	if (root->ns == NULL || strcmp((const char *)root->ns->href, RECEIPT_NS) != 0 ||
	    strcmp((const char *)root->name, "Receipt") != 0) {
		xmlFreeDoc(doc);
		return asb_fail(eb, ASB_ERULE, "R-RCP-001", "not a receipt (root "
		    "Receipt in %s)", RECEIPT_NS);
	}
	if ((err = dsig_verify_doc(doc, ca_file, &who, eb)) != ASB_OK) {
		xmlFreeDoc(doc);
		return err;
	}
	if (strcmp(who.cn, signer != NULL ? signer : RECEIPT_SIGNER) != 0) {
		xmlFreeDoc(doc);
		return asb_fail(eb, ASB_ERULE, "R-RCP-002", "the receipt is signed "
		    "by '%s', not by the Home Office receipt key '%s'", who.cn,
		    signer != NULL ? signer : RECEIPT_SIGNER);
	}
	snprintf(r->signer, sizeof(r->signer), "%s", who.fingerprint);
	text_of(root, "ReturnId", r->return_id, sizeof(r->return_id));
	text_of(root, "Force", r->force, sizeof(r->force));
	text_of(root, "Period", r->period, sizeof(r->period));
	if (rtn_xs_boolean(text_of(root, "Test", tmp, sizeof(tmp)), &r->test) == -1) {
		xmlFreeDoc(doc);
		return asb_fail(eb, ASB_ERULE, "R-RCP-001", "the receipt's Test '%s' is "
		    "not a boolean", tmp);
	}
	text_of(root, "State", r->state, sizeof(r->state));
	text_of(root, "Sha256", r->sha256, sizeof(r->sha256));
	r->bytes = num_of(root, "Bytes");
	text_of(root, "Received", r->received, sizeof(r->received));
	text_of(root, "Decided", r->decided, sizeof(r->decided));
	text_of(root, "Supersedes", r->supersedes, sizeof(r->supersedes));
	r->records = num_of(root, "Records");
	r->errors = (unsigned)num_of(root, "Errors");
	r->warnings = (unsigned)num_of(root, "Warnings");
	if (strcmp(r->state, "accepted") != 0 && strcmp(r->state, "rejected") != 0) {
		xmlFreeDoc(doc);
		return asb_fail(eb, ASB_ERULE, "R-RCP-001", "the receipt's state "
		    "'%s' is neither accepted nor rejected", r->state);
	}
	for (fs = root->children; fs != NULL && fn != NULL; fs = fs->next) {
		if (fs->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)fs->name, "Findings") != 0)
			continue;
		for (n = fs->children; n != NULL; n = n->next) {
			struct rtn_finding f;
			xmlChar *s;

			if (n->type != XML_ELEMENT_NODE)
				continue;
			memset(&f, 0, sizeof(f));
			attr(n, "rule", f.rule, sizeof(f.rule));
			attr(n, "severity", tmp, sizeof(tmp));
			f.warning = strcmp(tmp, "warning") == 0;
			attr(n, "line", tmp, sizeof(tmp));
			f.line = strtol(tmp, NULL, 10);
			attr(n, "record", f.record, sizeof(f.record));
			attr(n, "action", action, sizeof(action));
			s = xmlNodeGetContent(n);
			snprintf(f.msg, sizeof(f.msg), "%s", s ? (const char *)s : "");
			xmlFree(s);
			fn(&f, action, ctx);
		}
	}
	xmlFreeDoc(doc);
	return ASB_OK;
}

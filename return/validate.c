/*
 * validate.c - a return checked as it streams: libxml2's reader with the XSD attached, and at
 * the end of each Record the statutory rules of schema/ on the facts it carries.  One report
 * for both layers: every finding has a rule ID (XSD and XML findings too), a severity, a line
 * and the record's pseudonym.
 *
 * Hostile input: the parser never loads a DTD, never substitutes entities, never touches the
 * network; a DOCTYPE is refused outright (that is where XXE and entity bombs live), depth is
 * capped far below libxml2's own limit, and text is copied only into fixed buffers.
 */
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "asb_limits.h"
#include "codes.h"
#include "rtn.h"
#include "num.h"
#include "rules.h"
#include "walker.h"
#include "xsd.h"

/* depth and size: asb_limits.h says why these numbers */
#define MAX_DEPTH	ASB_MAX_XML_DEPTH
#define MAX_RETURN_BYTES	ASB_MAX_RETURN_BYTES

/* libxml2's schema error codes, grouped into rule IDs a data team can look up. */
static const char *
xsd_rule(int code, const char **hint)
{
	switch (code) {
	case XML_SCHEMAV_CVC_ENUMERATION_VALID:
		*hint = "use a code from the code list (asbreg codes)";
		return "R-XSD-002";
	case XML_SCHEMAV_CVC_PATTERN_VALID:
		*hint = "the value does not have the required form";
		return "R-XSD-003";
	case XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_1:
	case XML_SCHEMAV_CVC_TYPE_3_1_2:
	case XML_SCHEMAV_CVC_MININCLUSIVE_VALID:
	case XML_SCHEMAV_CVC_MAXLENGTH_VALID:
	case XML_SCHEMAV_CVC_MINLENGTH_VALID:
		*hint = "the value is not of the required type (dates are "
		    "YYYY-MM-DDThh:mm:ss with an offset)";
		return "R-XSD-004";
	case XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_1:
	case XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_2:
	case XML_SCHEMAV_CVC_COMPLEX_TYPE_4:
		*hint = "an attribute is missing or not allowed here";
		return "R-XSD-005";
	case XML_SCHEMAV_CVC_ELT_1:
		*hint = "the root is not a Return in namespace " RTN_NS;
		return "R-XSD-006";
	default:
		*hint = "an element is missing, misplaced or not allowed here";
		return "R-XSD-001";
	}
}

/* The Record (Return/Records/Record) a node of a parsed return lies in, or NULL. */
static xmlNodePtr
record_of(xmlNodePtr n)
{
	for (; n != NULL && n->type != XML_DOCUMENT_NODE; n = n->parent)
		if (n->type == XML_ELEMENT_NODE && n->parent != NULL &&
		    n->parent->parent != NULL && n->parent->parent->parent != NULL &&
		    n->parent->parent->parent->type == XML_DOCUMENT_NODE)
			return strcmp((const char *)n->name, "Record") == 0 ? n : NULL;
	return NULL;
}

/* An XSD finding on a parsed return: located by its node; its Record is remembered so the
 * rules pass skips it, as the stream does. */
static void
tree_xsd_error(struct vctx *v, xmlErrorPtr e, const char *msg)
{
	const char *rule, *hint = "";
	xmlNodePtr node = e->node, rec = record_of(node);
	xmlChar *id = NULL;
	char rid[RTN_ID_LEN + 1] = "";

	rule = xsd_rule(e->code, &hint);
	v->xsd_errors++;
	if (rec != NULL) {
		if ((id = xmlGetNoNsProp(rec, BAD_CAST "id")) != NULL)
			walk_set_text(rid, sizeof(rid), (const char *)id);
		xmlFree(id);
		if (v->bad != NULL && v->nbad < v->max &&
		    (v->nbad == 0 || v->bad[v->nbad - 1] != rec))
			v->bad[v->nbad++] = rec;
	}
	walk_finding(v, rule, 0, node != NULL ? xmlGetLineNo(node) : e->line, rid, "%s: %s",
	    hint, msg);
}

static void
on_error(void *ctx, xmlErrorPtr e)
{
	struct vctx *v = ctx;
	char msg[300];
	const char *rule, *hint = "";
	size_t n;

	if (e == NULL || e->level == XML_ERR_WARNING)
		return;
	snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "error");
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	if (e->domain == XML_FROM_SCHEMASV && v->tree) {
		tree_xsd_error(v, e, msg);
	} else if (e->domain == XML_FROM_SCHEMASV) {
		rule = xsd_rule(e->code, &hint);
		v->xsd_errors++;
		walk_finding(v, rule, 0, e->line, v->in_record ? v->rec.id : "",
		    "%s: %s", hint, msg);
	} else {
		walk_finding(v, "R-XML-001", 0, e->line, "", "not well-formed XML "
		    "(truncated, bad UTF-8 or broken markup): %s", msg);
		v->stop = 1;
	}
}

/*
 * Look at the prolog before libxml2 does: past a byte order mark, white space, the XML
 * declaration, comments and processing instructions, the next thing must be the root element.
 * A DOCTYPE is where external entities (XXE) and entity bombs live, so it is refused here,
 * unparsed.  0 for a plain prolog, 1 for a DOCTYPE, 2 for a prolog longer than any return
 * needs.
 */
#define PROLOG_MAX	ASB_MAX_PROLOG

static int
prolog_has_doctype(const char *buf, size_t n)
{
	size_t i = 0;
	const char *end, *p;

	if (n > PROLOG_MAX)
		n = PROLOG_MAX;
	if (n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	for (;;) {
		while (i < n && (buf[i] == ' ' || buf[i] == '\t' ||
		    buf[i] == '\r' || buf[i] == '\n'))
			i++;
		if (i >= n)
			return n == PROLOG_MAX ? 2 : 0;
		if (buf[i] != '<')
			return 0;	/* not XML: the parser says so */
		if (n - i >= 2 && memcmp(buf + i, "<?", 2) == 0) {
			for (end = NULL, p = buf + i + 2; p + 1 < buf + n; p++)
				if (p[0] == '?' && p[1] == '>') {
					end = p;
					break;
				}
		} else if (n - i >= 4 && memcmp(buf + i, "<!--", 4) == 0) {
			for (end = NULL, p = buf + i + 4; p + 2 < buf + n; p++)
				if (p[0] == '-' && p[1] == '-' && p[2] == '>') {
					end = p + 1;
					break;
				}
		} else if (n - i >= 2 && buf[i + 1] == '!')
			return 1;	/* DOCTYPE, or any other declaration */
		else
			return 0;	/* the root element */
		if (end == NULL)
			return n == PROLOG_MAX ? 2 : 0;
		i = (size_t)(end - buf) + 2;
	}
}

/* A compiled XSD, shared read-only by every validation that is given it. */
struct rtn_schema {
	xmlSchemaPtr	 schema;
};

int
rtn_schema_load(struct rtn_schema **ret, struct asb_errbuf *eb)
{
	xmlSchemaParserCtxtPtr pc;
	struct rtn_schema *g;

	*ret = NULL;
	if ((g = calloc(1, sizeof(*g))) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	if ((pc = xmlSchemaNewMemParserCtxt(rtn_xsd, (int)rtn_xsd_len)) != NULL)
		g->schema = xmlSchemaParse(pc);
	xmlSchemaFreeParserCtxt(pc);
	if (g->schema == NULL) {
		free(g);
		return asb_fail(eb, ASB_EIO, NULL, "the built-in XSD did not compile");
	}
	*ret = g;
	return ASB_OK;
}

void
rtn_schema_free(struct rtn_schema *g)
{
	if (g == NULL)
		return;
	xmlSchemaFree(g->schema);
	free(g);
}

/* One pass of the reader (a stream with the XSD attached, or a walk over a tree) through the
 * rules; 0 at the end, -1 when the parser gave up. */
static int
walk(struct vctx *v)
{
	int rc = 0, type, depth;
	const xmlChar *xname;

	for (;;) {
		if (v->stop || (rc = xmlTextReaderRead(v->reader)) != 1)
			break;
		type = xmlTextReaderNodeType(v->reader);
		depth = xmlTextReaderDepth(v->reader);
		if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
			walk_finding(v, "R-XML-002", 0, walk_line(v), "",
			    "a DOCTYPE is not allowed in a return (no DTDs, no "
			    "entities): remove it");
			v->stop = 1;
			break;
		}
		if (type == XML_READER_TYPE_COMMENT ||
		    type == XML_READER_TYPE_PROCESSING_INSTRUCTION ||
		    type == XML_READER_TYPE_CDATA) {
			/* C14N drops comments and CDATA markers, so the signature would not
			 * cover them: the hub refuses them, and so does the force first */
			walk_finding(v, "R-XML-004", 0, walk_line(v), "", "%s is not allowed "
			    "in a return (the signature does not cover it): write the data "
			    "as plain elements and text", type == XML_READER_TYPE_COMMENT ?
			    "a comment" : type == XML_READER_TYPE_CDATA ? "a CDATA section" :
			    "a processing instruction");
			v->stop = 1;
			break;
		}
		if (depth > MAX_DEPTH) {
			walk_finding(v, "R-XML-003", 0, walk_line(v), "",
			    "nested deeper than a return ever is (%d)", MAX_DEPTH);
			v->stop = 1;
			break;
		}
		if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA) {
			walk_text(v);
			continue;
		}
		xname = xmlTextReaderConstLocalName(v->reader);
		if (type == XML_READER_TYPE_ELEMENT) {
			walk_element(v, xname, depth);
			if (xmlTextReaderIsEmptyElement(v->reader))
				walk_end_element(v, xname, depth);
		} else if (type == XML_READER_TYPE_END_ELEMENT)
			walk_end_element(v, xname, depth);
	}
	return rc;
}

/* What every pass ends with: the record count against the header, and the verdict. */
static int
conclude(struct vctx *v, struct rtn_validate_result *ret, struct asb_errbuf *eb)
{
	if (!v->stop && v->have_declared && v->declared != ret->records)
		walk_finding(v, "R-RTN-001", 0, 0, "", "the header's RecordCount is "
		    "%llu but the return holds %llu records",
		    (unsigned long long)v->declared,
		    (unsigned long long)ret->records);
	if (ret->errors == 0)
		return ASB_OK;
	return asb_fail(eb, ASB_ERULE, NULL, "%u errors", ret->errors);
}

/* The streaming pass over an open reader (from a file or from memory). */
static int
validate_reader(struct vctx *v, struct rtn_validate_result *ret, struct asb_errbuf *eb)
{
	struct rtn_schema *own = NULL;
	const struct rtn_schema *g = v->opts->schema;
	int rc, err;

	v->created = INT64_MAX / 4;	/* until the header says when */
	if (g == NULL) {
		if ((err = rtn_schema_load(&own, eb)) != ASB_OK)
			goto out;
		g = own;
	}
	xmlTextReaderSetStructuredErrorHandler(v->reader, on_error, v);
	walk_intern(v, NULL);
	if (xmlTextReaderSetSchema(v->reader, g->schema) != 0) {
		err = asb_fail(eb, ASB_EIO, NULL, "cannot attach the XSD");
		goto out;
	}
	rc = walk(v);
	if (rc == -1 && !v->stop) {
		/* The parser gave up without telling the handler. */
		walk_finding(v, "R-XML-001", 0, xmlTextReaderGetParserLineNumber(
		    v->reader), "", "not well-formed XML (truncated, bad UTF-8 "
		    "or broken markup)");
		v->stop = 1;
	}
	if (!v->stop && rc == 0 && xmlTextReaderIsValid(v->reader) != 1 &&
	    ret->errors == 0)
		walk_finding(v, "R-XSD-001", 0, 0, "", "the return does not match "
		    "the XSD");
	err = conclude(v, ret, eb);
out:
	xmlFreeTextReader(v->reader);
	v->reader = NULL;
	rtn_schema_free(own);
	return err;
}

static struct vctx *
vctx_new(const struct rtn_validate_opts *opts, struct rtn_validate_result *ret)
{
	struct vctx *v;

	memset(ret, 0, sizeof(*ret));
	if ((v = calloc(1, sizeof(*v))) == NULL)
		return NULL;
	v->opts = opts;
	v->res = ret;
	v->max = opts->max_errors ? opts->max_errors : 100;
	v->minor = -1;	/* until the header's SchemaVersion is read */
	return v;
}

static void
vctx_free(struct vctx *v)
{
	free(v->bad);
	free(v->seen);
	free(v);
}

/* A DOCTYPE or an overlong prolog is a finding and the end of validation. */
static int
prolog_refused(struct vctx *v, int d, struct asb_errbuf *eb)
{
	if (d == 0)
		return 0;
	if (d == 1)
		walk_finding(v, "R-XML-002", 0, 1, "", "a DOCTYPE is not allowed in a "
		    "return (no DTDs, no entities): remove it");
	else
		walk_finding(v, "R-XML-003", 0, 1, "", "the prolog before the root "
		    "element is longer than %d bytes", PROLOG_MAX);
	asb_fail(eb, ASB_ERULE, NULL, "1 error");
	return 1;
}

/* No NOENT (entities stay unexpanded), no DTDLOAD, no DTDATTR, no HUGE: a DOCTYPE is refused
 * before the parser sees it, and again if the reader meets one.  No NOCDATA: a CDATA section
 * must stay visible to be refused (R-XML-004). */
#define READER_OPTS	(XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_COMPACT)

int
rtn_validate(const char *path, const struct rtn_validate_opts *opts,
    struct rtn_validate_result *ret, struct asb_errbuf *eb)
{
	struct vctx *v;
	struct stat st;
	char *head;
	size_t n;
	FILE *f;
	int err, d;

	memset(ret, 0, sizeof(*ret));
	if (stat(path, &st) == -1 || (f = fopen(path, "rb")) == NULL)
		return asb_fail(eb, ASB_ENOTFOUND, NULL, "%s: cannot read it",
		    path);
	if ((uint64_t)st.st_size > (opts->max_bytes ? opts->max_bytes : MAX_RETURN_BYTES)) {
		fclose(f);
		return asb_fail(eb, ASB_ERULE, "R-XML-003", "%s: %llu bytes, larger than "
		    "the %llu a return may be", path, (unsigned long long)st.st_size,
		    (unsigned long long)(opts->max_bytes ? opts->max_bytes :
		    MAX_RETURN_BYTES));
	}
	if ((head = malloc(PROLOG_MAX)) == NULL ||
	    (v = vctx_new(opts, ret)) == NULL) {
		free(head);
		fclose(f);
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	}
	n = fread(head, 1, PROLOG_MAX, f);
	fclose(f);
	d = prolog_has_doctype(head, n);
	free(head);
	if (prolog_refused(v, d, eb)) {
		vctx_free(v);
		return ASB_ERULE;
	}
	if ((v->reader = xmlReaderForFile(path, NULL, READER_OPTS)) == NULL) {
		vctx_free(v);
		return asb_fail(eb, ASB_EIO, NULL, "%s: cannot open", path);
	}
	err = validate_reader(v, ret, eb);
	vctx_free(v);
	return err;
}

int
rtn_validate_mem(const char *buf, size_t len, const char *name,
    const struct rtn_validate_opts *opts, struct rtn_validate_result *ret,
    struct asb_errbuf *eb)
{
	struct vctx *v;
	int err;

	memset(ret, 0, sizeof(*ret));
	if ((uint64_t)len > (opts->max_bytes ? opts->max_bytes : MAX_RETURN_BYTES) ||
	    len > INT_MAX)
		return asb_fail(eb, ASB_ERULE, "R-XML-003", "%s: larger than "
		    "a return may be", name);
	if ((v = vctx_new(opts, ret)) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	if (prolog_refused(v, prolog_has_doctype(buf, len), eb)) {
		vctx_free(v);
		return ASB_ERULE;
	}
	if ((v->reader = xmlReaderForMemory(buf, (int)len, name, NULL,
	    READER_OPTS)) == NULL) {
		vctx_free(v);
		return asb_fail(eb, ASB_EIO, NULL, "%s: cannot read it", name);
	}
	err = validate_reader(v, ret, eb);
	vctx_free(v);
	return err;
}

/*
 * The same checks over a return already parsed (the hub parses once, for the signature):
 * the XSD over the tree, then one walk of it through the rules.  The caller parsed it with
 * no DTD, no entities and no network; a DOCTYPE is still refused here.
 */
int
rtn_validate_doc(xmlDocPtr doc, const char *name, const struct rtn_validate_opts *opts,
    struct rtn_validate_result *ret, struct asb_errbuf *eb)
{
	struct rtn_schema *own = NULL;
	const struct rtn_schema *g = opts->schema;
	xmlSchemaValidCtxtPtr vc = NULL;
	struct vctx *v;
	int err, rc;

	if ((v = vctx_new(opts, ret)) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	v->tree = 1;
	v->created = INT64_MAX / 4;
	if (doc->dict == NULL) {
		/* every parse of libxml2 names its nodes from a dictionary unless told not to */
		err = asb_fail(eb, ASB_EUSAGE, NULL, "%s: parsed without a dictionary "
		    "(XML_PARSE_NODICT)", name);
		goto out;
	}
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		walk_finding(v, "R-XML-002", 0, 1, "", "a DOCTYPE is not allowed in a "
		    "return (no DTDs, no entities): remove it");
		err = asb_fail(eb, ASB_ERULE, NULL, "1 error");
		goto out;
	}
	if (g == NULL) {
		if ((err = rtn_schema_load(&own, eb)) != ASB_OK)
			goto out;
		g = own;
	}
	if ((v->bad = calloc(v->max, sizeof(*v->bad))) == NULL ||
	    (v->reader = xmlReaderWalker(doc)) == NULL ||
	    (vc = xmlSchemaNewValidCtxt(g->schema)) == NULL) {
		err = asb_fail(eb, ASB_EIO, NULL, "%s: out of memory", name);
		goto out;
	}
	walk_intern(v, doc->dict);
	xmlSchemaSetValidStructuredErrors(vc, on_error, v);
	if ((rc = xmlSchemaValidateDoc(vc, doc)) < 0) {
		err = asb_fail(eb, ASB_EIO, NULL, "%s: the XSD validator failed", name);
		goto out;
	}
	if (rc > 0 && ret->errors == 0)
		walk_finding(v, "R-XSD-001", 0, 0, "", "the return does not match the XSD");
	v->rec_xsd_base = v->xsd_errors;	/* Records are matched by node instead */
	walk(v);
	err = conclude(v, ret, eb);
out:
	xmlSchemaFreeValidCtxt(vc);
	xmlFreeTextReader(v->reader);
	rtn_schema_free(own);
	vctx_free(v);
	return err;
}

/* libxml2 prints some problems straight to stderr ("Unimplemented block" for an entity
 * reference met by the schema validator); every problem reaches us through the structured
 * handler, so the generic printer is silenced. */
static void
silent(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

void
rtn_init(void)
{
	xmlInitParser();
	LIBXML_TEST_VERSION
	xmlSetGenericErrorFunc(NULL, silent);
}

void
rtn_cleanup(void)
{
	xmlCleanupParser();
}

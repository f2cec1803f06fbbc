/*
 * xml.c - the one way a return or a receipt enters as a tree, and the one reader of a
 * return's header.
 *
 * Why the node check: the signature covers the document as exclusive C14N sees it, and C14N
 * drops comments and turns CDATA sections into plain text.  So a comment or a CDATA section
 * added after signing (<Power>c<!---->pw</Power>, <Ethnicity><![CDATA[W1]]></Ethnicity>)
 * leaves a valid signature over bytes that any other reader may see differently.  Processing
 * instructions are data for some other program and have no place in a return.  What the
 * enveloped transform removes - the Signature element itself - is limited to what the
 * protocol puts there (SignedInfo, SignatureValue, KeyInfo with X509Data and at most
 * ASB_MAX_SIG_CERTS certificates), so nothing unsigned can ride inside it either.  All of
 * this is a linear walk of the tree, done before the signature or the XSD cost anything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "afile.h"
#include "asb_limits.h"
#include "dsig.h"
#include "num.h"
#include "rtn.h"

/* No NOENT (entities stay unexpanded), no DTDLOAD, no DTDATTR, no HUGE; no NOCDATA either:
 * a CDATA section must stay visible to be refused. */
#define PARSE_OPTS	(XML_PARSE_NONET | XML_PARSE_BIG_LINES)

/* Silence libxml2's own printing while parsing: its findings become one R-XML error. */
static void
quiet(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

static int
is_dsig(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	    strcmp((const char *)n->ns->href, DSIG_NS) == 0 &&
	    (name == NULL || strcmp((const char *)n->name, name) == 0);
}

static int
blank(const xmlChar *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	return 1;
}

static int
sig_refused(const char *name, xmlNodePtr n, struct asb_errbuf *eb, const char *what)
{
	return asb_fail(eb, ASB_ERULE, "R-XML-004", "%s: line %ld: the signature holds %s: "
	    "it may hold only SignedInfo, SignatureValue and KeyInfo with one X509Data of "
	    "at most %d X509Certificate elements (anything else is not covered by the "
	    "signature); sign the return again with asbgw sign", name, xmlGetLineNo(n),
	    what, ASB_MAX_SIG_CERTS);
}

/* The children of el: elements named by allowed (in order, each at most once when ordered),
 * white space between them; *count is the number of elements seen. */
static int
sig_children(const char *name, xmlNodePtr el, const char *const *allowed, int ordered,
    unsigned *count, struct asb_errbuf *eb)
{
	xmlNodePtr c;
	size_t at = 0, i;
	char what[96];

	*count = 0;
	for (c = el->children; c != NULL; c = c->next) {
		if (c->type == XML_TEXT_NODE) {
			if (!blank(c->content))
				return sig_refused(name, c, eb, "text");
			continue;
		}
		if (c->type != XML_ELEMENT_NODE)
			continue;	/* comments and the like: the walk refuses them */
		for (i = ordered ? at : 0; allowed[i] != NULL; i++)
			if (is_dsig(c, allowed[i]))
				break;
		if (allowed[i] == NULL) {
			snprintf(what, sizeof(what), "%s%s%s", is_dsig(c, NULL) ? "ds:" :
			    "a foreign element ", (const char *)c->name,
			    ordered && is_dsig(c, NULL) ? " (or one out of order)" : "");
			return sig_refused(name, c, eb, what);
		}
		if (ordered)
			at = i + 1;
		(*count)++;
	}
	return ASB_OK;
}

static int
check_signature(const char *name, xmlNodePtr sig, struct asb_errbuf *eb)
{
	static const char *const top[] = { "SignedInfo", "SignatureValue", "KeyInfo", NULL };
	static const char *const ki[] = { "X509Data", NULL };
	static const char *const xd[] = { "X509Certificate", NULL };
	xmlNodePtr k, x;
	unsigned n, certs = 0;
	int err;

	if ((err = sig_children(name, sig, top, 1, &n, eb)) != ASB_OK)
		return err;
	for (k = sig->children; k != NULL; k = k->next) {
		if (!is_dsig(k, "KeyInfo"))
			continue;
		if ((err = sig_children(name, k, ki, 1, &n, eb)) != ASB_OK)
			return err;
		for (x = k->children; x != NULL; x = x->next) {
			if (!is_dsig(x, "X509Data"))
				continue;
			if ((err = sig_children(name, x, xd, 0, &n, eb)) != ASB_OK)
				return err;
			certs += n;
			if (certs > ASB_MAX_SIG_CERTS)
				return sig_refused(name, x, eb, "more certificates than "
				    "a signer and its chain");
		}
	}
	return ASB_OK;
}

/* Every node of the document, prolog and epilogue included, iteratively (the tree may be
 * large): elements and text only, and every Signature as the protocol shapes it. */
static int
check_nodes(xmlDocPtr doc, const char *name, struct asb_errbuf *eb)
{
	xmlNodePtr n = doc->children;
	const char *what;
	int err;

	while (n != NULL) {
		switch (n->type) {
		case XML_ELEMENT_NODE:
			if (is_dsig(n, "Signature") &&
			    (err = check_signature(name, n, eb)) != ASB_OK)
				return err;
			what = NULL;
			break;
		case XML_TEXT_NODE:
			what = NULL;
			break;
		case XML_COMMENT_NODE:
			what = "a comment";
			break;
		case XML_PI_NODE:
			what = "a processing instruction";
			break;
		case XML_CDATA_SECTION_NODE:
			what = "a CDATA section";
			break;
		case XML_DTD_NODE:
			return asb_fail(eb, ASB_ERULE, "R-XML-002", "%s: a DOCTYPE is not "
			    "allowed (no DTDs, no entities): remove it", name);
		case XML_ENTITY_REF_NODE:
			what = "an entity reference";
			break;
		default:
			what = "a node of a kind a return never has";
			break;
		}
		if (what != NULL)
			return asb_fail(eb, ASB_ERULE, "R-XML-004", "%s: line %ld: %s is not "
			    "allowed in a return or a receipt (the signature does not "
			    "cover it): write the data as plain elements and text", name,
			    xmlGetLineNo(n), what);
		if (n->type == XML_ELEMENT_NODE && n->children != NULL) {
			n = n->children;
			continue;
		}
		while (n != NULL && n->next == NULL)
			n = n->parent != NULL && n->parent->type != XML_DOCUMENT_NODE ?
			    n->parent : NULL;
		if (n != NULL)
			n = n->next;
	}
	return ASB_OK;
}

/* ---- the cheap pass ---------------------------------------------------------------------
 * A linear scan of the bytes before libxml2 builds anything: libxml2 reads a whole start tag
 * before any reader or SAX callback sees it, and some of its costs grow faster than the input
 * (60,000 attributes on one element: 32 s), so the caps of asb_limits.h are checked here, on
 * bytes, where checking costs nothing.  It is not a parser: on anything it does not
 * recognise it stops and leaves the verdict to libxml2, which refuses malformed input anyway.
 * Comments, PIs, CDATA and a DOCTYPE are refused here with the same rules the tree checks
 * give, so a hostile body never gets a tree at all. */

struct scan {
	const char	*b, *name;
	size_t		 len, i;
	int		 depth, sig_depth;	/* sig_depth: 0, or the depth of an open
						 * Signature + 1 */
	unsigned	 sig_elements, certs;
};

static long
scan_line(const struct scan *s, size_t at)
{
	long line = 1;
	const char *p = s->b, *end = s->b + at;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		line++;
		p++;
	}
	return line;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int
is_name_end(char c)
{
	return is_space(c) || c == '/' || c == '>' || c == '=';
}

/* The length of the name at s->i (stops at white space, '/', '>', '='). */
static size_t
scan_name(const struct scan *s)
{
	size_t n = 0;

	while (s->i + n < s->len && !is_name_end(s->b[s->i + n]) && s->b[s->i + n] != '<')
		n++;
	return n;
}

static const char *
local_name(const char *q, size_t n, size_t *ret_n)
{
	const char *c = memchr(q, ':', n);

	if (c == NULL) {
		*ret_n = n;
		return q;
	}
	*ret_n = n - (size_t)(c + 1 - q);
	return c + 1;
}

/* One start tag at s->i (just after '<'); 1 to stop scanning (leave it to libxml2). */
static int
scan_start_tag(struct scan *s, struct asb_errbuf *eb)
{
	size_t at = s->i - 1, n, ln, attrs = 0;
	const char *q = s->b + s->i, *loc, *close;

	n = scan_name(s);
	if (n == 0)
		return -1;
	if (n > ASB_MAX_XML_NAME)
		return asb_fail(eb, ASB_ERULE, "R-XML-003", "%s: line %ld: an element name "
		    "longer than %d bytes: no name in a return is so long", s->name,
		    scan_line(s, at), ASB_MAX_XML_NAME);
	loc = local_name(q, n, &ln);
	s->i += n;
	if (s->depth > ASB_MAX_XML_DEPTH)
		return asb_fail(eb, ASB_ERULE, "R-XML-003", "%s: line %ld: nested deeper "
		    "than a return ever is (%d)", s->name, scan_line(s, at),
		    ASB_MAX_XML_DEPTH);
	if (s->sig_depth > 0 && ++s->sig_elements > ASB_MAX_SIG_ELEMENTS)
		return asb_fail(eb, ASB_ERULE, "R-XML-004", "%s: line %ld: the signature "
		    "holds more than %d elements: it may hold only SignedInfo, "
		    "SignatureValue and KeyInfo with one X509Data of at most %d "
		    "X509Certificate elements; sign the return again with asbgw sign",
		    s->name, scan_line(s, at), ASB_MAX_SIG_ELEMENTS, ASB_MAX_SIG_CERTS);
	if (ln == 15 && memcmp(loc, "X509Certificate", 15) == 0 &&
	    ++s->certs > ASB_MAX_SIG_CERTS)
		return asb_fail(eb, ASB_ERULE, "R-XML-004", "%s: line %ld: the signature "
		    "holds more certificates than a signer and its chain: it may hold "
		    "one X509Data of at most %d X509Certificate elements; sign the "
		    "return again with asbgw sign", s->name, scan_line(s, at),
		    ASB_MAX_SIG_CERTS);
	if (s->sig_depth == 0 && ln == 9 && memcmp(loc, "Signature", 9) == 0) {
		s->sig_depth = s->depth + 1;
		s->sig_elements = 1;
	}
	for (;;) {
		while (s->i < s->len && is_space(s->b[s->i]))
			s->i++;
		if (s->i >= s->len)
			return -1;
		if (s->b[s->i] == '>') {
			s->i++;
			s->depth++;
			return 0;
		}
		if (s->b[s->i] == '/') {
			if (s->i + 1 >= s->len || s->b[s->i + 1] != '>')
				return -1;
			s->i += 2;
			if (s->sig_depth == s->depth + 1)
				s->sig_depth = 0;
			return 0;
		}
		/* an attribute: name = "value" */
		if ((n = scan_name(s)) == 0)
			return -1;
		if (n > ASB_MAX_XML_NAME)
			return asb_fail(eb, ASB_ERULE, "R-XML-003", "%s: line %ld: an "
			    "attribute name longer than %d bytes: no name in a return is "
			    "so long", s->name, scan_line(s, at), ASB_MAX_XML_NAME);
		if (++attrs > ASB_MAX_XML_ATTRS)
			return asb_fail(eb, ASB_ERULE, "R-XML-003", "%s: line %ld: an "
			    "element with more than %d attributes: no element of a return "
			    "has so many", s->name, scan_line(s, at), ASB_MAX_XML_ATTRS);
		s->i += n;
		while (s->i < s->len && is_space(s->b[s->i]))
			s->i++;
		if (s->i >= s->len || s->b[s->i] != '=')
			return -1;
		s->i++;
		while (s->i < s->len && is_space(s->b[s->i]))
			s->i++;
		if (s->i >= s->len || (s->b[s->i] != '"' && s->b[s->i] != '\''))
			return -1;
		close = memchr(s->b + s->i + 1, s->b[s->i], s->len - s->i - 1);
		if (close == NULL)
			return -1;
		if ((size_t)(close - (s->b + s->i + 1)) > ASB_MAX_XML_TEXT)
			return asb_fail(eb, ASB_ERULE, "R-XML-003", "%s: line %ld: an "
			    "attribute value longer than %u bytes: no value in a return "
			    "is so long", s->name, scan_line(s, at), ASB_MAX_XML_TEXT);
		s->i = (size_t)(close - s->b) + 1;
	}
}

static int
markup_refused(const struct scan *s, size_t at, const char *what, struct asb_errbuf *eb)
{
	return asb_fail(eb, ASB_ERULE, "R-XML-004", "%s: line %ld: %s is not allowed in a "
	    "return or a receipt (the signature does not cover it): write the data as "
	    "plain elements and text", s->name, scan_line(s, at), what);
}

static int
scan_structure(const char *buf, size_t len, const char *name, struct asb_errbuf *eb)
{
	struct scan s;
	const char *lt;
	size_t at, n;
	int err;

	memset(&s, 0, sizeof(s));
	s.b = buf;
	s.len = len;
	s.name = name;
	if (memchr(buf, '\0', len) != NULL)
		return asb_fail(eb, ASB_ERULE, "R-XML-001", "%s: not well-formed XML (a NUL "
		    "byte: a return is UTF-8 text)", name);
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		s.i = 3;
	/* the XML declaration, the one <? allowed */
	if (len - s.i >= 6 && memcmp(buf + s.i, "<?xml", 5) == 0 && is_space(buf[s.i + 5])) {
		n = len - s.i < ASB_MAX_PROLOG ? len - s.i : ASB_MAX_PROLOG;
		for (at = s.i; at + 1 < s.i + n; at++)
			if (buf[at] == '?' && buf[at + 1] == '>')
				break;
		if (at + 1 >= s.i + n)
			return ASB_OK;	/* libxml2 says what is wrong with it */
		s.i = at + 2;
	}
	while (s.i < len) {
		lt = memchr(buf + s.i, '<', len - s.i);
		n = (lt != NULL ? (size_t)(lt - buf) : len) - s.i;
		if (n > ASB_MAX_XML_TEXT)
			return asb_fail(eb, ASB_ERULE, "R-XML-003", "%s: line %ld: a text "
			    "longer than %u bytes: no field of a return is so long", name,
			    scan_line(&s, s.i), ASB_MAX_XML_TEXT);
		if (lt == NULL)
			break;
		at = (size_t)(lt - buf);
		s.i = at + 1;
		if (s.i >= len)
			break;
		if (buf[s.i] == '!') {
			if (len - s.i >= 3 && memcmp(buf + s.i, "!--", 3) == 0)
				return markup_refused(&s, at, "a comment", eb);
			if (len - s.i >= 8 && memcmp(buf + s.i, "![CDATA[", 8) == 0)
				return markup_refused(&s, at, "a CDATA section", eb);
			if (len - s.i >= 8 && memcmp(buf + s.i, "!DOCTYPE", 8) == 0)
				return asb_fail(eb, ASB_ERULE, "R-XML-002", "%s: a DOCTYPE is "
				    "not allowed (no DTDs, no entities): remove it", name);
			return ASB_OK;
		}
		if (buf[s.i] == '?')
			return markup_refused(&s, at, "a processing instruction", eb);
		if (buf[s.i] == '/') {
			s.i++;
			n = scan_name(&s);
			s.i += n;
			while (s.i < len && is_space(buf[s.i]))
				s.i++;
			if (n == 0 || s.i >= len || buf[s.i] != '>' || s.depth == 0)
				return ASB_OK;
			s.i++;
			s.depth--;
			if (s.sig_depth == s.depth + 1)
				s.sig_depth = 0;
			continue;
		}
		if ((err = scan_start_tag(&s, eb)) != 0)
			return err < 0 ? ASB_OK : err;
	}
	return ASB_OK;
}

int
rtn_parse_mem(const char *buf, size_t len, const char *name, struct _xmlDoc **ret,
    struct asb_errbuf *eb)
{
	xmlParserCtxtPtr pc;
	xmlDocPtr doc;
	int err;

	*ret = NULL;
	if ((uint64_t)len > ASB_HUB_MAX_BODY_CEILING || len > (size_t)INT32_MAX)
		return asb_fail(eb, ASB_ERULE, "R-XML-003", "%s: %zu bytes is larger than "
		    "a return may be", name, len);
	if ((err = scan_structure(buf, len, name, eb)) != ASB_OK)
		return err;
	if ((pc = xmlNewParserCtxt()) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	xmlSetStructuredErrorFunc(NULL, quiet);
	doc = xmlCtxtReadMemory(pc, buf, (int)len, name, NULL, PARSE_OPTS);
	xmlFreeParserCtxt(pc);
	if (doc == NULL)
		return asb_fail(eb, ASB_ERULE, "R-XML-001", "%s: not well-formed "
		    "XML (truncated, bad UTF-8 or broken markup)", name);
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		xmlFreeDoc(doc);
		return asb_fail(eb, ASB_ERULE, "R-XML-002", "%s: a DOCTYPE is not "
		    "allowed (no DTDs, no entities): remove it", name);
	}
	if (xmlDocGetRootElement(doc) == NULL) {
		xmlFreeDoc(doc);
		return asb_fail(eb, ASB_ERULE, "R-XML-001", "%s: no root element",
		    name);
	}
	if ((err = check_nodes(doc, name, eb)) != ASB_OK) {
		xmlFreeDoc(doc);
		return err;
	}
	*ret = doc;
	return ASB_OK;
}

int
rtn_parse_file(const char *path, uint64_t max, struct _xmlDoc **ret, struct asb_errbuf *eb)
{
	char *buf;
	size_t len;
	int err;

	*ret = NULL;
	if (max == 0)
		max = ASB_MAX_RETURN_BYTES + ASB_MAX_SIGNATURE_BYTES;
	if ((err = asb_read_file(path, (size_t)max, &buf, &len, eb)) != ASB_OK) {
		if (err == ASB_ERULE)
			return asb_fail(eb, ASB_ERULE, "R-XML-003", "%s: larger than "
			    "%llu bytes, the most a return may be", path,
			    (unsigned long long)max);
		return err;
	}
	err = rtn_parse_mem(buf, len, path, ret, eb);
	free(buf);
	return err;
}

/* ---- the header ---------------------------------------------------------------------------- */

int
rtn_xs_boolean(const char *s, int *ret)
{
	size_t a = 0, b;

	/* xs:boolean collapses white space, then "true" | "false" | "1" | "0" */
	if (s == NULL)
		return -1;
	b = strlen(s);
	while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r' || s[a] == '\n'))
		a++;
	while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r' ||
	    s[b - 1] == '\n'))
		b--;
	if ((b - a == 4 && memcmp(s + a, "true", 4) == 0) ||
	    (b - a == 1 && s[a] == '1')) {
		*ret = 1;
		return 0;
	}
	if ((b - a == 5 && memcmp(s + a, "false", 5) == 0) ||
	    (b - a == 1 && s[a] == '0')) {
		*ret = 0;
		return 0;
	}
	return -1;
}

static int
in_rtn(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	    strcmp((const char *)n->ns->href, RTN_NS) == 0 &&
	    strcmp((const char *)n->name, name) == 0;
}

static void
copy_text(xmlNodePtr n, char *out, size_t cap)
{
	xmlChar *s = xmlNodeGetContent(n);

	snprintf(out, cap, "%s", s != NULL ? (const char *)s : "");
	xmlFree(s);
}

static void
copy_attr(xmlNodePtr n, const char *name, char *out, size_t cap)
{
	xmlChar *s = xmlGetNoNsProp(n, BAD_CAST name);

	snprintf(out, cap, "%s", s != NULL ? (const char *)s : "");
	xmlFree(s);
}

int
rtn_header_read(struct _xmlDoc *doc, struct rtn_header *ret, struct asb_errbuf *eb)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), h, n;
	struct rtn_header hd;
	char buf[32];
	int64_t v;
	const char *why;

	memset(&hd, 0, sizeof(hd));
	if (root == NULL || !in_rtn(root, "Return"))
		return asb_fail(eb, ASB_ERULE, "R-XSD-006", "not an ASB powers return: "
		    "the root must be Return in %s", RTN_NS);
	for (h = root->children; h != NULL; h = h->next)
		if (in_rtn(h, "Header"))
			break;
	for (n = h != NULL ? h->children : NULL; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE || n->ns == NULL ||
		    strcmp((const char *)n->ns->href, RTN_NS) != 0)
			continue;
		if (in_rtn(n, "Force"))
			copy_text(n, hd.force, sizeof(hd.force));
		else if (in_rtn(n, "Period"))
			copy_text(n, hd.period, sizeof(hd.period));
		else if (in_rtn(n, "SchemaVersion"))
			copy_text(n, hd.schema_version, sizeof(hd.schema_version));
		else if (in_rtn(n, "Generator")) {
			copy_attr(n, "name", hd.generator, sizeof(hd.generator));
			copy_attr(n, "version", hd.generator_version,
			    sizeof(hd.generator_version));
		} else if (in_rtn(n, "Created"))
			copy_text(n, hd.created, sizeof(hd.created));
		else if (in_rtn(n, "ReturnId"))
			copy_text(n, hd.return_id, sizeof(hd.return_id));
		else if (in_rtn(n, "Supersedes"))
			copy_text(n, hd.supersedes, sizeof(hd.supersedes));
		else if (in_rtn(n, "Test")) {
			copy_text(n, buf, sizeof(buf));
			hd.have_test = rtn_xs_boolean(buf, &hd.test) == 0;
		} else if (in_rtn(n, "RecordCount")) {
			copy_text(n, buf, sizeof(buf));
			if (asb_strtonum(buf, 0, INT64_MAX, &v, &why) == 0) {
				hd.record_count = (uint64_t)v;
				hd.have_record_count = 1;
			}
		}
	}
	for (n = root->children; n != NULL; n = n->next)
		if (is_dsig(n, "Signature"))
			hd.is_signed = 1;
	*ret = hd;
	return ASB_OK;
}

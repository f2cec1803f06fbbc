/*
 * explain.c - the force's explanations of its warnings, read back from a return's Header
 * (docs/return-format.md, "Explanations"): a stream over the bytes that stops at the end of
 * the Header, so the hub's compliance view reads them from the stored, signed return without
 * building a tree of its records.  The return was validated when it was accepted; what is
 * read here is what the XSD allowed (at most RTN_MAX_EXPLANATIONS, each RTN_EXPLANATION_MAX
 * characters of xs:token), collapsed here as the XSD collapsed it.
 */
#include <libxml/xmlreader.h>
#include <stdio.h>
#include <string.h>

#include "rtn.h"

/* The white space of an xs:token collapsed in place: runs to one space, none at the ends;
 * and what XML allows but a terminal acts on (DEL, the C1 controls such as U+009B, CSI) as
 * '?', so the text is safe to print. */
static void
collapse(char *s)
{
	char *d = s, *p;
	int sp = 0;

	for (p = s; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			sp = d != s;
			continue;
		}
		if (*p == 0x7f || ((unsigned char)p[0] == 0xc2 &&
		    (unsigned char)p[1] >= 0x80 && (unsigned char)p[1] < 0xa0)) {
			if (*p != 0x7f)
				p++;
			if (sp)
				*d++ = ' ';
			sp = 0;
			*d++ = '?';
			continue;
		}
		if (sp)
			*d++ = ' ';
		sp = 0;
		*d++ = *p;
	}
	*d = '\0';
}

int
rtn_explanations_read(const char *buf, size_t len, const char *name,
    void (*fn)(const char *rule, const char *text, void *ctx), void *ctx,
    struct asb_errbuf *eb)
{
	xmlTextReaderPtr r;
	const xmlChar *local;
	xmlChar *rule, *text;
	char t[RTN_EXPLANATION_MAX * 4 + 1];	/* 1000 characters of UTF-8 */
	unsigned n = 0;
	int rc, depth;

	if (len > (size_t)INT32_MAX)
		return asb_fail(eb, ASB_ERULE, "R-XML-003", "%s: too large", name);
	if ((r = xmlReaderForMemory(buf, (int)len, name, NULL, XML_PARSE_NONET |
	    XML_PARSE_NOERROR | XML_PARSE_NOWARNING)) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "%s: out of memory", name);
	while ((rc = xmlTextReaderRead(r)) == 1) {
		depth = xmlTextReaderDepth(r);
		local = xmlTextReaderConstLocalName(r);
		if (xmlTextReaderNodeType(r) == XML_READER_TYPE_END_ELEMENT && depth == 1)
			break;	/* the end of the Header: the records are not read */
		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT || depth != 3 ||
		    local == NULL || strcmp((const char *)local, "Explanation") != 0)
			continue;
		if (n++ == RTN_MAX_EXPLANATIONS)
			break;
		rule = xmlTextReaderGetAttribute(r, BAD_CAST "rule");
		text = xmlTextReaderReadString(r);
		if (rule != NULL && text != NULL) {
			snprintf(t, sizeof(t), "%s", (const char *)text);
			collapse(t);
			fn((const char *)rule, t, ctx);
		}
		xmlFree(rule);
		xmlFree(text);
	}
	xmlFreeTextReader(r);
	if (rc == -1)
		return asb_fail(eb, ASB_ERULE, "R-XML-001", "%s: not well-formed", name);
	return ASB_OK;
}

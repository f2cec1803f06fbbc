/*
 * ods.c - an OpenDocument spreadsheet: content.xml streamed with xmlTextWriter as the cells
 * come, the other parts written at the end, all put in a zip with libzip.
 */
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "ods.h"

#define NS_OFFICE	"urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_TABLE	"urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_TEXT		"urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_STYLE	"urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#define NS_FO		"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
#define NS_META		"urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
#define NS_DC		"http://purl.org/dc/elements/1.1/"
#define NS_MANIFEST	"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
#define MIME		"application/vnd.oasis.opendocument.spreadsheet"

struct ods {
	xmlBufferPtr	 buf;
	xmlTextWriterPtr w;
	char		 title[256];
	asb_time	 stamp;
	int		 in_sheet, in_row, failed, bad_name;
};

#define W(call)	do { if (!o->failed && (call) < 0) o->failed = 1; } while (0)
#define CS(s)	BAD_CAST (s)

static void
start(xmlTextWriterPtr w, const char *name)
{
	(void)xmlTextWriterStartElement(w, CS(name));
}

struct ods *
ods_new(const char *title, asb_time stamp)
{
	struct ods *o = calloc(1, sizeof(*o));

	if (o == NULL)
		return NULL;
	snprintf(o->title, sizeof(o->title), "%s", title);
	o->stamp = stamp;
	if ((o->buf = xmlBufferCreate()) == NULL ||
	    (o->w = xmlNewTextWriterMemory(o->buf, 0)) == NULL) {
		ods_free(o);
		return NULL;
	}
	W(xmlTextWriterStartDocument(o->w, NULL, "UTF-8", NULL));
	W(xmlTextWriterStartElement(o->w, CS("office:document-content")));
	W(xmlTextWriterWriteAttribute(o->w, CS("xmlns:office"), CS(NS_OFFICE)));
	W(xmlTextWriterWriteAttribute(o->w, CS("xmlns:table"), CS(NS_TABLE)));
	W(xmlTextWriterWriteAttribute(o->w, CS("xmlns:text"), CS(NS_TEXT)));
	W(xmlTextWriterWriteAttribute(o->w, CS("xmlns:style"), CS(NS_STYLE)));
	W(xmlTextWriterWriteAttribute(o->w, CS("xmlns:fo"), CS(NS_FO)));
	W(xmlTextWriterWriteAttribute(o->w, CS("office:version"), CS("1.2")));
	/* two cell styles: a sheet's title (A1) and a column heading; no colour carries
	 * meaning */
	W(xmlTextWriterStartElement(o->w, CS("office:automatic-styles")));
	W(xmlTextWriterWriteRaw(o->w, CS(
	    "<style:style style:name=\"title\" style:family=\"table-cell\">"
	    "<style:text-properties fo:font-size=\"14pt\" fo:font-weight=\"bold\"/>"
	    "</style:style>"
	    "<style:style style:name=\"wide\" style:family=\"table-column\">"
	    "<style:table-column-properties style:column-width=\"5cm\"/></style:style>")));
	W(xmlTextWriterEndElement(o->w));
	W(xmlTextWriterStartElement(o->w, CS("office:body")));
	W(xmlTextWriterStartElement(o->w, CS("office:spreadsheet")));
	return o;
}

void
ods_free(struct ods *o)
{
	if (o == NULL)
		return;
	if (o->w != NULL)
		xmlFreeTextWriter(o->w);
	if (o->buf != NULL)
		xmlBufferFree(o->buf);
	free(o);
}

static void
end_row(struct ods *o)
{
	if (o->in_row)
		W(xmlTextWriterEndElement(o->w));
	o->in_row = 0;
}

static void
end_sheet(struct ods *o)
{
	end_row(o);
	if (o->in_sheet)
		W(xmlTextWriterEndElement(o->w));
	o->in_sheet = 0;
}

void
ods_sheet(struct ods *o, const char *name)
{
	size_t n = strlen(name);

	if (o->failed)
		return;
	if (n == 0 || n > ODS_SHEET_NAME_MAX || strpbrk(name, "[]*?/\\:'") != NULL) {
		o->failed = o->bad_name = 1;
		return;
	}
	end_sheet(o);
	W(xmlTextWriterStartElement(o->w, CS("table:table")));
	W(xmlTextWriterWriteAttribute(o->w, CS("table:name"), CS(name)));
	W(xmlTextWriterStartElement(o->w, CS("table:table-column")));
	W(xmlTextWriterWriteAttribute(o->w, CS("table:style-name"), CS("wide")));
	W(xmlTextWriterWriteAttribute(o->w, CS("table:number-columns-repeated"), CS("3")));
	W(xmlTextWriterEndElement(o->w));
	W(xmlTextWriterStartElement(o->w, CS("table:table-column")));
	W(xmlTextWriterWriteAttribute(o->w, CS("table:number-columns-repeated"), CS("40")));
	W(xmlTextWriterEndElement(o->w));
	o->in_sheet = 1;
}

void
ods_row(struct ods *o)
{
	if (o->failed || !o->in_sheet)
		return;
	end_row(o);
	W(xmlTextWriterStartElement(o->w, CS("table:table-row")));
	o->in_row = 1;
}

static void
cell(struct ods *o, const char *style, const char *type, const char *value, const char *shown)
{
	if (o->failed || !o->in_row)
		return;
	W(xmlTextWriterStartElement(o->w, CS("table:table-cell")));
	if (style != NULL)
		W(xmlTextWriterWriteAttribute(o->w, CS("table:style-name"), CS(style)));
	W(xmlTextWriterWriteAttribute(o->w, CS("office:value-type"), CS(type)));
	if (value != NULL)
		W(xmlTextWriterWriteAttribute(o->w, CS("office:value"), CS(value)));
	W(xmlTextWriterWriteElement(o->w, CS("text:p"), CS(shown)));
	W(xmlTextWriterEndElement(o->w));
}

void
ods_text(struct ods *o, const char *s)
{
	cell(o, NULL, "string", NULL, s);
}

void
ods_title(struct ods *o, const char *s)
{
	cell(o, "title", "string", NULL, s);
}

void
ods_num(struct ods *o, double v, int decimals)
{
	char val[64], shown[64];

	snprintf(val, sizeof(val), "%.*f", decimals, v);
	snprintf(shown, sizeof(shown), "%.*f", decimals, v);
	cell(o, NULL, "float", val, shown);
}

void
ods_int(struct ods *o, long long v)
{
	char val[32];

	snprintf(val, sizeof(val), "%lld", v);
	cell(o, NULL, "float", val, val);
}

/* ---- the other parts, and the zip --------------------------------------------------------- */

/* A small document into a new buffer: the caller frees it. */
static xmlBufferPtr
part(const struct ods *o, int which)
{
	xmlBufferPtr b = xmlBufferCreate();
	xmlTextWriterPtr w;
	char date[32];
	time_t t = (time_t)o->stamp;
	struct tm tm;
	int rc = 0;

	if (b == NULL || (w = xmlNewTextWriterMemory(b, 0)) == NULL) {
		if (b != NULL)
			xmlBufferFree(b);
		return NULL;
	}
	rc |= xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0;
	switch (which) {
	case 0:		/* styles.xml: nothing beyond the defaults */
		start(w, "office:document-styles");
		rc |= xmlTextWriterWriteAttribute(w, CS("xmlns:office"), CS(NS_OFFICE)) < 0;
		rc |= xmlTextWriterWriteAttribute(w, CS("office:version"), CS("1.2")) < 0;
		break;
	case 1:		/* meta.xml */
		start(w, "office:document-meta");
		rc |= xmlTextWriterWriteAttribute(w, CS("xmlns:office"), CS(NS_OFFICE)) < 0;
		rc |= xmlTextWriterWriteAttribute(w, CS("xmlns:meta"), CS(NS_META)) < 0;
		rc |= xmlTextWriterWriteAttribute(w, CS("xmlns:dc"), CS(NS_DC)) < 0;
		rc |= xmlTextWriterWriteAttribute(w, CS("office:version"), CS("1.2")) < 0;
		start(w, "office:meta");
		rc |= xmlTextWriterWriteElement(w, CS("meta:generator"), CS("asbhub")) < 0;
		rc |= xmlTextWriterWriteElement(w, CS("dc:title"), CS(o->title)) < 0;
		rc |= xmlTextWriterWriteElement(w, CS("dc:language"), CS("en-GB")) < 0;
		if (o->stamp != 0 && gmtime_r(&t, &tm) != NULL) {
			strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
			rc |= xmlTextWriterWriteElement(w, CS("meta:creation-date"),
			    CS(date)) < 0;
		}
		rc |= xmlTextWriterEndElement(w) < 0;
		break;
	default:	/* META-INF/manifest.xml */
		start(w, "manifest:manifest");
		rc |= xmlTextWriterWriteAttribute(w, CS("xmlns:manifest"), CS(NS_MANIFEST)) < 0;
		rc |= xmlTextWriterWriteAttribute(w, CS("manifest:version"), CS("1.2")) < 0;
		{
			static const char *const e[][2] = {
				{ "/", MIME }, { "content.xml", "text/xml" },
				{ "styles.xml", "text/xml" }, { "meta.xml", "text/xml" }
			};
			size_t i;

			for (i = 0; i < 4; i++) {
				start(w, "manifest:file-entry");
				rc |= xmlTextWriterWriteAttribute(w, CS("manifest:full-path"),
				    CS(e[i][0])) < 0;
				if (i == 0)
					rc |= xmlTextWriterWriteAttribute(w,
					    CS("manifest:version"), CS("1.2")) < 0;
				rc |= xmlTextWriterWriteAttribute(w, CS("manifest:media-type"),
				    CS(e[i][1])) < 0;
				rc |= xmlTextWriterEndElement(w) < 0;
			}
		}
		break;
	}
	rc |= xmlTextWriterEndDocument(w) < 0;
	xmlFreeTextWriter(w);
	if (rc) {
		xmlBufferFree(b);
		return NULL;
	}
	return b;
}

/* Add one entry; stored (the mimetype) or deflated; dated the workbook's date. */
static int
add(zip_t *z, const char *name, const void *data, size_t len, int store, asb_time stamp)
{
	zip_source_t *s;
	zip_int64_t i;
	time_t t = (time_t)stamp;
	struct tm tm;
	zip_uint16_t dtime = 0, ddate = (1 << 5) | 1;	/* 1980-01-01 00:00 */

	if ((s = zip_source_buffer(z, data, len, 0)) == NULL)
		return -1;
	if ((i = zip_file_add(z, name, s, ZIP_FL_ENC_UTF_8)) < 0) {
		zip_source_free(s);
		return -1;
	}
	if (stamp != 0 && gmtime_r(&t, &tm) != NULL && tm.tm_year >= 80) {
		dtime = (zip_uint16_t)(tm.tm_hour << 11 | tm.tm_min << 5 | tm.tm_sec / 2);
		ddate = (zip_uint16_t)((tm.tm_year - 80) << 9 | (tm.tm_mon + 1) << 5 |
		    tm.tm_mday);
	}
	if (zip_set_file_compression(z, (zip_uint64_t)i, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
	    store ? 0 : 9) < 0 || zip_file_set_dostime(z, (zip_uint64_t)i, dtime, ddate, 0) < 0)
		return -1;
	return 0;
}

int
ods_save(struct ods *o, const char *path, struct asb_errbuf *eb)
{
	xmlBufferPtr parts[3] = { NULL, NULL, NULL };
	char tmp[4096];
	zip_t *z = NULL;
	int zerr = 0, i, err = ASB_EIO;

	end_sheet(o);
	if (o->bad_name)
		return asb_fail(eb, ASB_EUSAGE, NULL, "a sheet name is empty, longer than %d "
		    "characters or holds one of []*?/\\:'", ODS_SHEET_NAME_MAX);
	W(xmlTextWriterEndDocument(o->w));
	xmlFreeTextWriter(o->w);
	o->w = NULL;
	if (o->failed)
		return asb_fail(eb, ASB_EIO, NULL, "the workbook's XML could not be written");
	for (i = 0; i < 3; i++)
		if ((parts[i] = part(o, i)) == NULL)
			goto out;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid()) >=
	    sizeof(tmp)) {
		err = asb_fail(eb, ASB_EUSAGE, NULL, "%s: path too long", path);
		goto out;
	}
	(void)unlink(tmp);
	if ((z = zip_open(tmp, ZIP_CREATE | ZIP_EXCL, &zerr)) == NULL) {
		err = asb_fail(eb, ASB_EIO, NULL, "%s: cannot create it (libzip error %d)", tmp,
		    zerr);
		goto out;
	}
	/* the mimetype first and stored, so a reader can identify the file from its first
	 * bytes (ODF 1.2 part 3, 3.3) */
	if (add(z, "mimetype", MIME, strlen(MIME), 1, o->stamp) == -1 ||
	    add(z, "content.xml", xmlBufferContent(o->buf), (size_t)xmlBufferLength(o->buf), 0,
	    o->stamp) == -1 ||
	    add(z, "styles.xml", xmlBufferContent(parts[0]), (size_t)xmlBufferLength(parts[0]),
	    0, o->stamp) == -1 ||
	    add(z, "meta.xml", xmlBufferContent(parts[1]), (size_t)xmlBufferLength(parts[1]),
	    0, o->stamp) == -1 ||
	    add(z, "META-INF/manifest.xml", xmlBufferContent(parts[2]),
	    (size_t)xmlBufferLength(parts[2]), 0, o->stamp) == -1) {
		err = asb_fail(eb, ASB_EIO, NULL, "%s: %s", tmp, zip_strerror(z));
		zip_discard(z);
		z = NULL;
		(void)unlink(tmp);
		goto out;
	}
	if (zip_close(z) < 0) {
		err = asb_fail(eb, ASB_EIO, NULL, "%s: %s", tmp, zip_strerror(z));
		zip_discard(z);
		z = NULL;
		(void)unlink(tmp);
		goto out;
	}
	z = NULL;
	if (rename(tmp, path) == -1) {
		(void)unlink(tmp);
		err = asb_fail(eb, ASB_EIO, NULL, "%s: cannot write it", path);
		goto out;
	}
	err = ASB_OK;
out:
	for (i = 0; i < 3; i++)
		if (parts[i] != NULL)
			xmlBufferFree(parts[i]);
	return err;
}

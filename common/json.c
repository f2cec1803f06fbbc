/* json.c - JSON and CSV output (see json.h). */
#include <inttypes.h>
#include <string.h>

#include "csv.h"
#include "json.h"

void
json_str(FILE *f, const char *s)
{
	const unsigned char *p;

	fputc('"', f);
	for (p = (const unsigned char *)(s != NULL ? s : ""); *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

void
json_key(FILE *f, int first, const char *key)
{
	if (!first)
		fputc(',', f);
	json_str(f, key);
	fputc(':', f);
}

void
json_kv_str(FILE *f, int first, const char *key, const char *val)
{
	json_key(f, first, key);
	json_str(f, val);
}

void
json_kv_strn(FILE *f, int first, const char *key, const char *val)
{
	json_key(f, first, key);
	if (val == NULL || *val == '\0')
		fputs("null", f);
	else
		json_str(f, val);
}

void
json_kv_int(FILE *f, int first, const char *key, int64_t val)
{
	json_key(f, first, key);
	fprintf(f, "%" PRId64, val);
}

void
json_kv_bool(FILE *f, int first, const char *key, int val)
{
	json_key(f, first, key);
	fputs(val ? "true" : "false", f);
}

void
csv_field(FILE *f, const char *s)
{
	const char *p;
	size_t n;
	int formula, quote;

	if (s == NULL)
		s = "";
	n = strlen(s);
	formula = csv_guarded(s);
	quote = formula || strpbrk(s, ",\"\r\n") != NULL ||
	    (n > 0 && (s[0] == ' ' || s[n - 1] == ' '));
	if (!quote) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	if (formula)
		fputc('\'', f);
	for (p = s; *p; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

/*
 * form.c - form fields (form.h): trimmed text, and dates from ISO text or the GOV.UK
 * date-input parts (day, month, year, and a time where the law counts hours).
 */
#include <stdio.h>
#include <string.h>

#include "form.h"
#include "num.h"

static const char *
value(const struct web_req *q, const char *name)
{
	const char *v = q->method == WEB_POST ? web_form(q, name) : web_query(q, name);

	return v != NULL ? v : "";
}

int
form_text(const struct web_req *q, const char *name, char *buf, size_t cap)
{
	const char *v = value(q, name), *end;
	size_t n;

	while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
		v++;
	end = v + strlen(v);
	while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' ||
	    end[-1] == '\n'))
		end--;
	n = (size_t)(end - v);
	if (n >= cap) {
		if (cap > 0)
			buf[0] = '\0';
		return -1;
	}
	memcpy(buf, v, n);
	buf[n] = '\0';
	return 0;
}

static int
part(const struct web_req *q, const char *name, const char *suffix, char *buf, size_t cap)
{
	char key[96];

	snprintf(key, sizeof(key), "%s-%s", name, suffix);
	return form_text(q, key, buf, cap);
}

int
form_date(const struct web_req *q, const char *name, char *buf, size_t cap,
    const char **why)
{
	char iso[32], d[8], m[8], y[8], t[8];
	int64_t dd, mm, yy;
	const char *w;

	if (form_text(q, name, iso, sizeof(iso)) != 0) {
		*why = "is too long";
		return -1;
	}
	if (iso[0] != '\0') {
		if (strlen(iso) >= cap) {
			*why = "is too long";
			return -1;
		}
		snprintf(buf, cap, "%s", iso);
		return 1;
	}
	if (part(q, name, "day", d, sizeof(d)) != 0 || part(q, name, "month", m,
	    sizeof(m)) != 0 || part(q, name, "year", y, sizeof(y)) != 0 ||
	    part(q, name, "time", t, sizeof(t)) != 0) {
		*why = "must be a real date";
		return -1;
	}
	if (!d[0] && !m[0] && !y[0] && !t[0])
		return 0;
	if (!d[0] || !m[0] || !y[0]) {
		*why = !d[0] ? "must include a day" : !m[0] ? "must include a month" :
		    "must include a year";
		return -1;
	}
	if (asb_strtonum(d, 1, 31, &dd, &w) != 0 || asb_strtonum(m, 1, 12, &mm, &w) != 0 ||
	    asb_strtonum(y, 1900, 2999, &yy, &w) != 0) {
		*why = "must be a real date";
		return -1;
	}
	if (t[0] != '\0' && (strlen(t) != 5 || t[2] != ':')) {
		*why = "must have its time as HH:MM, for example 21:30";
		return -1;
	}
	if (cap < 17) {
		*why = "is too long";
		return -1;
	}
	if (t[0] != '\0')
		snprintf(buf, cap, "%04d-%02d-%02dT%s", (int)yy, (int)mm, (int)dd, t);
	else
		snprintf(buf, cap, "%04d-%02d-%02d", (int)yy, (int)mm, (int)dd);
	return 1;
}

/*
 * request.c - one request: its query, form and cookies as the pages read them, and the
 * answer: the security headers every answer carries, redirects, error pages.
 */
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "page.h"

const char *
web_query(const struct web_req *q, const char *name)
{
	return q->query != NULL ? evhttp_find_header(q->query, name) : NULL;
}

const char *
web_form(const struct web_req *q, const char *name)
{
	return q->form != NULL ? evhttp_find_header(q->form, name) : NULL;
}

/* Cookie: a=b; c=d (RFC 6265 section 5.4); the first of a name counts. */
int
web_cookie(const struct web_req *q, const char *name, char *buf, size_t cap)
{
	const char *h = evhttp_find_header(evhttp_request_get_input_headers(q->req), "Cookie");
	size_t nlen = strlen(name);

	while (h != NULL && *h != '\0') {
		const char *end;
		size_t vlen;

		while (*h == ' ' || *h == ';')
			h++;
		end = strchr(h, ';');
		if (end == NULL)
			end = h + strlen(h);
		if ((size_t)(end - h) > nlen && strncmp(h, name, nlen) == 0 && h[nlen] == '=') {
			vlen = (size_t)(end - h) - nlen - 1;
			if (vlen >= cap)
				return -1;
			memcpy(buf, h + nlen + 1, vlen);
			buf[vlen] = '\0';
			return 0;
		}
		h = end;
	}
	return -1;
}

void
web_header(struct web_req *q, const char *name, const char *value)
{
	evhttp_add_header(evhttp_request_get_output_headers(q->req), name, value);
}

void
web_redirect(struct web_req *q, const char *path)
{
	/* only a local path: an open redirect would lend the register's name to a phisher */
	if (path[0] != '/' || path[1] == '/' || path[1] == '\\' || strpbrk(path, "\r\n") != NULL)
		path = "/";
	q->status = 303;
	web_header(q, "Location", path);
	evbuffer_drain(q->out, evbuffer_get_length(q->out));
}

void
web_error_page(struct web_req *q, int status, const char *heading, const char *text)
{
	evbuffer_drain(q->out, evbuffer_get_length(q->out));
	q->status = status;
	pg_head(q, heading);
	pg_printf(q, "<h1 class=\"govuk-heading-l\">%s</h1>\n<p class=\"govuk-body\">%s</p>\n",
	    heading, text);
	pg_foot(q);
}

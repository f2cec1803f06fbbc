/*
 * page.c - the page-rendering API (page.h): the GOV.UK page template, the one escaping
 * function, and the components the pages share.  The markup follows the GOV.UK Design
 * System; no element needs JavaScript and there is no inline script or style anywhere, so the
 * Content-Security-Policy can forbid both.
 */
#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>

#include "codes.h"
#include "page.h"

void
web_esc(struct evbuffer *b, const char *s)
{
	const char *run = s;

	for (; *s != '\0'; s++) {
		const char *rep = NULL;
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default:
			/* a control character has no place in a page: U+FFFD */
			if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
				rep = "&#65533;";
		}
		if (rep == NULL)
			continue;
		if (s > run)
			evbuffer_add(b, run, (size_t)(s - run));
		evbuffer_add(b, rep, strlen(rep));
		run = s + 1;
	}
	if (s > run)
		evbuffer_add(b, run, (size_t)(s - run));
}

size_t
web_esc_buf(const char *s, char *buf, size_t cap)
{
	struct evbuffer *b;
	size_t n = 0;

	if (cap == 0)
		return 0;
	buf[0] = '\0';
	if ((b = evbuffer_new()) == NULL)
		return 0;
	web_esc(b, s);
	n = evbuffer_get_length(b);
	if (n >= cap) {
		n = cap - 1;
		/* never cut an entity or a UTF-8 sequence in two */
		while (n > 0) {
			const unsigned char *p = evbuffer_pullup(b, -1);
			size_t amp;

			for (amp = n; amp > 0 && p[amp - 1] != '&' && p[amp - 1] != ';'; amp--)
				;
			if (amp > 0 && p[amp - 1] == '&')
				n = amp - 1;
			else if ((p[n] & 0xc0) == 0x80)
				n--;
			else
				break;
		}
	}
	evbuffer_remove(b, buf, n);
	buf[n] = '\0';
	evbuffer_free(b);
	return n;
}

void
pg_raw(struct web_req *q, const char *html)
{
	evbuffer_add(q->out, html, strlen(html));
}

void
pg_text(struct web_req *q, const char *text)
{
	web_esc(q->out, text != NULL ? text : "");
}

/*
 * printf, the %s arguments escaped: the format is split at each conversion, literal parts
 * copied, each conversion formatted alone by vsnprintf (so the compiler's format check holds
 * for the whole), strings passed through web_esc.
 */
void
pg_printf(struct web_req *q, const char *fmt, ...)
{
	va_list ap;
	const char *p = fmt, *start;
	char spec[16], num[64];

	va_start(ap, fmt);
	while (*p != '\0') {
		size_t n;

		for (start = p; *p != '\0' && *p != '%'; p++)
			;
		if (p > start)
			evbuffer_add(q->out, start, (size_t)(p - start));
		if (*p == '\0')
			break;
		start = p++;
		if (*p == '%') {
			evbuffer_add(q->out, "%", 1);
			p++;
			continue;
		}
		/* flags, width, precision, length, conversion: no '*' widths */
		while (*p != '\0' && strchr("-+ #0123456789.", *p) != NULL)
			p++;
		while (*p != '\0' && strchr("hlzjt", *p) != NULL)
			p++;
		if (*p == '\0')
			break;
		n = (size_t)(p - start) + 1;
		if (n >= sizeof(spec))
			break;
		memcpy(spec, start, n);
		spec[n] = '\0';
		switch (*p++) {
		case 's':
			web_esc(q->out, va_arg(ap, const char *));
			continue;
		case 'c':
			snprintf(num, sizeof(num), spec, va_arg(ap, int));
			break;
		case 'd': case 'i': case 'u': case 'x': case 'X':
			if (strstr(spec, "ll") != NULL)
				snprintf(num, sizeof(num), spec, va_arg(ap, long long));
			else if (strchr(spec, 'l') != NULL)
				snprintf(num, sizeof(num), spec, va_arg(ap, long));
			else if (strchr(spec, 'z') != NULL)
				snprintf(num, sizeof(num), spec, va_arg(ap, size_t));
			else
				snprintf(num, sizeof(num), spec, va_arg(ap, int));
			break;
		case 'f': case 'g':
			snprintf(num, sizeof(num), spec, va_arg(ap, double));
			break;
		default:
			num[0] = '\0';
		}
		web_esc(q->out, num);
	}
	va_end(ap);
}

/* ---- the template ---------------------------------------------------------------------- */

/* The register's force by name ("South Yorkshire Police"), for the header. */
static const char *
force_name(const struct web_req *q)
{
	const char *code = q->app != NULL && q->app->r != NULL ? reg_force(q->app->r) : NULL;
	int i = code != NULL ? sch_code_index(SCH_LIST_FORCES, code) : -1;

	return i >= 0 ? sch_code_field(SCH_LIST_FORCES, (unsigned)i, 1) : "Police";
}

/* A link of the service navigation, marked current on its own page. */
static void
nav_item(struct web_req *q, const char *href, const char *text)
{
	int cur = q->path != NULL && strcmp(q->path, href) == 0;

	/* literal markup goes in the format, never through %s (which escapes it) */
	if (cur)
		pg_printf(q, "<li class=\"govuk-service-navigation__item govuk-service-navigation"
		    "__item--active\"><a class=\"govuk-service-navigation__link\" href=\"%s\" "
		    "aria-current=\"page\">%s</a></li>", href, text);
	else
		pg_printf(q, "<li class=\"govuk-service-navigation__item\"><a class=\"govuk-"
		    "service-navigation__link\" href=\"%s\">%s</a></li>", href, text);
}

/*
 * GOV.UK Frontend 6's page template (dist/govuk/template.njk) without its one inline script:
 * the generic header (the crest and the GOV.UK logotype are for GOV.UK's own services; a
 * force's register uses the generic one), the service navigation with the service name,
 * the pages and who is signed in, then <main>.
 */
void
pg_head(struct web_req *q, const char *title)
{
	snprintf(q->title, sizeof(q->title), "%s", title);
	pg_raw(q, "<!DOCTYPE html>\n<html lang=\"en\" class=\"govuk-template\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1, "
	    "viewport-fit=cover\">\n<meta name=\"theme-color\" content=\"#1d70b8\">\n");
	pg_printf(q, "<title>%s - ASB powers register</title>\n", title);
	pg_raw(q, "<link rel=\"icon\" sizes=\"48x48\" href=\"/assets/images/favicon.ico\">\n"
	    "<link rel=\"stylesheet\" href=\"/govuk-frontend.min.css\">\n"
	    "<link rel=\"stylesheet\" href=\"/asb.css\">\n</head>\n"
	    "<body class=\"govuk-template__body\">\n"
	    "<a href=\"#main-content\" class=\"govuk-skip-link\">Skip to main content</a>\n"
	    "<header class=\"govuk-template__header\">\n"
	    "<div class=\"govuk-generic-header\"><div class=\"govuk-generic-header__container "
	    "govuk-width-container\"><div class=\"govuk-generic-header__logo\">"
	    "<a href=\"/\" class=\"govuk-generic-header__homepage-link\">");
	pg_text(q, force_name(q));
	pg_raw(q, "</a></div></div></div>\n<section aria-label=\"Service information\" class=\"govuk-service-"
	    "navigation\"><div class=\"govuk-width-container\"><div class=\"govuk-service-"
	    "navigation__container\"><span class=\"govuk-service-navigation__service-name\">"
	    "<a href=\"/\" class=\"govuk-service-navigation__link\">ASB powers register</a>"
	    "</span>");
	if (q->signed_in) {
		pg_raw(q, "<nav aria-label=\"Menu\" class=\"govuk-service-navigation__wrapper\">"
		    "<ul class=\"govuk-service-navigation__list\" id=\"navigation\">");
		nav_item(q, "/", "Home");
		nav_item(q, "/find", "Find");
		nav_item(q, "/due", "Due");
		if (reg_allows(q->sess.role, "audit"))
			nav_item(q, "/audit", "Audit log");
		pg_printf(q, "<li class=\"govuk-service-navigation__item\"><span class=\"govuk-"
		    "service-navigation__text\">%s (%s)</span></li>", q->sess.user,
		    reg_role_code(q->sess.role));
		/* sign-out is a POST with the form token: a link could be forged by any page */
		pg_raw(q, "<li class=\"govuk-service-navigation__item\"><form method=\"post\" "
		    "action=\"/logout\" novalidate>");
		pg_csrf(q);
		pg_raw(q, "<button type=\"submit\" class=\"govuk-button govuk-button--secondary "
		    "govuk-!-margin-bottom-0\">Sign out</button></form></li></ul></nav>");
	}
	pg_raw(q, "</div></div></section>\n</header>\n<div class=\"govuk-width-container\">\n"
	    "<main class=\"govuk-main-wrapper\" id=\"main-content\">\n");
}

void
pg_foot(struct web_req *q)
{
	pg_raw(q, "</main>\n</div>\n<footer class=\"govuk-template__footer\">\n<div class=\""
	    "govuk-footer\"><div class=\"govuk-width-container\"><div class=\"govuk-footer__"
	    "meta\"><div class=\"govuk-footer__meta-item govuk-footer__meta-item--grow\">"
	    "<p class=\"govuk-body-s\">Every page that shows personal data is recorded in the "
	    "register's audit log under your name (Data Protection Act 2018 s62).</p></div></div>"
	    "</div></div>\n</footer>\n</body>\n</html>\n");
}

void
pg_csrf(struct web_req *q)
{
	char tok[REG_TOKEN_HEX];

	if (q->signed_in)
		pg_printf(q, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", q->sess.csrf);
	else if (web_cookie(q, WEB_LOGIN_COOKIE, tok, sizeof(tok)) == 0)
		pg_printf(q, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", tok);
}

/* ---- components ------------------------------------------------------------------------ */

void
pg_error_summary(struct web_req *q, const struct pg_error *e, size_t n)
{
	size_t i;

	if (n == 0)
		return;
	pg_raw(q, "<div class=\"govuk-error-summary\" data-module=\"govuk-error-summary\">"
	    "<div role=\"alert\"><h2 class=\"govuk-error-summary__title\">There is a problem"
	    "</h2><div class=\"govuk-error-summary__body\"><ul class=\"govuk-list "
	    "govuk-error-summary__list\">");
	for (i = 0; i < n; i++) {
		if (e[i].field != NULL)
			pg_printf(q, "<li><a href=\"#%s\">%s", e[i].field, e[i].msg);
		else
			pg_printf(q, "<li>%s", e[i].msg);
		if (e[i].rule != NULL && e[i].rule[0] != '\0')
			pg_printf(q, " (%s)", e[i].rule);
		pg_raw(q, e[i].field != NULL ? "</a></li>" : "</li>");
	}
	pg_raw(q, "</ul></div></div></div>\n");
}

void
pg_tag(struct web_req *q, const char *colour, const char *text)
{
	if (colour != NULL && colour[0] != '\0')
		pg_printf(q, "<strong class=\"govuk-tag govuk-tag--%s\">%s</strong>", colour, text);
	else
		pg_printf(q, "<strong class=\"govuk-tag\">%s</strong>", text);
}

void
pg_summary_begin(struct web_req *q)
{
	pg_raw(q, "<dl class=\"govuk-summary-list\">\n");
}

void
pg_summary_row(struct web_req *q, const char *key, const char *value)
{
	pg_printf(q, "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__"
	    "key\">%s</dt><dd class=\"govuk-summary-list__value\">%s</dd></div>\n", key,
	    value != NULL ? value : "");
}

void
pg_summary_end(struct web_req *q)
{
	pg_raw(q, "</dl>\n");
}

void
pg_table_begin(struct web_req *q, const char *caption, const char *const *heads)
{
	/* a table wider than a phone scrolls inside its own region, not the page (WCAG
	 * 1.4.10 reflow); the region takes the keyboard focus so it can be scrolled */
	pg_printf(q, "<div class=\"asb-scroll\" role=\"region\" aria-label=\"%s\" "
	    "tabindex=\"0\">", caption != NULL ? caption : "Table");
	pg_raw(q, "<table class=\"govuk-table govuk-table--small-text-until-tablet\">");
	if (caption != NULL)
		pg_printf(q, "<caption class=\"govuk-table__caption govuk-table__caption--m\">"
		    "%s</caption>", caption);
	pg_raw(q, "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">");
	for (; heads != NULL && *heads != NULL; heads++)
		pg_printf(q, "<th scope=\"col\" class=\"govuk-table__header\">%s</th>", *heads);
	pg_raw(q, "</tr></thead><tbody class=\"govuk-table__body\">\n");
}

void
pg_row_begin(struct web_req *q)
{
	pg_raw(q, "<tr class=\"govuk-table__row\">");
}

void
pg_cell(struct web_req *q, const char *text)
{
	pg_printf(q, "<td class=\"govuk-table__cell\">%s</td>", text);
}

void
pg_cell_link(struct web_req *q, const char *href, const char *text)
{
	pg_printf(q, "<td class=\"govuk-table__cell\"><a class=\"govuk-link\" href=\"%s\">%s"
	    "</a></td>", href, text);
}

void
pg_cell_open(struct web_req *q)
{
	pg_raw(q, "<td class=\"govuk-table__cell\">");
}

void
pg_cell_close(struct web_req *q)
{
	pg_raw(q, "</td>");
}

void
pg_row_end(struct web_req *q)
{
	pg_raw(q, "</tr>\n");
}

void
pg_table_end(struct web_req *q)
{
	pg_raw(q, "</tbody></table></div>\n");
}

void
pg_input(struct web_req *q, const char *id, const char *label, const char *hint,
    const char *error, const char *value, const char *type, const char *autocomplete)
{
	pg_printf(q, "<div class=\"govuk-form-group%s\">", error ? " govuk-form-group--error" :
	    "");
	pg_printf(q, "<label class=\"govuk-label\" for=\"%s\">%s</label>", id, label);
	if (hint != NULL)
		pg_printf(q, "<div id=\"%s-hint\" class=\"govuk-hint\">%s</div>", id, hint);
	if (error != NULL)
		pg_printf(q, "<p id=\"%s-error\" class=\"govuk-error-message\"><span class=\""
		    "govuk-visually-hidden\">Error:</span> %s</p>", id, error);
	pg_printf(q, "<input class=\"govuk-input%s\" id=\"%s\" name=\"%s\" type=\"%s\"",
	    error ? " govuk-input--error" : "", id, id, type);
	if (value != NULL && strcmp(type, "password") != 0)
		pg_printf(q, " value=\"%s\"", value);
	if (autocomplete != NULL)
		pg_printf(q, " autocomplete=\"%s\"", autocomplete);
	if (hint != NULL && error != NULL)
		pg_printf(q, " aria-describedby=\"%s-hint %s-error\"", id, id);
	else if (hint != NULL || error != NULL)
		pg_printf(q, " aria-describedby=\"%s-%s\"", id, hint != NULL ? "hint" : "error");
	pg_raw(q, ">");
	pg_raw(q, "</div>\n");
}

const char *
pg_kind(int kind)
{
	switch (kind) {
	case SCH_PERSON:
		return "person";
	case SCH_PREMISES:
		return "premises";
	case SCH_PLACE:
		return "place";
	}
	return "subject";
}

void
pg_restricted(struct web_req *q, const struct reg_subject *s)
{
	if (s->restricted != 0)
		pg_tag(q, "red", "Restricted");
}

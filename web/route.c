/*
 * route.c - the route table, and the one path every request takes through it:
 *
 *	1. the route for the method and path (404, 405)
 *	2. a public route runs as it is (the sign-in form, the assets); POST /login checks its
 *	   form token against the sign-in cookie first
 *	3. otherwise a write transaction; the session from the cookie (none or ended: a GET
 *	   goes to /login, a POST is 403); a POST's form token (missing or wrong: 403, and the
 *	   transaction is aborted, so nothing is stored, not even the session's last use)
 *	4. the role check for the route's operation as the signed-in user (reg_act_as): a
 *	   refusal is 403, and logged
 *	5. the handler; for a page with personal data, the consultation entry in the audit log
 *	   under the signed-in user; commit, or abort on error
 *
 * The operations are the command line's (reg_allows' names), so the web has no policy of its
 * own: an officer may see a page exactly when they may run the command behind it.
 */
#include <string.h>

#include <event2/buffer.h>

#include "page.h"

static const struct web_route routes[] = {
	{ WEB_GET,  "/login",	NULL,	ROUTE_PUBLIC,			page_login_get },
	{ WEB_POST, "/login",	NULL,	ROUTE_PUBLIC,			page_login_post },
	{ WEB_POST, "/logout",	NULL,	0,				page_logout_post },
	{ WEB_GET,  "/",	"list",	ROUTE_PERSONAL,			page_home },
	{ WEB_GET,  "/find",	"find",	ROUTE_PERSONAL,			page_find },
	{ WEB_GET,  "/due",	"due",	ROUTE_PERSONAL,			page_due },
	{ WEB_GET,  "/repeat",	"repeat", ROUTE_PERSONAL,			page_repeat },
	{ WEB_GET,  "/audit",	"audit", 0,				page_audit },
	{ WEB_GET,  "/users",	"user",	0,				page_users },
	{ WEB_GET,  "/subjects/", "history", ROUTE_PERSONAL | ROUTE_PREFIX,	page_subject },
	/* before the "/records/" prefix */
	{ WEB_GET,  "/records/new", "add", ROUTE_PERSONAL,		page_record_new },
	{ WEB_POST, "/records",	"add",	0,				page_record_post },
	{ WEB_POST, "/records/", "event", ROUTE_PREFIX,			page_event_post },
	{ WEB_GET,  "/records/", "show",	ROUTE_PERSONAL | ROUTE_PREFIX,	page_record },
	{ WEB_GET,  "/govuk-frontend.min.css", NULL, ROUTE_PUBLIC,	page_asset },
	{ WEB_GET,  "/asb.css",	NULL,	ROUTE_PUBLIC,			page_asset },
	{ WEB_GET,  "/assets/",	NULL,	ROUTE_PUBLIC | ROUTE_PREFIX,	page_asset },
};

const struct web_route *
web_route_find(int method, const char *path, int *path_known)
{
	size_t i;

	*path_known = 0;
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		const struct web_route *rt = &routes[i];
		int match = rt->flags & ROUTE_PREFIX ?
		    strncmp(path, rt->path, strlen(rt->path)) == 0 : strcmp(path, rt->path) == 0;

		if (!match)
			continue;
		if (rt->method == method)
			return rt;
		*path_known = 1;
	}
	return NULL;
}

static void
refused(struct web_req *q, const struct asb_errbuf *eb)
{
	char msg[ASB_ERRBUF_MSG + 40];

	snprintf(msg, sizeof(msg), "%s (%s)", eb->msg, eb->rule);
	web_error_page(q, 403, "You cannot see this page", msg);
}

void
web_dispatch(struct web_req *q)
{
	struct reg *r = q->app->r;
	const struct web_route *rt;
	struct asb_errbuf eb;
	int known, err;

	asb_errbuf_clear(&eb);
	if ((rt = web_route_find(q->method, q->path, &known)) == NULL) {
		if (known)
			web_error_page(q, 405, "Method not allowed", "This address does not "
			    "take that kind of request.");
		else
			web_error_page(q, 404, "Page not found", "If you typed the web address, "
			    "check it is correct.");
		return;
	}
	if (rt->flags & ROUTE_PUBLIC) {
		if (q->method == WEB_POST && !web_csrf_ok(q)) {
			web_error_page(q, 403, "The form has expired", "The form was not sent "
			    "from this page, or is too old: go back, reload the page and try "
			    "again.");
			return;
		}
		(void)rt->run(q);
		return;
	}
	if ((err = reg_begin(r, 1, &eb)) != ASB_OK) {
		web_error_page(q, 503, "Sorry, there is a problem with the service",
		    "The register could not be read. Try again later.");
		return;
	}
	if ((err = web_session_load(q, &eb)) != ASB_OK) {
		/* an ended session is deleted: keep that, nothing else was done */
		if (err == ASB_ENOTFOUND && reg_commit(r, &eb) == ASB_OK)
			err = ASB_ENOTFOUND;
		else
			reg_abort(r);
		if (err != ASB_ENOTFOUND)
			web_error_page(q, 503, "Sorry, there is a problem with the service",
			    "The register could not be read. Try again later.");
		else if (q->method == WEB_GET) {
			web_session_cookie(q, NULL);
			web_redirect(q, "/login");
		} else
			web_error_page(q, 403, "You are not signed in", "Your session has "
			    "ended: sign in again.");
		return;
	}
	if (q->method == WEB_POST && !web_csrf_ok(q)) {
		reg_abort(r);
		web_error_page(q, 403, "The form has expired", "The form was not sent from "
		    "this page, or is too old: go back, reload the page and try again.");
		return;
	}
	if (rt->op != NULL && (err = reg_act_as(r, q->sess.user, rt->op, &eb)) != ASB_OK) {
		struct asb_errbuf eb2;

		asb_errbuf_clear(&eb2);
		if (err == ASB_ERULE && reg_audit_refused(r, q->sess.user, rt->op, q->now,
		    eb.rule, &eb2) == ASB_OK && reg_commit(r, &eb2) == ASB_OK)
			refused(q, &eb);
		else {
			reg_abort(r);
			web_error_page(q, err == ASB_ERULE ? 403 : 503, "You cannot see this page",
			    "The register refused, or could not be read.");
		}
		return;
	}
	err = rt->run(q);
	if (err == ASB_OK && (rt->flags & ROUTE_PERSONAL))
		err = reg_audit_log(r, REG_AUDIT_CONSULTATION, q->now, NULL, NULL, 0, &eb);
	if (err == ASB_OK)
		err = reg_commit(r, &eb);
	else
		reg_abort(r);
	if (err != ASB_OK && q->status < 400)
		web_error_page(q, 503, "Sorry, there is a problem with the service",
		    "What you asked for could not be done. Try again later.");
}

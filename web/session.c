/*
 * session.c - the signed-in user of a request, from its session cookie, and the form tokens
 * that tie a POST to a page this server rendered (CSRF).  The sessions themselves are the
 * register's (reg_session_get, auth.c): the cookie holds only a random 256-bit token.
 *
 * Cookies are __Host- prefixed (so Secure, Path=/ and no Domain are required of them by the
 * browser), HttpOnly (no script reads them) and SameSite=Strict (no other site's page
 * sends them).  Before sign-in the form token is a second cookie of the same kind, compared
 * with the form's hidden field (the double-submit pattern); after, it is the session's.
 */
#include <stdio.h>
#include <string.h>

#include "page.h"

int
web_session_load(struct web_req *q, struct asb_errbuf *eb)
{
	char tok[REG_TOKEN_HEX];
	int err;

	q->signed_in = 0;
	if (web_cookie(q, WEB_SESSION_COOKIE, tok, sizeof(tok)) != 0)
		return asb_fail(eb, ASB_ENOTFOUND, "R-SESS-001", "not signed in");
	if ((err = reg_session_get(q->app->r, &q->app->o->policy, tok, q->now, &q->sess,
	    eb)) != ASB_OK)
		return err;
	snprintf(q->token, sizeof(q->token), "%s", tok);
	q->signed_in = 1;
	return ASB_OK;
}

int
web_csrf_ok(struct web_req *q)
{
	char tok[REG_TOKEN_HEX];
	const char *form = web_form(q, "csrf");

	if (form == NULL)
		return 0;
	if (q->signed_in)
		return reg_csrf_equal(form, q->sess.csrf);
	if (web_cookie(q, WEB_LOGIN_COOKIE, tok, sizeof(tok)) != 0)
		return 0;
	return reg_csrf_equal(form, tok);
}

void
web_session_cookie(struct web_req *q, const char *token)
{
	char c[REG_TOKEN_HEX + 128];

	/* no Max-Age: a session cookie, gone with the browser; the server's own clock ends
	 * the session whatever the browser keeps */
	if (token != NULL)
		snprintf(c, sizeof(c), "%s=%s; Path=/; Secure; HttpOnly; SameSite=Strict",
		    WEB_SESSION_COOKIE, token);
	else
		snprintf(c, sizeof(c), "%s=; Path=/; Secure; HttpOnly; SameSite=Strict; "
		    "Max-Age=0", WEB_SESSION_COOKIE);
	web_header(q, "Set-Cookie", c);
}

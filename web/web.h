/*
 * web.h - libweb, the officers' web application (`asbreg serve`): HTTPS on libevent's evhttp
 * with OpenSSL, server-rendered HTML laid out with GOV.UK Frontend, every page a call into
 * libregister as the signed-in user (docs/web.md; DESIGN.md "The officers' web application").
 *
 * The files, one concern each:
 *	server.c	TLS, the listener, privilege drop, the event loop, sending replies
 *	request.c	one request: its query, form, cookies, the security headers, replies
 *	route.c		the route table: method, path, the operation each needs, the handler
 *	session.c	the signed-in user from the cookie, the form token (CSRF)
 *	page.c		the page-rendering API: the GOV.UK template, escaping, components
 *	form.c		form fields: text, GOV.UK date-input parts
 *	assets.c	GOV.UK Frontend's compiled CSS, fonts and images, cached long
 *	page_*.c	the pages, one file per page or journey
 * web/README.md says how to add a page.
 *
 * Everything here runs on the event loop's one thread; a struct web_app and what hangs off
 * it are for that thread only.
 */
#ifndef WEB_H
#define WEB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "reg.h"

struct evhttp_request;
struct evbuffer;
struct evkeyvalq;
struct event_base;

/* ---- serving (server.c) ---------------------------------------------------------------- */

struct web_opts {
	const char	*dir;			/* the register */
	const char	*listen;		/* "HOST:PORT"; port 0 picks a free one */
	const char	*port_file;		/* write the bound port here, or NULL */
	const char	*tls_cert, *tls_key;
	const char	*user;			/* run as this user once bound, or NULL */
	const char	*assets;		/* govuk-frontend's dist/govuk directory */
	struct reg_auth_policy policy;		/* session and lockout times */
	int		 timeout;		/* seconds a connection may idle */
	int		 max_connections;
	/* "now" for the pages that compute with dates, fixed for tests (0 = the clock) */
	asb_time	 fixed_now;
};

void	 web_opts_defaults(struct web_opts *o);
/* Serve until SIGINT or SIGTERM.  ASB_EUSAGE for a bad address, TLS material or assets
 * directory; ASB_ENOTFOUND for no register; ASB_EIO when it cannot listen. */
int	 web_serve(const struct web_opts *o, struct asb_errbuf *eb);

/* ---- one request (request.c) ------------------------------------------------------------ */

enum web_method { WEB_GET = 1, WEB_POST = 2 };

struct web_app {
	const struct web_opts	*o;
	struct reg		*r;		/* open for the server's life */
	struct event_base	*base;
};

struct web_req {
	struct web_app		*app;
	struct evhttp_request	*req;
	int			 method;	/* enum web_method */
	const char		*path;		/* decoded path: "/find" */
	struct evkeyvalq	*query;		/* ?a=b, decoded */
	struct evkeyvalq	*form;		/* a POST's urlencoded body, decoded */
	asb_time		 now;
	/* the signed-in user, when there is one (session.c) */
	int			 signed_in;
	struct reg_session	 sess;
	char			 token[REG_TOKEN_HEX];
	/* the answer being built */
	int			 status;
	struct evbuffer		*out;
	int			 delay_ms;	/* hold the answer back this long */
	char			 title[128];	/* for the log and <title> */
};

/* A query or form value, or NULL when absent (borrowed from the request). */
const char *web_query(const struct web_req *q, const char *name);
const char *web_form(const struct web_req *q, const char *name);
/* A cookie's value into buf (cap bytes); 0, or -1 when absent or too long. */
int	 web_cookie(const struct web_req *q, const char *name, char *buf, size_t cap);
/* Add an answer header (Set-Cookie, Location). */
void	 web_header(struct web_req *q, const char *name, const char *value);
/* Answer 303 See Other to a local path (never an outside address). */
void	 web_redirect(struct web_req *q, const char *path);
/* Answer with status and a plain GOV.UK page saying why (escaped). */
void	 web_error_page(struct web_req *q, int status, const char *heading,
	    const char *text);

/* ---- the route table (route.c) ----------------------------------------------------------- */

/* What a route needs before its handler runs. */
enum {
	ROUTE_PUBLIC	= 1 << 0,	/* no session needed (sign-in, assets) */
	ROUTE_PERSONAL	= 1 << 1,	/* shows personal data: a consultation
					 * entry in the audit log */
	ROUTE_PREFIX	= 1 << 2	/* path is a prefix ("/records/") */
};

struct web_route {
	int		 method;	/* enum web_method */
	const char	*path;
	const char	*op;		/* the operation the role policy checks, or NULL */
	int		 flags;
	/* Build the answer in q.  For a route with op, the register is in a write
	 * transaction, acting as the signed-in user for op (reg_act_as); the handler reads,
	 * notes what it showed (reg_audit_record/subject) and returns ASB_OK to commit (the
	 * consultation entry of a ROUTE_PERSONAL route is written for it), or an error to
	 * abort, after rendering the refusal itself. */
	int		(*run)(struct web_req *q);
};

/* The route for method and path, or NULL (*path_known set when another method has it). */
const struct web_route *web_route_find(int method, const char *path, int *path_known);
/* Run the request through its route: session, CSRF, role, transaction, audit. */
void	 web_dispatch(struct web_req *q);

/* ---- sessions and form tokens (session.c) ----------------------------------------------- */

#define WEB_SESSION_COOKIE	"__Host-asb-session"
#define WEB_LOGIN_COOKIE	"__Host-asb-login"	/* the sign-in form's token */

/* Load the session of the request's cookie inside the open transaction: 1 when signed in. */
int	 web_session_load(struct web_req *q, struct asb_errbuf *eb);
/* The form token every POST must carry: the session's, or the sign-in form's cookie. */
int	 web_csrf_ok(struct web_req *q);
/* Set the session cookie (token) or clear it (NULL). */
void	 web_session_cookie(struct web_req *q, const char *token);

/* ---- pages (page_*.c), named in the route table ---------------------------------------- */

int	 page_login_get(struct web_req *q);
int	 page_login_post(struct web_req *q);
int	 page_logout_post(struct web_req *q);
int	 page_home(struct web_req *q);
int	 page_find(struct web_req *q);
int	 page_subject(struct web_req *q);
int	 page_record(struct web_req *q);
int	 page_record_new(struct web_req *q);
int	 page_record_post(struct web_req *q);
int	 page_event_post(struct web_req *q);
int	 page_due(struct web_req *q);
int	 page_repeat(struct web_req *q);
int	 page_audit(struct web_req *q);
int	 page_users(struct web_req *q);
int	 page_asset(struct web_req *q);

/* ---- assets (assets.c) ------------------------------------------------------------------ */

/* Serve path (under /assets/ or the stylesheet) from the assets directory. */
int	 web_asset(struct web_req *q, const char *path);

#endif

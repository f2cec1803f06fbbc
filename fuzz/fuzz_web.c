/* fuzz_web: what the web application reads from a request before any page runs: a query or
 * form (evhttp's decoder, then form_text and form_date's GOV.UK date parts), a Cookie header
 * (web_cookie), and the escaping of whatever came in (web_esc_buf, which must never cut an
 * entity or leave a raw '<', '>', '"' or '\'' behind).  The input is "QUERY\nCOOKIE". */
#include <sys/queue.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "form.h"
#include "fuzz.h"
#include "page.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), *nl = strchr(s, '\n'), buf[64], esc[256], *p;
	struct evkeyvalq kv;
	struct web_req q;
	const char *why;

	memset(&q, 0, sizeof(q));
	TAILQ_INIT(&kv);
	if (nl != NULL)
		*nl = '\0';
	q.method = WEB_GET;
	if (evhttp_parse_query_str(s, &kv) == 0) {
		q.query = &kv;
		(void)form_text(&q, "q", buf, sizeof(buf));
		(void)form_date(&q, "issued", buf, sizeof(buf), &why);
		(void)form_date(&q, "issued", buf, 8, &why);
	}
	evhttp_clear_headers(&kv);
	if (nl != NULL && (q.req = evhttp_request_new(NULL, NULL)) != NULL) {
		evhttp_add_header(evhttp_request_get_input_headers(q.req), "Cookie", nl + 1);
		(void)web_cookie(&q, WEB_SESSION_COOKIE, buf, sizeof(buf));
		evhttp_request_free(q.req);
	}
	web_esc_buf(s, esc, sizeof(esc));
	for (p = esc; *p != '\0'; p++)
		if (*p == '<' || *p == '>' || *p == '"' || *p == '\'')
			abort();	/* escaping let markup through */
	if ((p = strrchr(esc, '&')) != NULL && strchr(p, ';') == NULL)
		abort();		/* an entity cut in two */
	free(s);
	return 0;
}

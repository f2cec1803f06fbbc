/*
 * cmd_serve.c - 'asbreg serve': the officers' web application, from the asbreg command
 * table (register/asbreg.c).  Parses the options into struct web_opts and runs web_serve;
 * the pages, sessions and policy are libweb's and libregister's.
 */
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "asbreg.h"
#include "num.h"
#include "web.h"

/*
 * The default --assets, found beside the program so that no path of the build tree is
 * compiled in: an installed asbreg (PREFIX/bin) has them in PREFIX/share/asb/govuk, one in
 * the build tree (build/bin) in build/share/govuk.  NULL when neither holds the stylesheet.
 */
static const char *
default_assets(char *buf, size_t cap)
{
	static const char *const rel[] = { "/../share/asb/govuk", "/../share/govuk" };
	char exe[PATH_MAX], css[PATH_MAX + 64], *slash;
	ssize_t n;
	size_t i;

	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0)
		return NULL;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return NULL;
	*slash = '\0';
	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		if (snprintf(buf, cap, "%s%s", exe, rel[i]) >= (int)cap)
			continue;
		snprintf(css, sizeof(css), "%s/govuk-frontend.min.css", buf);
		if (access(css, R_OK) == 0)
			return buf;
	}
	return NULL;
}

static int
set_serve(void *obj, const char *name, const char *val, struct asb_errbuf *eb)
{
	struct web_opts *o = obj;
	int64_t v;
	const char *why;

	if (strcmp(name, "listen") == 0)
		o->listen = val;
	else if (strcmp(name, "cert") == 0)
		o->tls_cert = val;
	else if (strcmp(name, "key") == 0)
		o->tls_key = val;
	else if (strcmp(name, "user") == 0)
		o->user = val;
	else if (strcmp(name, "assets") == 0)
		o->assets = val;
	else if (strcmp(name, "port-file") == 0)
		o->port_file = val;
	else {
		/* the times, in seconds, and the failures before a lock: tests shorten them */
		if (asb_strtonum(val, 1, 30 * 86400, &v, &why) != 0)
			return asb_fail(eb, ASB_EUSAGE, NULL, "--%s: '%s' is %s", name, val, why);
		if (strcmp(name, "idle-timeout") == 0)
			o->policy.idle = v;
		else if (strcmp(name, "session-limit") == 0)
			o->policy.absolute = v;
		else if (strcmp(name, "lock-time") == 0)
			o->policy.lock = v;
		else if (strcmp(name, "max-failures") == 0 && v <= 100)
			o->policy.max_failures = (int)v;
		else
			return asb_fail(eb, ASB_EUSAGE, NULL, "--%s: '%s' is too large", name,
			    val);
	}
	return ASB_OK;
}

int
run_serve(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	static const struct option o[] = { FIELD("listen"), FIELD("cert"), FIELD("key"),
	    FIELD("user"), FIELD("assets"), FIELD("port-file"), FIELD("idle-timeout"),
	    FIELD("session-limit"), FIELD("lock-time"), FIELD("max-failures"),
	    { NULL, 0, NULL, 0 } };
	struct web_opts wo;
	struct asb_errbuf eb;
	char assets[PATH_MAX];
	int err;

	web_opts_defaults(&wo);
	wo.assets = default_assets(assets, sizeof(assets));
	if ((err = options(c, argc, argv, o, set_serve, &wo)) >= 0)
		return err;
	if (optind != argc)
		return usage_error(c, "'%s': serve takes options only", argv[optind]);
	if (wo.listen == NULL || wo.tls_cert == NULL || wo.tls_key == NULL)
		return usage_error(c, "%s", "give --listen HOST:PORT, --cert TLSCERT and --key "
		    "TLSKEY");
	wo.dir = c->dir;
	asb_errbuf_clear(&eb);
	if ((err = web_serve(&wo, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	return 0;
}

/*
 * cmd_serve.c - asbhub serve: the HTTPS collection service (serve.h) over the hub opened
 * with its receipt key (intake.h).
 */
#include <getopt.h>
#include <string.h>

#include "asbhub.h"
#include "intake.h"
#include "serve.h"

int
run_serve(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	struct serve_opts so;
	struct asb_errbuf eb;
	struct hub h;
	struct opts o;
	char cert[4200], key[4200];
	int err;

	if ((err = parse(c, argc, argv, &o)) >= 0)
		return err;
	if (o.listen == NULL || optind != argc)
		return usage_error(c, "give -d DIR --listen HOST:PORT");
	asb_errbuf_clear(&eb);
	if ((err = hub_open(&h, o.dir, &eb)) != ASB_OK)
		return say(c, err, &eb);
	snprintf(cert, sizeof(cert), "%s/tls.crt", o.dir);
	snprintf(key, sizeof(key), "%s/tls.key", o.dir);
	memset(&so, 0, sizeof(so));
	so.listen = o.listen;
	so.port_file = o.port_file;
	so.tls_cert = cert;
	so.tls_key = key;
	so.workers = (int)o.workers;
	so.max_connections = (int)o.max_conns;
	so.max_body = (size_t)o.max_body;
	so.timeout = (int)o.timeout;
	so.user = o.user;
	so.max_unauth = (int)o.adm[0];
	so.max_unauth_addr = (int)o.adm[1];
	so.handshake_ms = (unsigned)o.adm[2] * 1000;
	so.header_ms = (unsigned)o.adm[3] * 1000;
	so.min_rate = (size_t)o.adm[4];
	so.memory_budget = (size_t)o.adm[5];
	so.time_budget_ms = (unsigned)o.adm[6];
	so.grace = (int)o.adm[7];
	err = hub_serve(&h, &so, &eb);
	hub_close(&h);
	return err != ASB_OK ? say(c, err, &eb) : 0;
}

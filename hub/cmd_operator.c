/*
 * cmd_operator.c - asbhub operator add|revoke|list: the TLS client certificates of the
 * people who monitor the service.  An operator's certificate opens GET /v1/metrics and
 * nothing else (no return, no receipt); it is kept in the store with the forces' TLS
 * certificates under HUB_OPERATOR_CODE (store.h), so it is read, and revoked, the same way:
 * on the next connection, without a restart.
 */
#include <getopt.h>
#include <string.h>
#include <time.h>

#include "asbhub.h"
#include "dsig.h"
#include "json.h"
#include "store.h"

struct olist {
	int	 json, n;
};

static void
print_op(const struct hub_cert *c, void *ctx)
{
	struct olist *l = ctx;
	char a[ASB_TIME_BUF], r[ASB_TIME_BUF];

	if (strcmp(c->code, HUB_OPERATOR_CODE) != 0)
		return;
	if (l->json) {
		fputc('{', stdout);
		json_kv_str(stdout, 1, "fingerprint", c->fingerprint);
		json_kv_str(stdout, 0, "not_after", c->not_after);
		json_kv_strn(stdout, 0, "added", c->added ? asb_time_iso(c->added, a,
		    sizeof(a)) : NULL);
		json_kv_strn(stdout, 0, "revoked", c->revoked ?
		    asb_time_iso(c->revoked, r, sizeof(r)) : NULL);
		fputs("}\n", stdout);
	} else {
		if (l->n == 0)
			printf("%-8s %-25s %s\n", "state", "valid until", "sha256");
		printf("%-8s %-25s %s\n", c->revoked ? "revoked" : "active", c->not_after,
		    c->fingerprint);
	}
	l->n++;
}

static int
run_op_list(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of_verb(vc, cmd, "operator");
	struct asb_errbuf eb;
	struct hub_store *st;
	struct olist l;
	struct opts o;
	int err;

	if ((err = parse(c, argc, argv, &o)) >= 0)
		return err;
	if (optind != argc)
		return usage_error(c, "no arguments");
	asb_errbuf_clear(&eb);
	if ((err = hub_store_open(o.dir, 0, &st, &eb)) != ASB_OK)
		return say(c, err, &eb);
	l.json = o.json;
	l.n = 0;
	err = hub_tls_each(st, print_op, &l, &eb);
	hub_store_close(st);
	if (err == ASB_OK && l.n == 0 && !o.json)
		printf("no operator certificates (asbhub operator add --cert FILE)\n");
	return err != ASB_OK ? say(c, err, &eb) : 0;
}

static int
run_op_change(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of_verb(vc, cmd, "operator");
	struct dsig_signer who;
	struct asb_errbuf eb;
	struct hub_store *st;
	struct hub_cert rec;
	struct opts o;
	char ca[4200];
	int err, add = strcmp(cmd->name, "add") == 0;

	if ((err = parse(c, argc, argv, &o)) >= 0)
		return err;
	if (optind != argc || o.cert == NULL)
		return usage_error(c, "give --cert FILE and no other argument");
	asb_errbuf_clear(&eb);
	if ((err = hub_store_open(o.dir, 0, &st, &eb)) != ASB_OK)
		return say(c, err, &eb);
	snprintf(ca, sizeof(ca), "%s/ca.crt", o.dir);
	/* what is revoked need only be a certificate; what is added must be fit to connect */
	err = dsig_cert_check_use(o.cert, ca, NULL, DSIG_USE_TLS_CLIENT, &who, &eb);
	if (err != ASB_OK && add) {
		hub_store_close(st);
		return say(c, err, &eb);
	}
	if (err != ASB_OK && (err = dsig_cert_info(o.cert, &who, &eb)) != ASB_OK) {
		hub_store_close(st);
		return say(c, err, &eb);
	}
	memset(&rec, 0, sizeof(rec));
	snprintf(rec.code, sizeof(rec.code), "%s", HUB_OPERATOR_CODE);
	snprintf(rec.fingerprint, sizeof(rec.fingerprint), "%s", who.fingerprint);
	snprintf(rec.not_after, sizeof(rec.not_after), "%s", who.not_after);
	rec.added = (asb_time)time(NULL);
	err = add ? hub_tls_add(st, &rec, &eb) : hub_tls_revoke(st, &rec, rec.added, &eb);
	hub_store_close(st);
	if (err != ASB_OK)
		return say(c, err, &eb);
	if (add)
		printf("registered operator TLS certificate sha256 %s (valid until %s): it "
		    "may read GET /v1/metrics from the next connection on\n", who.fingerprint,
		    who.not_after);
	else
		printf("revoked operator TLS certificate sha256 %s: its connections are "
		    "refused from the next one on\n", who.fingerprint);
	return 0;
}

#define OP_DIR_OPT \
	"  -d, --dir DIR        the hub directory (default $ASBHUB_DIR or ./var/hub)\n"

static const struct cmd op_verbs[] = {
	{ "add", "let an operator's TLS client certificate read /v1/metrics",
	    "add --cert CERT [-d DIR]",
	    "The certificate (PEM) must chain to the hub's CA (DIR/ca.crt) directly, be\n"
	    "end-entity and have extendedKeyUsage clientAuth; its CN may be anything (a\n"
	    "person's or a monitoring system's name).  It is registered by its SHA-256: it may\n"
	    "read GET /v1/metrics and /v1/health, and nothing else.\n" OP_DIR_OPT
	    "  --cert FILE          the operator's TLS client certificate\n"
	    "Exit: 0 registered; 1 not from the CA or not fit for TLS (R-SIG-004, R-TLS-001);\n"
	    "2 usage or not a certificate; 3 no hub; 4 registered already.\n",
	    NULL, run_op_change },
	{ "revoke", "refuse an operator's certificate from its next connection on",
	    "revoke --cert CERT [-d DIR]",
	    "Revokes an operator's certificate (one never registered is recorded as revoked,\n"
	    "and refused all the same).  Takes effect on the service's next connection,\n"
	    "without a restart.\n" OP_DIR_OPT
	    "  --cert FILE          the certificate to revoke\n"
	    "Exit: 0 revoked; 2 usage or not a certificate; 3 no hub; 4 revoked already.\n",
	    NULL, run_op_change },
	{ "list", "every operator certificate", "list [-d DIR] [--json]",
	    "Every operator certificate: active or revoked, valid until, SHA-256.\n" OP_DIR_OPT
	    "  --json               one JSON object a line\n"
	    "Exit: 0 ok; 3 no hub; 5 the store cannot be read.\n",
	    NULL, run_op_list },
};

static const struct cmd_prog op_prog = {
	"asbhub operator", ASBHUB_VERSION,
	"usage: asbhub operator add|revoke|list [ARGS]",
	NULL,
	"'man asbhub' for all.\n",
	op_verbs, sizeof(op_verbs) / sizeof(op_verbs[0])
};

int
run_operator(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	const struct cmd_prog *outer = c->prog;
	int rc;

	c->prog = &op_prog;
	rc = cmd_dispatch(&op_prog, c, argc, argv, stdout, stderr);
	c->prog = outer;
	return rc;
}

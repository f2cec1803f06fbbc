/*
 * cmd_init.c - asbhub init and asbhub force add|revoke|list: a hub made, and the forces'
 * return-signing and TLS client certificates it trusts.  What is checked is the library's (admin.h).
 */
#include <getopt.h>
#include <string.h>
#include <time.h>

#include "admin.h"
#include "asbhub.h"
#include "codes.h"
#include "json.h"
#include "store.h"

int
run_init(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	struct hub_create_opts ho;
	struct asb_errbuf eb;
	struct opts o;
	int err;

	if ((err = parse(c, argc, argv, &o)) >= 0)
		return err;
	if (o.ca == NULL || o.cert == NULL || o.key == NULL || o.sign_cert == NULL ||
	    o.sign_key == NULL || optind != argc)
		return usage_error(c, "give -d DIR --ca --cert --key --sign-cert --sign-key");
	memset(&ho, 0, sizeof(ho));
	ho.dir = o.dir;
	ho.ca = o.ca;
	ho.tls_cert = o.cert;
	ho.tls_key = o.key;
	ho.sign_cert = o.sign_cert;
	ho.sign_key = o.sign_key;
	asb_errbuf_clear(&eb);
	if ((err = hub_create(&ho, &eb)) != ASB_OK)
		return say(c, err, &eb);
	printf("hub ready in %s: register each force's signing certificate with "
	    "'asbhub force add CODE --cert FILE'\n", o.dir);
	return 0;
}

/* ---- force: a second table, of verbs --------------------------------------------------- */

struct flist {
	int	 json, n, tls;
};

static void
print_cert(const struct hub_cert *c, void *ctx)
{
	struct flist *l = ctx;
	char a[ASB_TIME_BUF], r[ASB_TIME_BUF];
	int i = sch_code_index(SCH_LIST_FORCES, c->code);

	if (strcmp(c->code, HUB_OPERATOR_CODE) == 0)	/* asbhub operator list */
		return;
	if (l->json) {
		/* signing certificates as before; a TLS one says so ("use") */
		fputc('{', stdout);
		json_kv_str(stdout, 1, "force", c->code);
		json_kv_strn(stdout, 0, "name", i >= 0 ?
		    sch_code_field(SCH_LIST_FORCES, (unsigned)i, 1) : NULL);
		if (l->tls)
			json_kv_str(stdout, 0, "use", "tls");
		json_kv_str(stdout, 0, "fingerprint", c->fingerprint);
		json_kv_str(stdout, 0, "not_after", c->not_after);
		json_kv_strn(stdout, 0, "added", c->added ? asb_time_iso(c->added, a,
		    sizeof(a)) : NULL);
		json_kv_strn(stdout, 0, "revoked", c->revoked ?
		    asb_time_iso(c->revoked, r, sizeof(r)) : NULL);
		fputs("}\n", stdout);
	} else {
		if (l->n == 0)
			printf("%s%-10s %-8s %-25s %s\n", l->tls ? "TLS client "
			    "certificates:\n" : "", "force", "state", "valid until",
			    "sha256");
		printf("%-10s %-8s %-25s %s\n", c->code, c->revoked ? "revoked" :
		    "active", c->not_after, c->fingerprint);
	}
	l->n++;
}

static int
run_force_list(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of_verb(vc, cmd, "force");
	struct asb_errbuf eb;
	struct hub_store *st;
	struct flist l;
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
	l.tls = 0;
	err = hub_cert_each(st, print_cert, &l, &eb);
	if (err == ASB_OK) {
		l.tls = 1;
		l.n = 0;
		err = hub_tls_each(st, print_cert, &l, &eb);
	}
	hub_store_close(st);
	return err != ASB_OK ? say(c, err, &eb) : 0;
}

/* add and revoke: CODE --cert FILE and/or --tls-cert FILE */
static int
run_force_change(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of_verb(vc, cmd, "force");
	struct dsig_signer who;
	struct asb_errbuf eb;
	struct opts o;
	const char *code;
	unsigned roles;
	int err, add = strcmp(cmd->name, "add") == 0, i;

	if ((err = parse(c, argc, argv, &o)) >= 0)
		return err;
	if (optind + 1 != argc || (o.cert == NULL && o.tls_cert == NULL))
		return usage_error(c, "give CODE and --cert FILE or --tls-cert FILE");
	code = argv[optind];
	/* --cert first, then --tls-cert; the first failure stops */
	for (i = 0; i < 2; i++) {
		const char *file = i == 0 ? o.cert : o.tls_cert;
		asb_time now = (asb_time)time(NULL);

		if (file == NULL)
			continue;
		asb_errbuf_clear(&eb);
		roles = 0;
		if (add && i == 0)
			err = hub_force_add(o.dir, code, file, now, &who, &eb);
		else if (add)
			err = hub_force_add_tls(o.dir, code, file, now, &who, &eb);
		else
			err = hub_force_revoke(o.dir, code, file, i == 0 ? HUB_ROLE_SIGN |
			    HUB_ROLE_TLS : HUB_ROLE_TLS, now, &who, &roles, &eb);
		if (err != ASB_OK)
			return say(c, err, &eb);
		if (add)
			printf("registered %s %s certificate sha256 %s (valid until %s)\n",
			    code, i == 0 ? "signing" : "TLS client", who.fingerprint,
			    who.not_after);
		if (!add && (roles & HUB_ROLE_SIGN))
			printf("revoked %s signing certificate sha256 %s: returns it signs "
			    "are refused from now on\n", code, who.fingerprint);
		if (!add && (roles & HUB_ROLE_TLS))
			printf("revoked %s TLS client certificate sha256 %s: its connections "
			    "are refused from the next one on\n", code, who.fingerprint);
	}
	return 0;
}

#define FORCE_DIR_OPT \
	"  -d, --dir DIR        the hub directory (default $ASBHUB_DIR or ./var/hub)\n"

static const struct cmd force_verbs[] = {
	{ "add", "register a force's return-signing and TLS client certificates",
	    "add CODE [--cert FORCE-SIGNING-CERT] [--tls-cert FORCE-TLS-CERT] [-d DIR]",
	    "Each certificate (PEM) must chain to the hub's CA (DIR/ca.crt), name CODE, the\n"
	    "force's ONS code ('asbreg codes forces'), as its one CN, and be end-entity (not\n"
	    "CA:TRUE).  A force may have several of each at once (rotation).  Once a force has a\n"
	    "TLS certificate registered, it may connect with those alone; a force with none\n"
	    "registered connects with any client certificate the CA issued in its name (the\n"
	    "service logs a warning each time).\n" FORCE_DIR_OPT
	    "  --cert FILE          the force's signing certificate (keyUsage digitalSignature)\n"
	    "  --tls-cert FILE      the force's TLS client certificate (extendedKeyUsage\n"
	    "                       clientAuth)\n"
	    "Exit: 0 registered; 1 another force's CN, not from the CA, or not fit for its use\n"
	    "(R-SIG-006, R-SIG-004, R-TLS-001); 2 usage, an unknown code or not a certificate;\n"
	    "3 no hub; 4 registered already.\n",
	    NULL, run_force_change },
	{ "revoke", "refuse a certificate's returns and connections, from now on",
	    "revoke CODE --cert CERT | --tls-cert CERT [-d DIR]",
	    "Revokes a certificate of force CODE.  --cert: a registered signing certificate, so\n"
	    "every return it signs is refused from now on (403, R-SIG-005; what it signed before\n"
	    "stays); and, when the certificate has extendedKeyUsage clientAuth, as a TLS client\n"
	    "certificate too.  --tls-cert: as a TLS client certificate only.  A revoked TLS\n"
	    "certificate, registered or not, is refused from the service's next connection on,\n"
	    "without a restart.\n" FORCE_DIR_OPT
	    "  --cert FILE          the certificate to revoke\n"
	    "  --tls-cert FILE      the TLS client certificate to revoke\n"
	    "Exit: 0 revoked; 1 a TLS certificate naming another force (R-SIG-006); 2 usage or\n"
	    "not a certificate; 3 no hub, or no such certificate of that force; 4 revoked\n"
	    "already.\n",
	    NULL, run_force_change },
	{ "list", "every registered certificate", "list [-d DIR] [--json]",
	    "Every registered signing certificate: force, active or revoked, valid until,\n"
	    "SHA-256; then the TLS client certificates registered or revoked (in JSON with\n"
	    "\"use\":\"tls\"; \"added\" is null for one revoked without being registered).\n"
	    FORCE_DIR_OPT
	    "  --json               one JSON object a line\n"
	    "Exit: 0 ok; 3 no hub; 5 the store cannot be read.\n",
	    NULL, run_force_list },
};

static const struct cmd_prog force_prog = {
	"asbhub force", ASBHUB_VERSION,
	"usage: asbhub force add|revoke|list [ARGS]",
	NULL,
	"'man asbhub' for all.\n",
	force_verbs, sizeof(force_verbs) / sizeof(force_verbs[0])
};

int
run_force(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	const struct cmd_prog *outer = c->prog;
	int rc;

	c->prog = &force_prog;
	rc = cmd_dispatch(&force_prog, c, argc, argv, stdout, stderr);
	c->prog = outer;
	return rc;
}

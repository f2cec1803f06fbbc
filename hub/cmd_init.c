/*
 * cmd_init.c - asbhub init and asbhub force add|revoke|list: a hub made, and the forces'
 * return-signing certificates it trusts.  What is checked is the library's (admin.h).
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
	int	 json, n;
};

static void
print_cert(const struct hub_cert *c, void *ctx)
{
	struct flist *l = ctx;
	char a[ASB_TIME_BUF], r[ASB_TIME_BUF];
	int i = sch_code_index(SCH_LIST_FORCES, c->code);

	if (l->json) {
		fputc('{', stdout);
		json_kv_str(stdout, 1, "force", c->code);
		json_kv_strn(stdout, 0, "name", i >= 0 ?
		    sch_code_field(SCH_LIST_FORCES, (unsigned)i, 1) : NULL);
		json_kv_str(stdout, 0, "fingerprint", c->fingerprint);
		json_kv_str(stdout, 0, "not_after", c->not_after);
		json_kv_str(stdout, 0, "added", asb_time_iso(c->added, a, sizeof(a)));
		json_kv_strn(stdout, 0, "revoked", c->revoked ?
		    asb_time_iso(c->revoked, r, sizeof(r)) : NULL);
		fputs("}\n", stdout);
	} else {
		if (l->n == 0)
			printf("%-10s %-8s %-25s %s\n", "force", "state", "valid until",
			    "sha256");
		printf("%-10s %-8s %-25s %s\n", c->code, c->revoked ? "revoked" :
		    "active", c->not_after, c->fingerprint);
	}
	l->n++;
}

/* The context of a verb of 'force': named "force VERB" in messages. */
static struct ctx *
verb_of(void *vc, const struct cmd *cmd)
{
	struct ctx *c = ctx_of(vc, cmd);

	snprintf(c->name, sizeof(c->name), "force %s", cmd->name);
	return c;
}

static int
run_force_list(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = verb_of(vc, cmd);
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
	err = hub_cert_each(st, print_cert, &l, &eb);
	hub_store_close(st);
	return err != ASB_OK ? say(c, err, &eb) : 0;
}

/* add and revoke: CODE --cert FILE */
static int
run_force_change(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = verb_of(vc, cmd);
	struct dsig_signer who;
	struct asb_errbuf eb;
	struct opts o;
	const char *code;
	int err, add = strcmp(cmd->name, "add") == 0;

	if ((err = parse(c, argc, argv, &o)) >= 0)
		return err;
	if (optind + 1 != argc || o.cert == NULL)
		return usage_error(c, "give CODE and --cert FILE");
	code = argv[optind];
	asb_errbuf_clear(&eb);
	if (add)
		err = hub_force_add(o.dir, code, o.cert, (asb_time)time(NULL), &who, &eb);
	else
		err = hub_force_revoke(o.dir, code, o.cert, (asb_time)time(NULL), &who, &eb);
	if (err != ASB_OK)
		return say(c, err, &eb);
	if (add)
		printf("registered %s signing certificate sha256 %s (valid until %s)\n", code,
		    who.fingerprint, who.not_after);
	else
		printf("revoked %s signing certificate sha256 %s: returns it signs are "
		    "refused from now on\n", code, who.fingerprint);
	return 0;
}

#define FORCE_DIR_OPT \
	"  -d, --dir DIR        the hub directory (default $ASBHUB_DIR or ./var/hub)\n"

static const struct cmd force_verbs[] = {
	{ "add", "register a force's return-signing certificate",
	    "add CODE --cert FORCE-SIGNING-CERT [-d DIR]",
	    "The certificate (PEM) must chain to the hub's CA (DIR/ca.crt) and name CODE, the\n"
	    "force's ONS code ('asbreg codes forces'), as its one CN.  A force may have several\n"
	    "at once (rotation).\n" FORCE_DIR_OPT
	    "  --cert FILE          the force's signing certificate\n"
	    "Exit: 0 registered; 1 another force's CN, or not from the CA (R-SIG-006,\n"
	    "R-SIG-004); 2 usage, an unknown code or not a certificate; 3 no hub; 4 registered\n"
	    "already.\n",
	    NULL, run_force_change },
	{ "revoke", "refuse every return a certificate signs, from now on",
	    "revoke CODE --cert CERT [-d DIR]",
	    "Revokes a registered certificate of force CODE: every return it signs is refused\n"
	    "from now on (403, R-SIG-005); what it signed before stays.\n" FORCE_DIR_OPT
	    "  --cert FILE          the certificate to revoke\n"
	    "Exit: 0 revoked; 2 usage or not a certificate; 3 no hub, or no such certificate\n"
	    "of that force; 4 revoked already.\n",
	    NULL, run_force_change },
	{ "list", "every registered certificate", "list [-d DIR] [--json]",
	    "Every registered certificate: force, active or revoked, valid until, SHA-256.\n"
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

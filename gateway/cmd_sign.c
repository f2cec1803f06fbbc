/*
 * cmd_sign.c - asbgw sign and asbgw verify: the enveloped XML-DSig signature of a return.
 * Signing, the force binding and verification are the return library's (rtn.h, dsig.h).
 */
#include <getopt.h>
#include <string.h>

#include <libxml/tree.h>

#include "asbgw.h"
#include "dsig.h"
#include "json.h"

int
run_sign(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	static const struct option o[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "cert", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	struct ctx *c = ctx_of(vc, cmd);
	const char *key = NULL, *cert = NULL, *out = NULL, *in;
	struct rtn_validate_opts vo;
	struct rtn_validate_result vr;
	struct report rep = { 0, 0 };
	struct dsig_signer who;
	struct dsig_key *k = NULL;
	struct asb_errbuf eb;
	xmlDocPtr doc;
	int ch, err;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":o:", o, NULL)) != -1) {
		switch (ch) {
		case 'k':
			key = optarg;
			break;
		case 'c':
			cert = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			return cmd_help(c->prog, cmd, stdout);
		default:
			return opt_error(c, argc, argv);
		}
	}
	if (optind + 1 != argc || key == NULL || cert == NULL)
		return usage_error(c, "give one FILE, --key K and --cert C");
	in = argv[optind];
	if (out == NULL)
		out = in;
	asb_errbuf_clear(&eb);
	/* the key and the certificate must be a pair: a certificate that is not the key's
	 * would name one signer and sign as another */
	if ((err = dsig_key_load(key, cert, &k, &eb)) != ASB_OK)
		return fail(c, ASB_EUSAGE, &eb);
	who = *dsig_key_signer(k);
	if (who.days_left < 0) {
		dsig_key_free(k);
		fprintf(stderr, "asbgw: sign: %s expired on %s: ask for a new "
		    "signing certificate\n", cert, who.not_after);
		return ASB_EUSAGE;
	}
	if ((err = rtn_parse_file(in, 0, &doc, &eb)) != ASB_OK) {
		dsig_key_free(k);
		return fail(c, err == ASB_ENOTFOUND ? ASB_EIO : err, &eb);
	}
	/* Only a valid return is worth signing: its findings say what to fix first.  Another
	 * force's certificate (R-SIG-006) and a return signed already are refused before. */
	memset(&vo, 0, sizeof(vo));
	vo.finding = on_finding;
	vo.ctx = &rep;
	if ((err = rtn_sign_valid(doc, in, k, &vo, &vr, &eb)) == ASB_OK)
		err = dsig_save(doc, out, &eb);
	xmlFreeDoc(doc);
	dsig_key_free(k);
	if (err == ASB_ERULE && vr.errors > 0) {
		fprintf(stderr, "asbgw: sign: %s is not a valid return (%u errors): "
		    "fix it before signing\n", in, vr.errors);
		return ASB_ERULE;
	}
	if (err != ASB_OK) {
		fprintf(stderr, "asbgw: sign: %s: %s%s%s%s\n", in, eb.msg,
		    eb.rule[0] ? " (" : "", eb.rule, eb.rule[0] ? ")" : "");
		return err;
	}
	printf("signed %s as %s (return %s, %llu records)\n", out, who.cn,
	    vr.return_id, (unsigned long long)vr.records);
	return 0;
}

/* Verify a file's signature and its force binding (rtn_verify); force and rid are the
 * header's. */
static int
verify_file(const char *in, const char *ca, struct dsig_signer *who, char force[16],
    char rid[40], struct asb_errbuf *eb)
{
	struct rtn_header hd;
	xmlDocPtr doc = NULL;
	int err;

	if ((err = rtn_parse_file(in, 0, &doc, eb)) != ASB_OK)
		return err;
	memset(&hd, 0, sizeof(hd));
	err = rtn_verify(doc, ca, &hd, who, eb);
	snprintf(force, 16, "%s", hd.force);
	snprintf(rid, 40, "%s", hd.return_id);
	xmlFreeDoc(doc);
	return err;
}

int
run_verify(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	static const struct option o[] = {
		{ "ca", required_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	struct ctx *c = ctx_of(vc, cmd);
	const char *ca = NULL, *in;
	struct dsig_signer who;
	struct asb_errbuf eb;
	char force[16], rid[40];
	int ch, err, json = 0;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":", o, NULL)) != -1) {
		switch (ch) {
		case 'a':
			ca = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			return cmd_help(c->prog, cmd, stdout);
		default:
			return opt_error(c, argc, argv);
		}
	}
	if (optind + 1 != argc || ca == NULL)
		return usage_error(c, "give one FILE and --ca CA");
	in = argv[optind];
	asb_errbuf_clear(&eb);
	force[0] = rid[0] = '\0';
	memset(&who, 0, sizeof(who));
	if ((err = verify_file(in, ca, &who, force, rid, &eb)) == ASB_ENOTFOUND)
		err = ASB_EIO;
	if (json) {
		fputc('{', stdout);
		json_kv_str(stdout, 1, "file", in);
		json_kv_bool(stdout, 0, "valid", err == ASB_OK);
		json_kv_strn(stdout, 0, "rule", eb.rule);
		json_kv_strn(stdout, 0, "message", err ? eb.msg : "");
		json_kv_strn(stdout, 0, "signer", who.cn);
		json_kv_strn(stdout, 0, "fingerprint", who.fingerprint);
		json_kv_strn(stdout, 0, "not_after", who.not_after);
		json_kv_strn(stdout, 0, "force", force);
		json_kv_strn(stdout, 0, "return_id", rid);
		fputs("}\n", stdout);
	}
	if (err != ASB_OK)
		return fail(c, err, &eb);
	if (!json)
		printf("%s: signature valid: return %s signed by force %s "
		    "(certificate sha256 %s, valid until %s)\n", in, rid, who.cn,
		    who.fingerprint, who.not_after);
	return 0;
}

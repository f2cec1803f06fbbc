/*
 * cmd_send.c - asbgw submit, send, outbox and receipt: the outbox (outbox.h) and the
 * delivery to the hub (client.h).  What a return must be before it is queued is
 * gw_submission_load's (submit.h); what a receipt must be, receipt_verify's (receipt.h).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "asbgw.h"
#include "json.h"
#include "outbox.h"
#include "receipt.h"
#include "submit.h"

/* Signed and its next try still to come (after a failed send): waiting, not due. */
static int
waiting(const struct ob_entry *e, asb_time now)
{
	return strcmp(e->state, "signed") == 0 && e->next_try > now;
}

static const char *
state_label(const struct ob_entry *e, asb_time now, char *buf, size_t cap)
{
	char t[ASB_TIME_BUF];

	if (waiting(e, now))
		snprintf(buf, cap, "waiting (next try %s)", asb_time_iso(e->next_try, t,
		    sizeof(t)));
	else
		snprintf(buf, cap, "%s%s%s%s", e->state, e->outcome[0] ? " (" : "",
		    e->outcome, e->outcome[0] ? ")" : "");
	return buf;
}

static void
entry_json(const struct ob_entry *e, asb_time now)
{
	char a[ASB_TIME_BUF], b[ASB_TIME_BUF], c[ASB_TIME_BUF], d[ASB_TIME_BUF];

	json_kv_str(stdout, 1, "return_id", e->id);
	json_kv_str(stdout, 0, "force", e->force);
	json_kv_str(stdout, 0, "period", e->period);
	json_kv_bool(stdout, 0, "test", e->test);
	json_kv_str(stdout, 0, "state", e->state);
	json_kv_strn(stdout, 0, "outcome", e->outcome);
	json_kv_int(stdout, 0, "attempts", e->attempts);
	json_kv_str(stdout, 0, "added", asb_time_iso(e->added, a, sizeof(a)));
	json_kv_strn(stdout, 0, "last_try", e->last_try ?
	    asb_time_iso(e->last_try, b, sizeof(b)) : NULL);
	json_kv_strn(stdout, 0, "next_try", strcmp(e->state, "signed") == 0 &&
	    e->next_try ? asb_time_iso(e->next_try, c, sizeof(c)) : NULL);
	json_kv_strn(stdout, 0, "done", e->done ? asb_time_iso(e->done, d, sizeof(d)) :
	    NULL);
	json_kv_int(stdout, 0, "last_status", e->last_status);
	json_kv_strn(stdout, 0, "last_error", e->last_error);
	json_kv_str(stdout, 0, "sha256", e->sha256);
	json_kv_int(stdout, 0, "bytes", (int64_t)e->bytes);
	/* last: added after tools read the members before it side by side */
	json_kv_bool(stdout, 0, "waiting", waiting(e, now));
}

/* Findings of a receipt, written as they are read: straight to stdout for JSON, to a buffer
 * for text (printed under the receipt's header, which is known only once it is read). */
struct fprint {
	FILE	*out;
	int	 json, n;
};

static void
print_finding(const struct rtn_finding *f, const char *action, void *ctx)
{
	struct fprint *p = ctx;

	if (p->json) {
		fputs(p->n++ ? ",{" : "{", p->out);
		json_kv_str(p->out, 1, "rule", f->rule);
		json_kv_str(p->out, 0, "severity", f->warning ? "warning" : "error");
		json_kv_str(p->out, 0, "action", action);
		json_kv_int(p->out, 0, "line", f->line);
		json_kv_strn(p->out, 0, "record", f->record);
		json_kv_str(p->out, 0, "message", f->msg);
		fputc('}', p->out);
		return;
	}
	p->n++;
	fprintf(p->out, "  %-7s %-10s %-9s line %ld%s%s: %s\n", f->warning ? "warning" :
	    "error", f->rule, action, f->line, f->record[0] ? " record " : "", f->record,
	    f->msg);
}

/*
 * The findings of the receipt the outbox kept for e, as receipt_verify reads them (the
 * receipt verified again: it is the only reader): the warnings of an accepted return as
 * much as the errors of a rejected one.  Nothing for a return not decided, or refused whole
 * (no receipt: 'asbgw receipt ID' shows the hub's refusal).  A receipt that cannot be read
 * again is said on stderr.
 */
static void
entry_findings(const struct ctx *c, struct outbox *ob, const struct gw_tls *t,
    const struct ob_entry *e, struct fprint *fp)
{
	struct ob_entry kept;
	struct receipt r;
	struct asb_errbuf eb;
	char *answer = NULL;
	size_t alen = 0;

	if ((strcmp(e->state, "acknowledged") != 0 && strcmp(e->state, "rejected") != 0) ||
	    strcmp(e->outcome, "refused") == 0)
		return;
	if (ob_get(ob, e->id, &kept, NULL, NULL, &answer, &alen) != ASB_OK || answer == NULL) {
		free(answer);
		return;
	}
	asb_errbuf_clear(&eb);
	if (receipt_verify(answer, alen, t->ca, t->receipt_signer, &r, print_finding, fp,
	    &eb) != ASB_OK)
		fprintf(stderr, "asbgw: %s: cannot show the findings of the receipt for %s: "
		    "%s\n", c->name, e->id, eb.msg);
	free(answer);
}

/* An entry after a send: its line (or JSON object) and the receipt's findings. */
static void
report_entry(const struct ctx *c, struct outbox *ob, const struct gw_tls *t,
    const struct ob_entry *e, int json)
{
	struct fprint fp = { stdout, json, 0 };
	char buf[80];

	if (json) {
		fputc('{', stdout);
		entry_json(e, c->now);
		fputs(",\"findings\":[", stdout);
		entry_findings(c, ob, t, e, &fp);
		fputs("]}\n", stdout);
		return;
	}
	printf("%s %s %s: %s%s", e->id, e->force, e->period, state_label(e, c->now, buf,
	    sizeof(buf)), e->test ? " TEST" : "");
	if (e->last_error[0])
		printf(" - %s", e->last_error);
	putchar('\n');
	entry_findings(c, ob, t, e, &fp);
}

/* A force that pins no receipt certificate trusts any of the CA's named asbhub-receipts:
 * said on every delivery, with what to do (docs/protocol.md, "Pinning the receipt key"). */
static void
pin_warning(const struct ctx *c, const struct gw_tls *t)
{
	if (t->receipt_cert == NULL && t->receipt_fingerprint == NULL)
		fprintf(stderr, "asbgw: %s: warning: no receipt-fingerprint or receipt-cert "
		    "is set: a receipt is trusted by its CA and CN alone; pin the hub's "
		    "receipt certificate ('asbgw receipt ID' shows its fingerprint)\n",
		    c->name);
}

/* Exit code for an entry after a send: 0 acknowledged and accepted, 1 rejected, 5 queued. */
static int
entry_exit(const struct ob_entry *e)
{
	if (strcmp(e->state, "acknowledged") == 0)
		return 0;
	if (strcmp(e->state, "rejected") == 0)
		return ASB_ERULE;
	return ASB_EIO;
}


int
run_submit(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	struct settings st;
	struct gw_submit_opts so;
	struct gw_submission sub;
	struct gw_tls t;
	struct asb_errbuf eb;
	struct ob_entry e;
	struct outbox *ob = NULL;
	int err, added;

	if ((err = settings_load(c, argc, argv, &st)) >= 0)
		return err;
	if (optind + 1 != argc)
		return usage_error(c, "give one FILE");
	tls_of(&st, &t);
	pin_warning(c, &t);
	asb_errbuf_clear(&eb);
	memset(&so, 0, sizeof(so));
	so.sign_key = setting(&st, C_SIGN_KEY);
	so.sign_cert = setting(&st, C_SIGN_CERT);
	so.ca = t.ca;
	so.now = c->now;
	/* the outbox is opened only for a return fit to be queued */
	if ((err = gw_submission_load(argv[optind], &so, &sub, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	e = sub.e;
	if ((err = ob_open(setting(&st, C_REGISTER), &ob, &eb)) == ASB_OK)
		err = ob_add(ob, &e, sub.body, sub.len, &added, &eb);
	gw_submission_free(&sub);
	if (err != ASB_OK) {
		ob_close(ob);
		return fail(c, err, &eb);
	}
	if (!added)
		fprintf(stderr, "asbgw: submit: return %s is in the outbox already; "
		    "sending it if it is still due\n", e.id);
	err = gw_send_one(ob, &t, e.id, c->now, &e, &eb);
	report_entry(c, ob, &t, &e, st.json);
	ob_close(ob);
	if (err != ASB_OK && err != ASB_EIO) {
		fprintf(stderr, "asbgw: submit: %s\n", eb.msg);
		return err;
	}
	if (err == ASB_EIO)
		fprintf(stderr, "asbgw: submit: not delivered yet: %s; it is safe in "
		    "the outbox and 'asbgw send' will retry\n", eb.msg);
	return entry_exit(&e);
}

struct idlist {
	char	(*ids)[37];
	size_t	 n, cap;
	asb_time now;
	int	 all;
	struct ob_entry *wait;		/* waiting for their next try: said, not sent */
	size_t	 nwait, capwait;
	int	 nomem;
};

static void
collect_due(const struct ob_entry *e, void *ctx)
{
	struct idlist *l = ctx;
	void *p;

	if (strcmp(e->state, "signed") != 0 && strcmp(e->state, "sending") != 0)
		return;
	/* "sending" means a send was cut short (a crash): due at once */
	if (!l->all && waiting(e, l->now)) {
		if (l->nwait == l->capwait) {
			l->capwait = l->capwait ? 2 * l->capwait : 16;
			if ((p = realloc(l->wait, l->capwait * sizeof(*l->wait))) == NULL) {
				l->nomem = 1;
				return;
			}
			l->wait = p;
		}
		l->wait[l->nwait++] = *e;
		return;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		if ((p = realloc(l->ids, l->cap * sizeof(*l->ids))) == NULL)
			return;
		l->ids = p;
	}
	memcpy(l->ids[l->n++], e->id, 37);
}

int
run_send(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	struct settings st;
	struct gw_tls t;
	struct asb_errbuf eb;
	struct outbox *ob;
	struct ob_entry e;
	struct idlist l;
	char when[ASB_TIME_BUF];
	size_t i;
	int err, worst = 0, rc;

	if ((err = settings_load(c, argc, argv, &st)) >= 0)
		return err;
	if (optind != argc)
		return usage_error(c, "no arguments besides options");
	tls_of(&st, &t);
	asb_errbuf_clear(&eb);
	if ((err = ob_open(setting(&st, C_REGISTER), &ob, &eb)) != ASB_OK) {
		fprintf(stderr, "asbgw: send: %s\n", eb.msg);
		return err;
	}
	memset(&l, 0, sizeof(l));
	l.now = c->now;
	l.all = st.now;
	if ((err = ob_each(ob, collect_due, &l, &eb)) != ASB_OK) {
		ob_close(ob);
		fprintf(stderr, "asbgw: send: %s\n", eb.msg);
		return err;
	}
	if (l.n > 0)
		pin_warning(c, &t);
	for (i = 0; i < l.n; i++) {
		asb_errbuf_clear(&eb);
		rc = gw_send_one(ob, &t, l.ids[i], c->now, &e, &eb);
		report_entry(c, ob, &t, &e, st.json);
		if (rc == ASB_EUSAGE) {
			fprintf(stderr, "asbgw: send: %s\n", eb.msg);
			worst = ASB_EUSAGE;
			break;
		}
		rc = entry_exit(&e);
		if (rc > worst)
			worst = rc;
	}
	/* not due is not "nothing": a return waiting for its next try is said, with when */
	for (i = 0; i < l.nwait; i++) {
		const struct ob_entry *w = &l.wait[i];

		asb_time_iso(w->next_try, when, sizeof(when));
		if (st.json) {
			fputc('{', stdout);
			json_kv_str(stdout, 1, "waiting", w->id);
			json_kv_str(stdout, 0, "force", w->force);
			json_kv_str(stdout, 0, "period", w->period);
			json_kv_bool(stdout, 0, "test", w->test);
			json_kv_str(stdout, 0, "next_try", when);
			json_kv_int(stdout, 0, "attempts", w->attempts);
			json_kv_strn(stdout, 0, "last_error", w->last_error);
			fputs("}\n", stdout);
		} else
			printf("waiting: %s next try at %s%s%s\n", w->id, when,
			    w->last_error[0] ? " - " : "", w->last_error);
	}
	if (l.nomem)
		fprintf(stderr, "asbgw: send: out of memory: not every queued return was "
		    "listed\n");
	if (l.n == 0 && l.nwait == 0 && !st.json)
		printf("nothing due in the outbox\n");
	free(l.wait);
	free(l.ids);
	ob_close(ob);
	return worst;
}

struct listing {
	int		 json;
	asb_time	 now;
};

static void
list_entry(const struct ob_entry *e, void *ctx)
{
	struct listing *ls = ctx;
	char t[ASB_TIME_BUF], buf[80];

	if (ls->json) {
		fputc('{', stdout);
		entry_json(e, ls->now);
		fputs("}\n", stdout);
		return;
	}
	printf("%-36s  %-9s  %-7s%s  %-24s  %3u  %s\n", e->id, e->force, e->period,
	    e->test ? " TEST" : "     ", state_label(e, ls->now, buf, sizeof(buf)),
	    e->attempts,
	    strcmp(e->state, "signed") == 0 && e->next_try ? asb_time_iso(e->next_try, t,
	    sizeof(t)) : e->done ? asb_time_iso(e->done, t, sizeof(t)) : "-");
}

int
run_outbox(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	struct settings st;
	struct asb_errbuf eb;
	struct outbox *ob;
	struct listing ls;
	int err;

	if ((err = settings_load(c, argc, argv, &st)) >= 0)
		return err;
	if (optind != argc)
		return usage_error(c, "no arguments besides options");
	asb_errbuf_clear(&eb);
	if ((err = ob_open(setting(&st, C_REGISTER), &ob, &eb)) != ASB_OK) {
		fprintf(stderr, "asbgw: outbox: %s\n", eb.msg);
		return err;
	}
	if (!st.json)
		printf("%-36s  %-9s  %-12s  %-24s  %3s  %s\n", "return", "force", "period",
		    "state", "try", "next try / done");
	ls.json = st.json;
	ls.now = c->now;
	err = ob_each(ob, list_entry, &ls, &eb);
	if (err == ASB_OK) {
		char user[64];

		say_corrections_due(c, setting(&st, C_REGISTER), ob, acting_user(user,
		    sizeof(user)), stdout, "", NULL, st.json);
	}
	ob_close(ob);
	if (err != ASB_OK)
		fprintf(stderr, "asbgw: outbox: %s\n", eb.msg);
	return err;
}

int
run_receipt(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	struct settings st;
	struct gw_tls t;
	struct asb_errbuf eb;
	struct outbox *ob;
	struct ob_entry e;
	struct receipt r;
	struct fprint fp = { NULL, 0, 0 };
	char *answer = NULL, label[32], *text = NULL;
	size_t alen = 0, tlen = 0;
	long status;
	int err;

	if ((err = settings_load(c, argc, argv, &st)) >= 0)
		return err;
	if (optind + 1 != argc)
		return usage_error(c, "give one RETURN-ID");
	tls_of(&st, &t);
	if (t.ca == NULL) {
		fprintf(stderr, "asbgw: receipt: the CA is needed to verify it (ca in "
		    "the config, or --ca)\n");
		return ASB_EUSAGE;
	}
	asb_errbuf_clear(&eb);
	if (ob_open(setting(&st, C_REGISTER), &ob, &eb) == ASB_OK) {
		if (ob_get(ob, argv[optind], &e, NULL, NULL, &answer, &alen) == ASB_OK &&
		    e.outcome[0] != '\0' && strcmp(e.outcome, "refused") == 0) {
			/* refused whole: there is no receipt, only the hub's refusal */
			ob_close(ob);
			if (st.json)
				fwrite(answer, 1, alen, stdout);
			else
				printf("%s was refused by the hub (HTTP %d): %s\n%s",
				    e.id, e.last_status, e.last_error,
				    answer ? answer : "");
			free(answer);
			return ASB_ERULE;
		}
		ob_close(ob);
	}
	if (answer == NULL) {
		/* not in the outbox: ask the hub, which answers only the sending force */
		char path[96];

		snprintf(path, sizeof(path), "/v1/returns/%.40s", argv[optind]);
		if ((err = gw_http(&t, path, NULL, 0, &status, &answer, &alen, NULL, &eb)) !=
		    ASB_OK) {
			fprintf(stderr, "asbgw: receipt: no receipt for %s here, and the "
			    "hub could not be asked: %s\n", argv[optind], eb.msg);
			return err;
		}
		if (status != 200) {
			free(answer);
			fprintf(stderr, "asbgw: receipt: no receipt for %s (the hub "
			    "answered %ld)\n", argv[optind], status);
			return ASB_ENOTFOUND;
		}
	}
	fp.json = st.json;
	fp.out = st.json ? stdout : open_memstream(&text, &tlen);
	if (fp.out == NULL) {
		free(answer);
		fprintf(stderr, "asbgw: receipt: out of memory\n");
		return ASB_EIO;
	}
	if (st.json)
		fputs("{\"findings\":[", stdout);
	err = receipt_verify(answer, alen, t.ca, t.receipt_signer, &r, print_finding, &fp,
	    &eb);
	if (err == ASB_OK)
		err = gw_pin_check(&t, r.signer, &eb);
	if (!st.json)
		fclose(fp.out);
	if (err != ASB_OK) {
		if (st.json)
			fputs("]}\n", stdout);
		free(text);
		free(answer);
		fprintf(stderr, "asbgw: receipt: the receipt for %s does not verify: "
		    "%s (%s)\n", argv[optind], eb.msg, eb.rule);
		return err;
	}
	if (st.json) {
		fputs("],", stdout);
		json_kv_bool(stdout, 1, "verified", 1);
		json_kv_str(stdout, 0, "return_id", r.return_id);
		json_kv_str(stdout, 0, "force", r.force);
		json_kv_str(stdout, 0, "period", r.period);
		json_kv_bool(stdout, 0, "test", r.test);
		json_kv_str(stdout, 0, "state", r.state);
		json_kv_str(stdout, 0, "state_label", receipt_state_label(&r, label,
		    sizeof(label)));
		json_kv_str(stdout, 0, "sha256", r.sha256);
		json_kv_int(stdout, 0, "bytes", (int64_t)r.bytes);
		json_kv_str(stdout, 0, "received", r.received);
		json_kv_str(stdout, 0, "decided", r.decided);
		json_kv_strn(stdout, 0, "supersedes", r.supersedes);
		json_kv_int(stdout, 0, "records", (int64_t)r.records);
		json_kv_int(stdout, 0, "errors", r.errors);
		json_kv_int(stdout, 0, "warnings", r.warnings);
		json_kv_str(stdout, 0, "signer", r.signer);
		fputs("}\n", stdout);
	} else {
		printf("receipt for return %s (signature verified)\n", r.return_id);
		printf("  state     %s\n", receipt_state_label(&r, label, sizeof(label)));
		printf("  force     %s, period %s%s\n", r.force, r.period,
		    r.test ? ", TEST return: never counted" : "");
		printf("  received  %s (the last byte)\n  decided   %s\n", r.received,
		    r.decided);
		printf("  content   %llu bytes, sha256 %s\n", (unsigned long long)r.bytes,
		    r.sha256);
		printf("  records   %llu, %u errors, %u warnings\n",
		    (unsigned long long)r.records, r.errors, r.warnings);
		if (r.supersedes[0])
			printf("  supersedes %s\n", r.supersedes);
		printf("  signed by sha256 %s%s\n", r.signer, t.receipt_cert == NULL &&
		    t.receipt_fingerprint == NULL ? " (not pinned)" : " (pinned)");
		fwrite(text, 1, tlen, stdout);
	}
	free(text);
	free(answer);
	return strcmp(r.state, "accepted") == 0 ? 0 : ASB_ERULE;
}

/*
 * import.c - bulk load from CSV (a legacy system's export, or a spreadsheet kept by hand).
 *
 * Each row goes through the same checks as 'asbreg add' and 'asbreg event'.  Without a rejects
 * file the import is all or nothing: the caller aborts the transaction on the first bad row.
 * With one, each row runs in a nested transaction, so a refused row leaves nothing behind
 * (not even the subject it would have created) while the good rows are kept.
 */
#include <stdio.h>
#include <string.h>

#include "codes.h"
#include "csv.h"
#include "internal.h"
#include "json.h"

enum { COL_RECORD, COL_SUBJECT, COL_EVENT, COL_LINKS, COL_EVREF, COL_NEW,
	COL_ERROR	/* a rejects file's reason, last: read back, ignored */ };

struct import {
	struct reg		*r;
	const char		*user;
	asb_time		 now;
	int			 events_file;
	size_t			 ncols;
	size_t			 echo;		/* columns a reject echoes: all but COL_ERROR */
	char			 names[ASB_MAX_CSV_FIELDS][40];
	int			 kind[ASB_MAX_CSV_FIELDS];
	struct reg_import_result *res;
};

/* Decide, from the header, which kind of field each column is; unknown columns are refused,
 * since a misspelt column would otherwise drop its data silently. */
static int
header(struct import *im, char **f, size_t n, struct asb_errbuf *eb)
{
	struct reg_record rec;
	struct reg_subject s;
	struct reg_event ev;
	struct reg_term t;
	size_t i, j;
	int has_record = 0, has_kind = 0;

	for (i = 0; i < n; i++) {
		if (strcmp(f[i], "record") == 0)
			has_record = 1;
		if (strcmp(f[i], "kind") == 0)
			has_kind = 1;
	}
	im->events_file = has_record && has_kind;
	im->ncols = im->echo = n;
	for (i = 0; i < n; i++) {
		if (snprintf(im->names[i], sizeof(im->names[i]), "%s", f[i]) >=
		    (int)sizeof(im->names[i]))
			return asb_fail(eb, ASB_ERULE, "R-CSV-002", "line 1: "
			    "column name too long");
		for (j = 0; j < i; j++)
			if (strcmp(im->names[j], f[i]) == 0)
				return asb_fail(eb, ASB_ERULE, "R-CSV-002",
				    "line 1: column %s appears twice", f[i]);
		/* A rejects file, corrected, imports as it is: its last column, the
		 * reason a row was refused, is not data. */
		if (i == n - 1 && i > 0 && strcmp(f[i], "error") == 0) {
			im->kind[i] = COL_ERROR;
			im->echo = i;
			continue;
		}
		memset(&t, 0, sizeof(t));
		memset(&s, 0, sizeof(s));
		reg_record_defaults(&rec);
		reg_event_defaults(&ev);
		/* Probe with an empty value: ENOTFOUND means "not this kind's field". */
		if (im->events_file) {
			if (strcmp(f[i], "record") == 0)
				im->kind[i] = COL_EVREF;
			else if (reg_event_set(&ev, f[i], "", NULL) !=
			    ASB_ENOTFOUND)
				im->kind[i] = COL_EVENT;
			else
				goto unknown;
		} else if (strcmp(f[i], "links") == 0)
			im->kind[i] = COL_LINKS;
		else if (strcmp(f[i], "new") == 0)
			im->kind[i] = COL_NEW;
		else if (strcmp(f[i], "power") != 0 &&
		    reg_record_set(&rec, &t, f[i], "", NULL) != ASB_ENOTFOUND)
			im->kind[i] = COL_RECORD;
		else if (strcmp(f[i], "power") == 0)
			im->kind[i] = COL_RECORD;
		else if (reg_subject_set(&s, f[i], "", NULL) != ASB_ENOTFOUND)
			im->kind[i] = COL_SUBJECT;
		else
			goto unknown;
	}
	return ASB_OK;
unknown:
	return asb_fail(eb, ASB_ERULE, "R-CSV-002", "line 1: unknown column "
	    "'%s' (docs/import.md lists the columns)", f[i]);
}

/* A link is the reference of a record imported earlier, or a record ID. */
static int
resolve(struct reg *r, const char *val, uint64_t *ret, struct asb_errbuf *eb)
{
	if (val[0] == '\0')
		return ASB_OK;
	/* A reference first: an export re-imported elsewhere names rows by reference. */
	if (reg_record_by_ref(r, val, ret, eb) == ASB_OK)
		return ASB_OK;
	if (reg_id_parse(val, 'R', ret) == 0)
		return ASB_OK;
	return asb_fail(eb, ASB_ENOTFOUND, NULL, "'%s' is neither a record ID "
	    "nor the reference of a record already imported", val);
}

static int
row_record(struct import *im, char **f, size_t n, struct asb_errbuf *eb)
{
	struct reg_record rec;
	struct reg_subject s;
	struct reg_term t;
	uint64_t cand[REG_CLOSE_MAX];
	char ids[REG_CLOSE_MAX * (REG_ID_BUF + 2)], id[REG_ID_BUF];
	size_t i, nc, l;
	int err = ASB_OK, new_subject = 0, is_new = 0;

	reg_record_defaults(&rec);
	memset(&s, 0, sizeof(s));
	memset(&t, 0, sizeof(t));
	for (i = 0; i < n && err == ASB_OK; i++) {
		switch (im->kind[i]) {
		case COL_RECORD:
			err = reg_record_set(&rec, &t, im->names[i], f[i], eb);
			break;
		case COL_SUBJECT:
			err = reg_subject_set(&s, im->names[i], f[i], eb);
			break;
		case COL_LINKS:
			err = resolve(im->r, f[i], &rec.link, eb);
			break;
		case COL_NEW:
			if (f[i][0] != '\0' && strcmp(f[i], "yes") != 0 &&
			    strcmp(f[i], "no") != 0)
				err = asb_fail(eb, ASB_EUSAGE, NULL, "new: '%s' is not yes "
				    "or no", f[i]);
			is_new = strcmp(f[i], "yes") == 0;
			break;
		}
	}
	if (err != ASB_OK)
		return err;
	if (rec.power < 0)
		return asb_fail(eb, ASB_EUSAGE, NULL, "no power given");
	if ((err = reg_record_finish(&rec, &t, eb)) != ASB_OK)
		return err;
	if (rec.subject == 0) {
		if (s.kind == 0)
			return asb_fail(eb, ASB_EUSAGE, NULL, "no subject: give "
			    "a subject ID, or a name, address or description");
		/* The same person (normalised name and date of birth, PNC ID, ...) is the
		 * subject already held: rows about one person join up.  Someone close to a
		 * person held is refused as 'person add' refuses them, unless the row says
		 * new=yes. */
		err = reg_subject_match(im->r, &s, &rec.subject, eb);
		if (err == ASB_ENOTFOUND && !is_new) {
			if ((err = reg_subject_close(im->r, &s, cand, REG_CLOSE_MAX, &nc,
			    eb)) != ASB_OK)
				return err;
			if (nc > 0) {
				for (i = 0, l = 0, ids[0] = '\0'; i < nc; i++)
					l += (size_t)snprintf(ids + l, sizeof(ids) - l, "%s%s",
					    i ? ", " : "", reg_subject_id(cand[i], id));
				return asb_fail(eb, ASB_ECONFLICT, NULL, "the subject is "
				    "close to %s (the same date of birth and a similar name, "
				    "or the same name and a date of birth one typo away): if "
				    "this is another person, give the row new=yes", ids);
			}
			err = ASB_ENOTFOUND;
		}
		if (err == ASB_ENOTFOUND) {
			if ((err = reg_subject_insert(im->r, &s, im->now,
			    eb)) != ASB_OK)
				return err;
			rec.subject = s.id;
			new_subject = 1;
		} else if (err != ASB_OK)
			return err;
	}
	if ((err = reg_record_add(im->r, &rec, im->user, im->now, NULL, eb)) !=
	    ASB_OK)
		return err;
	/* The audit entry names what the import stored (the caller writes it). */
	if ((err = reg_audit_record(im->r, rec.id, eb)) != ASB_OK ||
	    (err = reg_audit_subject(im->r, rec.subject, eb)) != ASB_OK)
		return err;
	/* Counted only now: a refused row's subject is rolled back with it. */
	im->res->subjects += new_subject;
	im->res->records++;
	if (im->res->first == 0)
		im->res->first = rec.id;
	im->res->last = rec.id;
	return ASB_OK;
}

static int
row_event(struct import *im, char **f, size_t n, struct asb_errbuf *eb)
{
	struct reg_event ev;
	size_t i;
	int err = ASB_OK;

	reg_event_defaults(&ev);
	for (i = 0; i < n && err == ASB_OK; i++) {
		if (im->kind[i] == COL_EVREF)
			err = resolve(im->r, f[i], &ev.record, eb);
		else if (im->kind[i] != COL_ERROR)
			err = reg_event_set(&ev, im->names[i], f[i], eb);
	}
	if (err != ASB_OK)
		return err;
	if (ev.record == 0 || ev.kind < 0 || ev.date == 0)
		return asb_fail(eb, ASB_EUSAGE, NULL, "an event needs record, "
		    "kind and date");
	if ((err = reg_event_add(im->r, &ev, im->user, im->now, NULL, eb)) !=
	    ASB_OK)
		return err;
	if ((err = reg_audit_record(im->r, ev.record, eb)) != ASB_OK)
		return err;
	im->res->events++;
	if (im->res->first == 0)
		im->res->first = ev.record;
	im->res->last = ev.record;
	return ASB_OK;
}

/* "line N: " before the message, cutting its end if it no longer fits. */
static void
prefix_line(struct asb_errbuf *e, size_t line)
{
	char tmp[ASB_ERRBUF_MSG];
	int k = snprintf(tmp, sizeof(tmp), "line %zu: ", line);
	size_t m = strnlen(e->msg, sizeof(tmp) - (size_t)k - 1);

	memcpy(tmp + k, e->msg, m);
	tmp[(size_t)k + m] = '\0';
	memcpy(e->msg, tmp, (size_t)k + m + 1);
}

static void
write_reject(FILE *out, char **f, size_t n, size_t ncols, const char *why)
{
	size_t i;

	for (i = 0; i < ncols; i++) {
		csv_field(out, i < n ? f[i] : "");
		fputc(',', out);
	}
	csv_field(out, why);
	fputc('\n', out);
}

int
reg_import(struct reg *r, FILE *in, FILE *rejects, const char *user,
    asb_time now, void (*progress)(uint64_t, void *), void *pctx,
    struct reg_import_result *ret, struct asb_errbuf *eb)
{
	struct import im;
	struct csv_reader *cr;
	struct asb_errbuf rowerr;
	char **f, why[ASB_ERRBUF_MSG + 64];
	size_t n, i, line;
	MDB_txn *parent = r->txn, *child;
	uint64_t seq[SEQ_COUNT];
	int seq_loaded[SEQ_COUNT];
	size_t due_mark = 0;
	int err = ASB_OK, got, rc;

	memset(&im, 0, sizeof(im));
	memset(ret, 0, sizeof(*ret));
	im.r = r;
	im.user = user;
	im.now = now;
	im.res = ret;
	if ((cr = csv_reader_new(in)) == NULL)
		return asb_fail(eb, ASB_EIO, NULL, "out of memory");
	/* new records' due dates are put in order, a batch at a time, between rows */
	reg_due_batch_begin(r);
	err = csv_reader_next(cr, &f, &n, eb);
	if (err == ASB_OK && f == NULL)
		err = asb_fail(eb, ASB_ERULE, "R-CSV-002", "the file is empty: "
		    "it needs a header row");
	else if (err == ASB_OK && (err = header(&im, f, n, eb)) == ASB_OK &&
	    rejects != NULL) {
		for (i = 0; i < im.echo; i++) {
			csv_field(rejects, f[i]);
			fputc(',', rejects);
		}
		fputs("error\n", rejects);
	}
	while (err == ASB_OK) {
		asb_errbuf_clear(&rowerr);
		got = csv_reader_next(cr, &f, &n, &rowerr);
		line = csv_reader_line(cr);
		if (got == ASB_OK && f == NULL)
			break;
		if (progress != NULL && (ret->rows & 1023) == 0)
			progress((uint64_t)ftell(in), pctx);
		if (got == ASB_EIO) {
			err = asb_fail(eb, ASB_EIO, NULL, "%s", rowerr.msg);
			break;
		}
		if (got == ASB_OK && n == 1 && f[0][0] == '\0')
			continue;	/* a blank line */
		if (r->due_n >= REG_DUE_BATCH &&
		    (err = reg_due_batch_flush(r, eb)) != ASB_OK)
			break;
		due_mark = r->due_n;
		ret->rows++;
		if (got == ASB_OK && n != im.ncols)
			got = asb_fail(&rowerr, ASB_ERULE, "R-CSV-002", "line "
			    "%zu: %zu fields, the header has %zu", line, n,
			    im.ncols);
		else if (got == ASB_OK) {
			/* A cell an export guarded against formula injection comes
			 * back as it was stored (csv.h), so an export loads into
			 * another register unchanged. */
			for (i = 0; i < n; i++)
				csv_unguard(f[i]);
			if (rejects != NULL) {
				if ((rc = mdb_txn_begin(mdb_txn_env(parent),
				    parent, 0, &child)) != 0) {
					err = reg_lmdb_fail(eb, rc, "import");
					break;
				}
				r->txn = child;
				memcpy(seq, r->seq, sizeof(seq));
				memcpy(seq_loaded, r->seq_loaded,
				    sizeof(seq_loaded));
			}
			got = im.events_file ? row_event(&im, f, n, &rowerr) :
			    row_record(&im, f, n, &rowerr);
			if (rejects != NULL) {
				r->txn = parent;
				if (got != ASB_OK) {
					/* IDs the refused row took are given back,
					 * and the due dates it added. */
					mdb_txn_abort(child);
					r->due_n = due_mark;
					memcpy(r->seq, seq, sizeof(seq));
					memcpy(r->seq_loaded, seq_loaded,
					    sizeof(seq_loaded));
				}
				else if ((rc = mdb_txn_commit(child)) != 0) {
					err = reg_lmdb_fail(eb, rc, "import");
					break;
				}
			}
			if (got != ASB_OK && got != ASB_EIO)
				prefix_line(&rowerr, line);
		}
		if (got == ASB_OK)
			continue;
		if (got == ASB_EIO || rejects == NULL) {
			/* A bad value in a file is the data's fault: exit 1,
			 * whatever the same value on the command line gives;
			 * a duplicate reference stays a conflict. */
			err = asb_fail(eb, got == ASB_EIO ? ASB_EIO :
			    got == ASB_ECONFLICT ? ASB_ECONFLICT : ASB_ERULE,
			    rowerr.rule[0] ? rowerr.rule : "R-CSV-002", "%s",
			    rowerr.msg);
			break;
		}
		if (rowerr.rule[0] != '\0')
			snprintf(why, sizeof(why), "%s (%s)", rowerr.msg,
			    rowerr.rule);
		else
			snprintf(why, sizeof(why), "%s", rowerr.msg);
		/* A malformed row has no fields to echo; its line says where. */
		write_reject(rejects, f, f != NULL ? n : 0, im.echo, why);
		ret->rejected++;
	}
	csv_reader_free(cr);
	if (err == ASB_OK)
		err = reg_due_batch_end(r, eb);
	else
		reg_due_batch_discard(r);	/* the caller aborts */
	return err;
}

/*
 * cmd_io.c - import from CSV and export of everything.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "asbreg.h"
#include "progress.h"
#include "csv.h"
#include "utf8.h"

/*
 * The rejects file holds names and dates of birth: mode 0600 whatever the umask, like every
 * other file the project writes.  It is opened without following a link and only written over
 * when it is a plain file of the caller's own (a link planted where it will be written, or a
 * file of someone else's the caller can write to, would otherwise receive the rows), and only
 * truncated once that is known.  ASB_ECONFLICT for such a file in the way, ASB_EIO otherwise.
 */
static int
open_rejects(const char *path, FILE **ret, struct asb_errbuf *eb)
{
	struct stat st;
	FILE *f;
	int fd, e;

	/* O_NONBLOCK: a FIFO with no reader would otherwise hold the open forever. */
	if ((fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
	    0600)) == -1) {
		e = errno;
		if (e == ELOOP)
			return asb_fail(eb, ASB_ECONFLICT, NULL, "%s: is a symbolic link: "
			    "give the rejects file's own path", path);
		if (e == ENXIO || e == EISDIR)	/* a FIFO, a socket, a directory */
			return asb_fail(eb, ASB_ECONFLICT, NULL, "%s: not a plain file: "
			    "remove it or give another path", path);
		return asb_fail(eb, ASB_EIO, NULL, "%s: cannot create: %s", path,
		    strerror(e));
	}
	if (fstat(fd, &st) == -1) {
		e = errno;
		close(fd);
		return asb_fail(eb, ASB_EIO, NULL, "%s: %s", path, strerror(e));
	}
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || st.st_nlink != 1) {
		close(fd);
		return asb_fail(eb, ASB_ECONFLICT, NULL, "%s: %s: remove it or give "
		    "another path", path, !S_ISREG(st.st_mode) ? "not a plain file" :
		    st.st_uid != geteuid() ? "belongs to another user" :
		    "has other links");
	}
	if (fchmod(fd, 0600) == -1 || ftruncate(fd, 0) == -1 ||
	    fcntl(fd, F_SETFL, 0) == -1 || (f = fdopen(fd, "w")) == NULL) {
		e = errno;
		close(fd);
		return asb_fail(eb, ASB_EIO, NULL, "%s: cannot write: %s", path,
		    strerror(e));
	}
	*ret = f;
	return ASB_OK;
}

static void
import_progress(uint64_t done, void *ctx)
{
	progress_update(ctx, done);
}

struct import_opts {
	const char	*rejects;
	const char	*encoding;
};

static int
set_import(void *obj, const char *name, const char *val, struct asb_errbuf *eb)
{
	struct import_opts *io = obj;

	(void)eb;
	if (strcmp(name, "encoding") == 0)
		io->encoding = val;
	else
		io->rejects = val;
	return ASB_OK;
}

int
run_import(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	static const struct option o[] = { FIELD("rejects"), FIELD("encoding"),
		{ NULL, 0, NULL, 0 } };
	struct import_opts io = { NULL, NULL };
	struct reg_import_result res;
	struct asb_errbuf eb;
	struct progress *pr;
	struct stat st;
	const char *rejects_path;
	FILE *in, *rej = NULL, *raw;
	int err;

	if ((err = options(c, argc, argv, o, set_import, &io)) >= 0)
		return err;
	rejects_path = io.rejects;
	asb_errbuf_clear(&eb);
	if (optind + 1 != argc)
		return usage_error(c, "%s", "give one FILE");
	if ((in = fopen(argv[optind], "r")) == NULL) {
		asb_fail(&eb, ASB_ENOTFOUND, NULL, "%s: cannot open", argv[optind]);
		return fail(c, ASB_ENOTFOUND, &eb);
	}
	/* A file in another encoding, named by the data team, is read as UTF-8 from a
	 * transcoded copy (line for line, so messages name the lines of the original). */
	if (io.encoding != NULL && strcasecmp(io.encoding, "utf-8") != 0 &&
	    strcasecmp(io.encoding, "utf8") != 0) {
		raw = in;
		err = utf8_transcode(raw, io.encoding, &in, &eb);
		fclose(raw);
		if (err != ASB_OK)
			return fail(c, err, &eb);
	}
	if (rejects_path != NULL &&
	    (err = open_rejects(rejects_path, &rej, &eb)) != ASB_OK) {
		fclose(in);
		return fail(c, err, &eb);
	}
	if ((err = open_reg(c, 1, &eb)) != ASB_OK) {
		fclose(in);
		if (rej != NULL)
			fclose(rej);
		return fail(c, err, &eb);
	}
	pr = progress_new("importing", fstat(fileno(in), &st) == 0 ?
	    (uint64_t)st.st_size : 0);
	err = reg_import(c->r, in, rej, c->user, c->now, import_progress, pr,
	    &res, &eb);
	progress_free(pr);
	fclose(in);
	/* The import noted every record and subject it stored (reg_import). */
	if (err == ASB_OK && res.first != 0)
		err = audit(c, REG_AUDIT_COLLECTION, NULL, res.records + res.events, &eb);
	if (rej != NULL && fclose(rej) != 0 && err == ASB_OK)
		err = asb_fail(&eb, ASB_EIO, NULL, "%s: write failed",
		    rejects_path);
	if ((err = finish(c, err, &eb)) != 0)
		return err;
	if (c->json)
		printf("{\"rows\":%" PRIu64 ",\"records\":%" PRIu64 ",\"events\":%"
		    PRIu64 ",\"subjects\":%" PRIu64 ",\"rejected\":%" PRIu64 "}\n",
		    res.rows, res.records, res.events, res.subjects, res.rejected);
	else
		printf("imported %" PRIu64 " records, %" PRIu64 " events and %"
		    PRIu64 " new subjects from %" PRIu64 " rows; %" PRIu64
		    " rejected\n", res.records, res.events, res.subjects,
		    res.rows, res.rejected);
	if (res.rejected > 0) {
		fprintf(stderr, "asbreg: import: %" PRIu64 " rows rejected: see "
		    "%s\n", res.rejected, rejects_path);
		return ASB_ERULE;
	}
	return 0;
}

struct export_ctx {
	struct ctx	*c;
	int		 events;
	uint64_t	 n;
	int		 err;
	struct asb_errbuf *eb;
};

static int
export_event_csv(const struct reg_event *ev, void *ctx)
{
	char id[REG_ID_BUF], b[ASB_TIME_BUF], amount[32] = "";
	struct export_ctx *x = ctx;
	struct reg_record rec;

	if (reg_record_get(x->c->r, ev->record, &rec, x->eb) != ASB_OK)
		return 1;
	if (ev->amount >= 0)
		snprintf(amount, sizeof(amount), "%" PRId64 ".%02" PRId64,
		    ev->amount / 100, ev->amount % 100);
	csv_field(stdout, rec.ref[0] ? rec.ref : reg_record_id(ev->record, id));
	printf(",%s,%s,", sch_event_code(ev->kind), tiso(ev->date, b));
	printf("%s,", tiso(ev->until, b));
	csv_field(stdout, ev->outcome);
	putchar(',');
	csv_field(stdout, ev->note);
	putchar(',');
	csv_field(stdout, ev->by);
	putchar(',');
	csv_field(stdout, ev->rank);
	printf(",%s\n", amount);
	return 0;
}

/* Records as CSV in the import's own columns, so an export loads into another register. */
static int
export_one(const struct reg_view *v, void *ctx)
{
	struct export_ctx *x = ctx;
	const struct reg_record *rec = &v->rec;
	struct reg_subject s;
	struct reg_record link;
	char id[REG_ID_BUF], b[ASB_TIME_BUF], day[16];

	x->n++;
	if (x->c->json) {
		x->err = print_record(x->c, v, stdout, 1, 0, x->eb);
		putchar('\n');
		return x->err != ASB_OK;
	}
	if (x->events) {
		x->err = reg_event_each(x->c->r, rec->id, export_event_csv, x,
		    x->eb);
		return x->err != ASB_OK;
	}
	if ((x->err = reg_subject_get(x->c->r, rec->subject, &s, x->eb)) !=
	    ASB_OK)
		return 1;
	csv_field(stdout, rec->ref[0] ? rec->ref : reg_record_id(rec->id, id));
	printf(",%s,%s,", sch_power_code(rec->power),
	    sch_subject_kind_code(s.kind));
	csv_field(stdout, s.kind == SCH_PERSON ? s.name : "");
	printf(",%s,%s,%s,", s.kind == SCH_PERSON ? asb_day_format(s.dob, day,
	    sizeof(day)) : "", s.sex, s.ethnicity);
	csv_field(stdout, s.pnc);
	putchar(',');
	csv_field(stdout, s.kind == SCH_PREMISES ? s.name : "");
	printf(",%s,", s.uprn);
	csv_field(stdout, s.kind == SCH_PLACE ? s.name : "");
	printf(",%s,%s,%s,", s.lsoa, s.lad, tiso(rec->issued, b));
	printf("%s,", tiso(rec->served, b));
	printf("%s,", tiso(rec->expires, b));
	csv_field(stdout, rec->by);
	putchar(',');
	csv_field(stdout, rec->authorised_by);
	printf(",%s,%s,", rec->rank, sch_code_field(SCH_LIST_AGENCIES,
	    (unsigned)rec->agency, 0));
	csv_field(stdout, rec->conditions);
	printf(",%s,%s,", rec->lsoa, rec->lad);
	if (rec->link != 0) {
		if ((x->err = reg_record_get(x->c->r, rec->link, &link,
		    x->eb)) != ASB_OK)
			return 1;
		csv_field(stdout, link.ref[0] ? link.ref :
		    reg_record_id(link.id, id));
	}
	putchar(',');
	csv_field(stdout, rec->incident);
	putchar('\n');
	return 0;
}

int
run_export(void *vc, const struct cmd *cmd, int argc, char **argv)
{
	struct ctx *c = ctx_of(vc, cmd);
	static const struct option o[] = { FLAG("events"), { NULL, 0, NULL, 0 } };
	struct reg_filter f = { -1, -1, 0, 0, 0, 0 };
	struct export_ctx x;
	struct asb_errbuf eb;
	const char *events = NULL;
	int err;

	memset(&x, 0, sizeof(x));
	x.c = c;
	x.eb = &eb;
	if ((err = options(c, argc, argv, o, set_only, &events)) >= 0)
		return err;
	asb_errbuf_clear(&eb);
	x.events = events != NULL;
	if (optind != argc)
		return usage_error(c, "unexpected '%s'", argv[optind]);
	if (c->json && c->csv)
		return usage_error(c, "%s", "give --json or --csv, not both");
	if (!c->csv)
		c->json = 1;
	if (x.events && !c->csv)
		return usage_error(c, "%s", "--events goes with --csv");
	/* JSON holds void records, marked; CSV is for 'asbreg import', which must not bring
	 * back as live what was voided. */
	f.voided = !c->csv;
	if ((err = open_reg(c, 1, &eb)) != ASB_OK)
		return fail(c, err, &eb);
	if (c->csv && x.events)
		puts("record,kind,date,until,outcome,note,by,rank,amount");
	else if (c->csv)
		puts("ref,power,subject_kind,name,dob,sex,ethnicity,pnc,address,"
		    "uprn,description,subject_lsoa,subject_lad,issued,served,"
		    "expires,by,authorised_by,rank,agency,conditions,lsoa,lad,links,"
		    "incident");
	err = reg_list(c->r, &f, c->now, export_one, &x, &eb);
	if (err == ASB_OK)
		err = x.err;
	/* Every record, and so every subject, is disclosed. */
	if (err == ASB_OK && (err = reg_audit_all(c->r, &eb)) == ASB_OK)
		err = audit(c, REG_AUDIT_DISCLOSURE, x.events ? "(events)" : NULL, x.n, &eb);
	return finish(c, err, &eb);
}


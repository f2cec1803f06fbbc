/*
 * reg.h - the force register: every use of a statutory ASB power, its subjects and its
 * lifecycle, in one LMDB environment, with a hash-chained audit log.
 *
 * A struct reg is an open register.  All work happens inside one transaction per command:
 * reg_begin, any number of calls, then reg_commit (or reg_abort).  Nothing is visible to
 * another process until reg_commit returns 0, so a refused or failed command leaves the
 * register exactly as it was.  Reads that consult personal data take a write transaction too,
 * because they append to the audit log (Data Protection Act 2018 s62).
 *
 * Every function returns an enum asb_err and fills eb (which may be NULL) with a message that
 * names records and subjects by ID only, never by personal data.  Structs returned through
 * ret_* are copies owned by the caller; nothing points into the LMDB map after a call returns.
 * A struct reg is for one thread.
 */
#ifndef REG_H
#define REG_H

#include <stdint.h>
#include <stdio.h>

#include "asb_limits.h"
#include "date.h"
#include "err.h"
#include "rules.h"

struct reg;

/* A person, premises or place. */
struct reg_subject {
	uint64_t	 id;
	int		 kind;			/* enum sch_subject_kind */
	char		 name[ASB_MAX_NAME];	/* person's name, premises address or place description */
	asb_day		 dob;			/* person: date of birth; else 0 */
	char		 sex[2];		/* "F", "M", "X" or "" */
	char		 ethnicity[3];		/* 18+1 code or "" */
	char		 pnc[ASB_MAX_SHORT];	/* PNC ID or "" */
	char		 uprn[16];		/* premises: UPRN or "" */
	char		 lsoa[10];		/* LSOA code or "" */
	char		 lad[10];		/* local authority district code or "" */
	asb_time	 created;
	/* a restriction of processing (DPA 2018 s47): since when (0 = none), and why */
	asb_time	 restricted;
	char		 restrict_reason[128];
};

/* One use of one power. */
struct reg_record {
	uint64_t	 id;
	int		 power;			/* enum sch_power */
	uint64_t	 subject;
	uint64_t	 link;			/* the record this one follows, 0 = none */
	asb_time	 issued;
	asb_time	 served;		/* 0 = not recorded */
	asb_time	 expires;		/* 0 = no end date */
	int		 agency;		/* index in the agencies code list */
	char		 by[ASB_MAX_SHORT];		/* issuing officer */
	char		 authorised_by[ASB_MAX_SHORT];
	char		 rank[ASB_MAX_SHORT];		/* authoriser's rank code */
	char		 lsoa[10];		/* where, if not the subject's own LSOA */
	char		 lad[10];		/* its local authority district, likewise */
	char		 incident[ASB_MAX_SHORT];	/* incident or crime reference */
	char		 ref[ASB_MAX_SHORT];		/* reference in the system it came from (import) */
	char		 conditions[ASB_MAX_TEXT];
	asb_time	 created;
	char		 created_by[ASB_MAX_SHORT];
};

/* One lifecycle event, appended and never rewritten. */
struct reg_event {
	uint64_t	 record;
	uint32_t	 seq;			/* 1, 2, ... within the record */
	int		 kind;			/* enum sch_event */
	asb_time	 date;
	asb_time	 until;			/* new expiry (extended, varied), 0 = none */
	int64_t		 amount;		/* FPN amount in pence, -1 = none */
	char		 outcome[32];		/* outcome code or "" */
	char		 rank[ASB_MAX_SHORT];	/* rank of whoever authorised it, or "" */
	char		 by[ASB_MAX_SHORT];
	char		 note[ASB_MAX_NOTE];
	asb_time	 created;
	char		 created_by[ASB_MAX_SHORT];
};

/* A record with what is derived from it: its life and status now. */
struct reg_view {
	struct reg_record rec;
	struct sch_use	 use;
	struct sch_life	 life;
	int		 status;		/* enum sch_status at the time asked */
};

enum reg_audit_op {
	REG_AUDIT_COLLECTION,
	REG_AUDIT_ALTERATION,
	REG_AUDIT_CONSULTATION,
	REG_AUDIT_DISCLOSURE,
	REG_AUDIT_ERASURE,
	REG_AUDIT_OP_COUNT
};

/*
 * One audit log entry.  hash = SHA-256 of the entry's encoding with hash zero, which holds
 * prev (the hash before it) and, from format 2 on, ids_hash: the SHA-256 of the sorted set of
 * every ID the entry touched, stored beside it.  So the chain covers the whole set, however
 * many IDs the text names.
 */
struct reg_audit {
	int		 format;		/* encoding: 1 (text IDs only) or 2; append writes 2 */
	uint64_t	 seq;			/* 1, 2, ... with no gaps */
	asb_time	 time;
	int		 op;			/* enum reg_audit_op */
	char		 user[ASB_MAX_SHORT];
	char		 command[32];		/* "show", "import", ... */
	char		 ids[400];		/* for people: the first IDs touched and "(+N more)",
						 * and any note ("user:x=officer") */
	uint64_t	 count;			/* how many records or subjects */
	char		 reason[256];		/* optional --reason */
	uint64_t	 nids;			/* format 2: how many IDs in the set */
	unsigned char	 ids_hash[32];		/* format 2: SHA-256 of the set */
	unsigned char	 prev[32];
	unsigned char	 hash[32];
};

/* ---- opening ---------------------------------------------------------------------------- */

/*
 * Create a register for force (an ONS GSS force code) in dir, which is created if missing
 * and must not hold a register already (ASB_ECONFLICT).  Also creates dir/force.key, the
 * force's 32-byte pseudonymisation secret, mode 0600.  Errors: ASB_EUSAGE (unknown force
 * code), ASB_ECONFLICT, ASB_EIO.
 */
int	 reg_init(const char *dir, const char *force, const char *user,
	    asb_time now, struct asb_errbuf *eb);

/* Open the register in dir.  ASB_ENOTFOUND when there is none (run 'asbreg init'), ASB_EIO.
 * A register of format 1 is migrated to the current format first (its audit log indexed),
 * in one write transaction. */
int	 reg_open(const char *dir, struct reg **ret, struct asb_errbuf *eb);
/*
 * Open the register in dir for user to do op (an operation name: the asbreg command, or
 * "build" for asbgw build), checking the role policy (reg_allows) in the register's users,
 * the one place every caller is checked.  A register with no users yet allows everything
 * (it is being set up).  The user and op are kept for the audit entries written through
 * the handle (reg_audit_log).  No transaction is left open.  Errors as reg_open, and
 * ASB_ERULE: R-ROLE-002 (user is not a user of this register), R-ROLE-001 (their role
 * may not do op); nothing is written then.
 */
int	 reg_open_as(const char *dir, const char *user, const char *op, struct reg **ret,
	    struct asb_errbuf *eb);
/* Close; aborts an open transaction.  reg_close(NULL) is harmless. */
void	 reg_close(struct reg *r);

/*
 * For a long scan (building a return): drop the register's pages from this process's
 * resident set.  They stay in the operating system's page cache and come back on the next
 * access, so a scan of a register larger than memory keeps a small footprint.  Safe at any
 * point between calls: the map is read-only and nothing outside LMDB points into it.
 */
void	 reg_release_pages(struct reg *r);

/* The force code the register was created for (static for the life of r). */
const char *reg_force(const struct reg *r);

int	 reg_begin(struct reg *r, int write, struct asb_errbuf *eb);
int	 reg_commit(struct reg *r, struct asb_errbuf *eb);
void	 reg_abort(struct reg *r);

/* ---- subjects --------------------------------------------------------------------------- */

/*
 * Add a subject; s->id and s->created are set by the call.  Checks the codes (sex, ethnicity,
 * LSOA) and refuses a duplicate of a subject already held - same PNC ID, or same name and date
 * of birth, same UPRN or address, same place description and LSOA - with ASB_ECONFLICT naming
 * the existing subject's ID in eb and in *ret_existing (when not NULL).
 */
int	 reg_subject_add(struct reg *r, struct reg_subject *s, asb_time now,
	    uint64_t *ret_existing, struct asb_errbuf *eb);
/*
 * Restrict processing of a subject (since != 0, with a reason) or lift it (since = 0), in the
 * caller's write transaction.  While restricted, no record or event about the subject may be
 * added (R-DPA-001); what is held is kept and can still be read and exported.
 * ASB_ENOTFOUND for no such subject; ASB_ECONFLICT when it is already so.
 */
int	 reg_subject_restrict(struct reg *r, uint64_t id, asb_time since, const char *reason,
	    struct asb_errbuf *eb);
/* A correction of a subject's identity, the old value kept (DPA 2018 s46). */
struct reg_rectification {
	asb_time	 time;
	char		 user[ASB_MAX_SHORT];
	char		 field[16];		/* "name", "dob", "sex", ... */
	char		 old[ASB_MAX_TEXT];
	char		 now[ASB_MAX_TEXT];
	char		 reason[256];
};

/*
 * Correct a subject: s is the subject as it should be (same ID).  Each changed field is
 * logged with its old and new value; the identity index follows.  *changed counts the
 * fields.  ASB_EUSAGE when nothing changed or a value is not valid, ASB_ECONFLICT when the
 * corrected identity is another subject's.
 */
int	 reg_subject_rectify(struct reg *r, const struct reg_subject *s, const char *user,
	    asb_time now, const char *reason, int *changed, struct asb_errbuf *eb);
/* A subject's rectifications, oldest first; fn returns non-zero to stop. */
int	 reg_rectification_each(struct reg *r, uint64_t subject,
	    int (*fn)(const struct reg_rectification *, void *), void *ctx,
	    struct asb_errbuf *eb);
int	 reg_subject_get(struct reg *r, uint64_t id, struct reg_subject *ret,
	    struct asb_errbuf *eb);
/* The subject with the same identity as s (see reg_subject_add), or ASB_ENOTFOUND. */
int	 reg_subject_match(struct reg *r, const struct reg_subject *s,
	    uint64_t *ret_id, struct asb_errbuf *eb);
/*
 * Call fn for each subject found by text, in ID order; fn returns non-zero to stop.  Names,
 * addresses and descriptions are compared as names.h normalises them (case, accents,
 * apostrophes, hyphens and spacing do not matter): a subject is found when every word of text
 * starts a word of its name (in any order), or text run together starts its name from one of
 * its words ("obri" finds O'Brien, "zoe luk" and "lukasz" find Zoë Łukasz).  A PNC ID or a
 * UPRN is found by its start too, and a date (YYYY-MM-DD) finds the people born on it.  An
 * index walk, never a scan of the subjects.  ASB_EUSAGE for text that is not valid UTF-8;
 * else ASB_OK or ASB_EIO.
 */
int	 reg_subject_find(struct reg *r, const char *text,
	    int (*fn)(const struct reg_subject *, void *), void *ctx,
	    struct asb_errbuf *eb);
/*
 * People close to s, who may be s mistyped: the same date of birth and a similar name
 * (reg_name_close: one or two letters apart, words in another order, a middle name more or
 * less), or the same name and a date of birth one typo away (one digit changed, or day and
 * month swapped).  At most max IDs in ret, *ret_n of them; none for premises and places.
 */
int	 reg_subject_close(struct reg *r, const struct reg_subject *s, uint64_t *ret,
	    size_t max, size_t *ret_n, struct asb_errbuf *eb);
#define REG_CLOSE_MAX	8	/* close matches named in a refusal */
/*
 * reg_subject_add as an officer's 'person add' does it: also refused (ASB_ECONFLICT, eb
 * naming the candidates, *ret_existing the first) when reg_subject_close finds someone,
 * unless is_new says the officer has checked and this is another person (--new).
 */
int	 reg_subject_add_checked(struct reg *r, struct reg_subject *s, int is_new,
	    asb_time now, uint64_t *ret_existing, struct asb_errbuf *eb);

/* ---- records and events ----------------------------------------------------------------- */

/*
 * Add a record after checking it against every statutory rule in force on its issue date.
 * rec->id, created and created_by are set; a CPN with no link is linked to the latest earlier
 * CPW to the same subject.  findings (may be NULL) receives errors and warnings.
 * Errors: ASB_EUSAGE (bad code), ASB_ENOTFOUND (subject or linked record), ASB_ECONFLICT
 * (ref already imported), ASB_ERULE (eb names the first rule that refused: R-VOID-002 for a
 * link to a void record, R-MRG-002 for a subject merged into another), ASB_EIO.
 */
int	 reg_record_add(struct reg *r, struct reg_record *rec, const char *user,
	    asb_time now, struct sch_findings *findings, struct asb_errbuf *eb);
int	 reg_record_get(struct reg *r, uint64_t id, struct reg_record *ret,
	    struct asb_errbuf *eb);
/* The record and its derived life and status at now. */
int	 reg_view_get(struct reg *r, uint64_t id, asb_time now,
	    struct reg_view *ret, struct asb_errbuf *eb);
/* The same from a record already read (reg_records_each), with its subject in
 * *ret_subject when that is not NULL: no second read of either. */
int	 reg_view_of(struct reg *r, const struct reg_record *rec, asb_time now,
	    struct reg_view *ret, struct reg_subject *ret_subject,
	    struct asb_errbuf *eb);
/* The record imported with this source reference, or ASB_ENOTFOUND. */
int	 reg_record_by_ref(struct reg *r, const char *ref, uint64_t *ret_id,
	    struct asb_errbuf *eb);

/*
 * Append an event to a record after checking it against the rules; ev->seq, created and
 * created_by are set.  Errors as reg_record_add; a void record takes none (R-VOID-002).
 */
int	 reg_event_add(struct reg *r, struct reg_event *ev, const char *user,
	    asb_time now, struct sch_findings *findings, struct asb_errbuf *eb);
/* Call fn for each event of a record in order. */
int	 reg_event_each(struct reg *r, uint64_t record,
	    int (*fn)(const struct reg_event *, void *), void *ctx,
	    struct asb_errbuf *eb);

/* What to list: 0 / -1 / "" fields do not filter. */
struct reg_filter {
	int		 power;		/* -1 = any */
	int		 status;	/* -1 = any */
	uint64_t	 subject;	/* 0 = any */
	asb_time	 since;		/* issued on or after; 0 = any */
	asb_time	 until;		/* issued before; 0 = any */
	int		 voided;	/* 0: leave voided records out (lists); 1: include them
					 * (history, subject-export, export) */
};

/* Call fn for each record matching f, in issue order for a power or subject filter and in
 * ID order otherwise; fn returns non-zero to stop (the call then returns ASB_OK).  Void
 * records (reg_record_void) only when f->voided. */
int	 reg_list(struct reg *r, const struct reg_filter *f, asb_time now,
	    int (*fn)(const struct reg_view *, void *), void *ctx,
	    struct asb_errbuf *eb);

/* Call fn for every record in ID order, decoded but with nothing derived (no subject, no
 * events): the cheap scan for a caller that filters first and looks closer at few. */
int	 reg_records_each(struct reg *r,
	    int (*fn)(const struct reg_record *, void *), void *ctx,
	    struct asb_errbuf *eb);

/* Records linked to id: the one it follows and those that follow it. */
int	 reg_linked_each(struct reg *r, uint64_t id,
	    int (*fn)(uint64_t linked, int follows_it, void *), void *ctx,
	    struct asb_errbuf *eb);

/* ---- putting mistakes right (void.c, merge.c) ----------------------------------------------- */

/*
 * A record entered in error is voided, never deleted: it leaves lists, due (but for its
 * retention review), repeat counts and the returns built after, and stays readable, marked
 * void, by show, history, export and subject-export (the data subject's rights cover it).
 * Kept in the meta data as "void/ID" -> a versioned encoding (codec.c), so the record's own
 * format does not change.
 */
struct reg_void {
	uint64_t	 record;
	asb_time	 time;			/* when it was voided */
	char		 user[ASB_MAX_SHORT];	/* by whom */
	char		 reason[256];		/* why */
};

/*
 * Void a record (in the caller's write transaction), noting it and its subject for the
 * audit entry.  Its source reference (import) is released, so the row can be imported again
 * once corrected.  Errors: ASB_EUSAGE (no reason), ASB_ENOTFOUND (no such record),
 * ASB_ECONFLICT (voided already), ASB_ERULE R-VOID-001 (a record not voided follows it: void
 * that one first, so no live record follows a void one), ASB_EIO.
 */
int	 reg_record_void(struct reg *r, uint64_t id, const char *user, asb_time now,
	    const char *reason, struct asb_errbuf *eb);
/* The record's void entry: ASB_OK, or ASB_ENOTFOUND (without a message) when it is not void. */
int	 reg_void_get(struct reg *r, uint64_t id, struct reg_void *ret, struct asb_errbuf *eb);
/* Does the register hold any void record?  A scan asks once (one cursor seek), and looks
 * each record up only then.  1 when it cannot tell. */
int	 reg_voids_any(struct reg *r);
/* Every void entry, in record ID order; fn returns non-zero to stop. */
int	 reg_void_each(struct reg *r, int (*fn)(const struct reg_void *, void *), void *ctx,
	    struct asb_errbuf *eb);
/* A record's retention review when it is void: a review period (R-RET-001) after it was
 * voided, later for a retain decision, 0 once disposed of. */
asb_time reg_void_review_due(struct reg *r, const struct reg_view *v, const struct reg_void *vd);

/*
 * A record not voided with the same power, subject and issue time as rec (other than rec->id,
 * so it may be asked right after rec was added): ASB_OK with its ID in *ret_id, or
 * ASB_ENOTFOUND.  'asbreg add' refuses such a duplicate (exit 4) unless told
 * --duplicate-ok.
 */
int	 reg_record_same(struct reg *r, const struct reg_record *rec, uint64_t *ret_id,
	    struct asb_errbuf *eb);

/* A subject merged into another: the duplicate keeps its ID, which resolves to keep. */
struct reg_merge {
	uint64_t	 duplicate;
	uint64_t	 keep;
	asb_time	 time;
	char		 user[ASB_MAX_SHORT];
	char		 reason[256];
	uint64_t	 records;		/* records moved */
};

/*
 * Merge subject dup into keep (in the caller's write transaction): dup's records, and so their
 * events, become keep's (the subject and location indexes follow); dup's identity keys now
 * find keep, so a later add or import with dup's spelling finds keep; dup stays stored, as it
 * was, for subject-export; every record now keep's is marked with the merge
 * (reg_merged_records_each), for the corrections a return needs.  Every ID touched is noted
 * for the audit entry.  *ret (may be
 * NULL) is the merge entry.  Errors: ASB_EUSAGE (no reason, or keep = dup), ASB_ENOTFOUND,
 * ASB_ECONFLICT (dup was merged already, or keep was itself merged: merge into where it
 * went), ASB_ERULE R-MRG-001 (not the same kind of subject), R-DPA-001 (either is
 * restricted), ASB_EIO.
 */
int	 reg_subject_merge(struct reg *r, uint64_t keep, uint64_t dup, const char *user,
	    asb_time now, const char *reason, struct reg_merge *ret, struct asb_errbuf *eb);
/* The merge entry of a subject merged into another: ASB_OK, or ASB_ENOTFOUND (no message). */
int	 reg_merge_get(struct reg *r, uint64_t dup, struct reg_merge *ret, struct asb_errbuf *eb);
/* The subject id now stands for: itself, or where its merges lead.  ASB_OK or ASB_EIO. */
int	 reg_subject_resolve(struct reg *r, uint64_t id, uint64_t *ret, struct asb_errbuf *eb);
/* Every record a merge touched (those moved, and those of the subject kept, whose repeat flag
 * may change), in ID order, with the last merge that touched it; fn returns non-zero to
 * stop.  For asbgw: a return acknowledged before then counted them under two subjects. */
int	 reg_merged_records_each(struct reg *r,
	    int (*fn)(uint64_t record, const struct reg_merge *, void *), void *ctx,
	    struct asb_errbuf *eb);
/* After a subject merged into another was rectified (its identity keys rewritten to find it):
 * point them at the one kept again.  ASB_OK (nothing to do for a subject not merged), ASB_EIO. */
int	 reg_merge_alias(struct reg *r, uint64_t dup, struct asb_errbuf *eb);
/* The subjects merged into keep, in ID order; fn returns non-zero to stop. */
int	 reg_merged_each(struct reg *r, uint64_t keep,
	    int (*fn)(const struct reg_merge *, void *), void *ctx, struct asb_errbuf *eb);

/* ---- attention ---------------------------------------------------------------------------- */

enum reg_due_kind {
	REG_DUE_EXPIRY,
	REG_DUE_YOUTH_REVIEW,
	REG_DUE_CLOSURE_HEARING,
	REG_DUE_RETENTION
};

struct reg_due {
	asb_time	 when;
	int		 kind;		/* enum reg_due_kind */
	uint64_t	 record;
	int		 power;
	uint64_t	 subject;
};

const char *reg_due_kind_code(int kind);	/* "expiry", "youth-cbo-review", ... */

/*
 * Everything due on or before now + within seconds (overdue items included; expiries only
 * from now on), earliest first; for a void record, only its retention review.  At most max items are returned in ret (caller's array);
 * *ret_total counts all that were found.
 */
int	 reg_due(struct reg *r, asb_time now, int64_t within, struct reg_due *ret,
	    size_t max, size_t *ret_n, size_t *ret_total, struct asb_errbuf *eb);

struct reg_repeat {
	char		 key[16];	/* subject ID ("S000012") or LSOA code */
	int		 kind;		/* enum sch_subject_kind, or 0 for an LSOA */
	uint64_t	 count;
	asb_time	 first;
	asb_time	 last;
};

/* How many records about a subject, not void, were issued in [since, until). */
int	 reg_subject_records(struct reg *r, uint64_t subject, asb_time since,
	    asb_time until, uint64_t *ret, struct asb_errbuf *eb);

/* Subjects and LSOAs with at least min records, not void, issued on or after since; fn is
 * called for each, subjects first (by ID), then LSOAs (by code). */
int	 reg_repeat(struct reg *r, asb_time since, uint64_t min,
	    int (*fn)(const struct reg_repeat *, void *), void *ctx,
	    struct asb_errbuf *eb);

/* ---- audit ---------------------------------------------------------------------------------- */

/*
 * The audit entry of a transaction is built here, not by the commands: a command says what it
 * touched as it goes (each record and subject it read, wrote or showed, or "every record" for
 * an export), then reg_audit_log writes one entry naming all of it, and the index that lets
 * reg_audit_about find it by subject, in the same transaction.  Nothing is written until
 * reg_audit_log; reg_begin forgets what an earlier transaction touched.  Repeats are
 * harmless.  Errors: ASB_EIO (out of memory).
 */
int	 reg_audit_record(struct reg *r, uint64_t id, struct asb_errbuf *eb);
int	 reg_audit_subject(struct reg *r, uint64_t id, struct asb_errbuf *eb);
int	 reg_audit_all(struct reg *r, struct asb_errbuf *eb);
/* How many distinct IDs this transaction has touched so far. */
uint64_t reg_audit_touched(struct reg *r);

/*
 * Write the transaction's entry: operation op, by the user and for the operation the register
 * was opened with (reg_open_as), at now, with reason (or NULL) and note (text for what is not
 * an ID, or NULL).  count 0 counts the IDs touched.  ASB_EIO.
 */
int	 reg_audit_log(struct reg *r, int op, asb_time now, const char *reason,
	    const char *note, uint64_t count, struct asb_errbuf *eb);
/* Append an entry the caller filled (seq, prev, hash, nids and ids_hash are set by the call):
 * it takes the IDs touched so far, as reg_audit_log does. */
int	 reg_audit_append(struct reg *r, struct reg_audit *a, struct asb_errbuf *eb);
/*
 * Every entry that touched the subject, one of its records, or every record, in order, read
 * through the index (never a scan of the log).  Format-1 entries are found by the IDs their
 * text names (at most 32 each).  fn returns non-zero to stop.
 */
int	 reg_audit_about(struct reg *r, uint64_t subject,
	    int (*fn)(const struct reg_audit *, void *), void *ctx, struct asb_errbuf *eb);
/* Call fn for each entry in order. */
int	 reg_audit_each(struct reg *r, int (*fn)(const struct reg_audit *, void *),
	    void *ctx, struct asb_errbuf *eb);
/*
 * Walk the chain: every entry's hash recomputed, every prev equal to the entry before, no
 * gap in seq, the last entry equal to the head kept in the register's meta data, and, for a
 * format-2 entry, its stored ID set equal to its ids_hash and every ID of it in the index.
 * ASB_OK with *ret_count entries, or ASB_ERULE naming the first bad entry (R-AUD-001).
 * This finds any change made by someone who cannot rewrite the rest of the chain; someone
 * who can write data.mdb can, and only a head recorded elsewhere finds that (below).
 */
int	 reg_audit_verify(struct reg *r, uint64_t *ret_count, struct asb_errbuf *eb);

/* The head of the chain: its last entry's number (0 for an empty log) and hash. */
struct reg_audit_head {
	uint64_t	 seq;
	unsigned char	 hash[32];
};
#define REG_AUDIT_HEX	65	/* a hash as 64 lowercase hex digits and a NUL */

/*
 * reg_audit_verify, and then, when want is not NULL, the check against a head recorded
 * earlier (printed by 'asbreg audit --verify', or reported by the head hook and logged):
 * some entry of the verified chain has hash want.  Since each hash covers the one before it,
 * that entry and every entry before it are then exactly as they were when want was recorded;
 * entries after it are covered by the chain only (and by any later recorded head).  A log
 * rewritten at or before that entry, even with every hash recomputed, has no entry with that
 * hash: ASB_ERULE, R-AUD-002, naming the head recorded and the head now.
 * *ret_head (may be NULL) is the chain's head; *ret_match (may be NULL) the number of the
 * entry that has want (0 when want is NULL).  Other errors as reg_audit_verify.
 */
int	 reg_audit_verify_head(struct reg *r, const unsigned char *want,
	    struct reg_audit_head *ret_head, uint64_t *ret_match, struct asb_errbuf *eb);
/* A hash as hex (returns out); and back: 0, or -1 for anything but 64 hex digits. */
char	*reg_audit_hex(const unsigned char hash[32], char out[REG_AUDIT_HEX]);
int	 reg_audit_hex_parse(const char *s, unsigned char ret[32]);

/*
 * The head hook: fn(force, head, ctx) is called by reg_commit each time a transaction that
 * appended audit entries has been committed, with the head it left, so that the caller can
 * record each head where the register's users cannot change it (asbreg sends it to syslog).
 * The library itself never logs.  It is not called for a transaction aborted, refused or
 * failing to commit, nor for one that wrote no entry.  fn must not use r.  NULL removes it.
 */
typedef void reg_head_hook(const char *force, const struct reg_audit_head *head, void *ctx);
void	 reg_set_head_hook(struct reg *r, reg_head_hook *fn, void *ctx);
const char *reg_audit_op_code(int op);

/* ---- IDs -------------------------------------------------------------------------------- */

#define REG_ID_BUF	24
/* "R000123" for records, "S000045" for subjects. */
char	*reg_record_id(uint64_t id, char *buf);
char	*reg_subject_id(uint64_t id, char *buf);
/* Parse an ID with the given prefix ('R' or 'S'); 0 or -1. */
int	 reg_id_parse(const char *s, char prefix, uint64_t *ret);

/* ---- low level, for the import and the benchmark ------------------------------------------ */

/* The path of the force's pseudonymisation key. */
int	 reg_key_path(const char *dir, char *buf, size_t size);

/* ---- retention review (R-RET-001) ---------------------------------------------------------- */

enum { REG_REVIEW_NONE, REG_REVIEW_RETAIN, REG_REVIEW_DISPOSE };

struct reg_review_result {
	asb_time	 due;		/* when the review fell due */
	uint64_t	 events;	/* events whose notes and officers were erased */
	uint64_t	 subject_erased;	/* the subject whose identity went, or 0 */
};

/*
 * Decide a due retention review of a record (in the caller's write transaction): retain
 * (the next review is a review period later) or dispose (erase the record's personal data,
 * and the subject's identity when nothing else is kept about them; the statistical facts
 * stay).  ASB_ERULE (R-RET-002) when the review is not due yet; ASB_ECONFLICT when it was
 * disposed of already.
 */
int	 reg_review(struct reg *r, uint64_t id, int decision, asb_time now,
	    struct reg_review_result *res, struct asb_errbuf *eb);
/* A record's last decision (REG_REVIEW_NONE when none) and when it was made. */
int	 reg_review_get(struct reg *r, uint64_t id, int *decision, asb_time *when,
	    struct asb_errbuf *eb);

/* ---- users and roles ----------------------------------------------------------------------- */

enum reg_role {
	REG_ROLE_OFFICER,	/* record uses of powers and their events; look things up */
	REG_ROLE_SUPERVISOR,	/* an officer's, plus imports, restrictions, the audit log */
	REG_ROLE_DATA_TEAM,	/* everything: exports, returns, users */
	REG_ROLE_AUDITOR,	/* read only, and the audit log */
	REG_ROLE_COUNT
};

const char *reg_role_code(int role);	/* "officer", "supervisor", "data-team", "auditor" */
/*
 * The role policy: may a user in role do op?  officer: person premises place find add event
 * show list history due repeat; supervisor: an officer's, and import restrict audit
 * subject-export review rectify void merge; auditor: find show list history due repeat audit
 * subject-export; data-team: everything (export, user, build ...).  1 or 0.
 */
int	 reg_allows(int role, const char *op);
int	 reg_role_parse(const char *s);	/* -1 when not a role */
/* A user's role; ASB_ENOTFOUND when the register does not know them. */
int	 reg_user_get(struct reg *r, const char *name, int *role, struct asb_errbuf *eb);
/* Add a user or change their role (in the caller's write transaction). */
int	 reg_user_set(struct reg *r, const char *name, int role, struct asb_errbuf *eb);
/* Each user in name order; fn returns non-zero to stop. */
int	 reg_user_each(struct reg *r, int (*fn)(const char *name, int role, void *ctx),
	    void *ctx, struct asb_errbuf *eb);

/* ---- import ------------------------------------------------------------------------------ */

struct reg_import_result {
	uint64_t	 rows;		/* data rows read */
	uint64_t	 records;	/* records stored */
	uint64_t	 events;	/* events stored */
	uint64_t	 subjects;	/* new subjects stored */
	uint64_t	 rejected;	/* rows written to the rejects file */
	uint64_t	 first;		/* first and last record or event record ID stored */
	uint64_t	 last;
};

/*
 * Import a CSV file of records, or of events, in the documented columns (docs/import.md): the
 * header row names the columns, in any order; a file whose header has "record" and "kind" is
 * an events file.  Inside the caller's write transaction.
 * Without rejects, the first bad row stops the import and the caller must abort: eb says
 * "line N: ..." with the rule ID.  With rejects, each bad row is written there (its fields and
 * an "error" column) and stores nothing; the good rows are stored.
 * progress (may be NULL) is called now and then with the bytes read so far.
 */
int	 reg_import(struct reg *r, FILE *in, FILE *rejects, const char *user,
	    asb_time now, void (*progress)(uint64_t, void *), void *pctx,
	    struct reg_import_result *ret, struct asb_errbuf *eb);


/* ---- fields from text (command options and CSV columns share these) ----------------------- */

/* A term given as a duration rather than an expiry date. */
struct reg_term {
	int		 hours, days, months, years;
	int		 indefinite;
};

/*
 * Set one field from text, by its name: the CSV column and the command option without its
 * dashes ("issued", "authorised_by" or "authorised-by").  Returns ASB_OK, ASB_ENOTFOUND for a
 * name that is not a field of that kind (so a caller can try another kind), or ASB_EUSAGE with
 * eb saying what is wrong with the value.
 * Record fields: power issued served expires hours days months years indefinite by
 *   authorised_by rank agency conditions lsoa lad incident ref subject.  ("links" is resolved
 *   by the caller: an ID or an imported reference.)
 * Subject fields: subject_kind name dob sex ethnicity pnc address uprn description
 *   subject_lsoa subject_lad (lsoa and lad too, for a subject on its own).
 * Event fields: kind date until outcome note by rank amount.
 */
int	 reg_record_set(struct reg_record *rec, struct reg_term *term,
	    const char *name, const char *val, struct asb_errbuf *eb);
int	 reg_subject_set(struct reg_subject *s, const char *name, const char *val,
	    struct asb_errbuf *eb);
int	 reg_event_set(struct reg_event *ev, const char *name, const char *val,
	    struct asb_errbuf *eb);
/* Fill rec->expires from the term once the issue date is known; ASB_EUSAGE when both an
 * expiry and a term, or two terms, were given. */
int	 reg_record_finish(struct reg_record *rec, const struct reg_term *term,
	    struct asb_errbuf *eb);
/*
 * A force's own commencement of a power (an area piloting it), commence.c: *ret the day, or 0
 * when none is recorded.  reg_commence_set refuses a day on or after the power's national
 * commencement (ASB_ECONFLICT: the national date governs) and a day before the law that made
 * it (ASB_EUSAGE).  Records added afterwards are judged by it (rule R-PWR-001).
 */
int	 reg_commence_get(struct reg *r, int power, asb_day *ret, struct asb_errbuf *eb);
int	 reg_commence_set(struct reg *r, int power, asb_day day, struct asb_errbuf *eb);

/* Set defaults for a new record or event (agency police, amount none). */
void	 reg_record_defaults(struct reg_record *rec);
void	 reg_event_defaults(struct reg_event *ev);

#endif

/*
 * internal.h - what the register's own files share: the open register, its LMDB databases,
 * key layouts and the byte encoding.  Not for use outside register/.
 *
 * Keys are fixed-width big-endian so cursor order is meaningful (ID order, time order); times
 * in keys have their sign bit flipped so negative values would still sort first.
 */
#ifndef REG_INTERNAL_H
#define REG_INTERNAL_H

#include <lmdb.h>
#include <stdint.h>

#include "reg.h"

/* Named databases. */
enum reg_db {
	DB_META,	/* "force", "format", "next.record", "next.subject", "next.audit", "audit.head" */
	DB_SUBJECTS,	/* subject id (8) -> subject */
	DB_RECORDS,	/* record id (8) -> record */
	DB_EVENTS,	/* record id (8) + seq (4) -> event */
	/* Indexes are DUPSORT|DUPFIXED: one key, its entries as fixed-width sorted
	 * duplicates, packed far denser than a node per entry. */
	DB_IX_SUBJECT,	/* subject (8) -> issued (8) + record (8) */
	DB_IX_TYPE,	/* power (1) -> issued (8) + record (8) */
	DB_IX_LSOA,	/* lsoa (9) -> issued (8) + record (8) */
	DB_IX_LINK,	/* linked-to record (8) -> record (8) */
	DB_IX_REF,	/* source reference -> record (8) */
	DB_IX_IDENTITY,	/* kind (1) + normalised identity -> subject (8) */
	DB_AUDIT,	/* seq (8) -> entry */
	/* Format 2: every ID an audit entry touched.  The set is kept once per entry, for
	 * 'audit --verify' (the entry holds its SHA-256, so the chain covers it), and once per
	 * ID, for 'subject-export' (an index, so an export reads only the entries about one
	 * subject and never scans the log). */
	DB_AUDIT_IDS,	/* seq (8) -> the sorted ID set: kind (1) + id (8), each */
	DB_IX_AUDIT,	/* kind (1) + id (8) -> seq (8), DUPSORT|DUPFIXED */
	DB_COUNT
};

/* The register's on-disk format; a register of another format is refused, not guessed at.
 * Format 1 (audit entries naming at most 32 IDs, no audit index) is migrated to 2 when it is
 * first opened (open.c); the first format that has a given database: */
#define REG_FORMAT	2
#define REG_FORMAT_AUDIT_IX	2

/* Kinds of ID an audit entry touches; 'A' (id 0) is "every record", for an export. */
#define REG_TOUCH_RECORD	'R'
#define REG_TOUCH_SUBJECT	'S'
#define REG_TOUCH_ALL		'A'
#define REG_TOUCH_KEY		9	/* kind (1) + id (8, big-endian) */

/* The sequences IDs are taken from; kept in struct reg during a write transaction and
 * written to the meta data once, at commit, not once per record. */
enum reg_seq {
	SEQ_RECORD,
	SEQ_SUBJECT,
	SEQ_AUDIT,
	SEQ_COUNT
};

struct reg {
	MDB_env		*env;
	MDB_txn		*txn;
	MDB_dbi		 dbi[DB_COUNT];
	char		 force[16];
	char		 dir[4096];
	uintptr_t	 map_lo, map_hi;	/* data.mdb's mapping, once looked up */
	uint64_t	 seq[SEQ_COUNT];	/* last value taken */
	int		 seq_loaded[SEQ_COUNT];
	/* Who opened it for what (reg_open_as), for the audit entries written through it. */
	char		 user[ASB_MAX_SHORT];
	char		 op[32];
	/* The IDs this transaction touched, (kind << 56 | id), unsorted, with repeats; the next
	 * audit entry takes them (audit.c).  Emptied by reg_begin. */
	uint64_t	*touch;
	size_t		 touch_n, touch_cap;
	/* Does the register hold a void record (void.c)?  -1 not asked yet in this
	 * transaction; reg_begin forgets, a void sets it. */
	int		 voids;
	/* ICU's transliterator for names (names.h), opened on the first name that needs it. */
	struct reg_names *names;
	/* The due index (due_index.c), a database outside the numbered formats; during an
	 * import, new records' entries wait in due_buf (17 bytes each) to be put in order. */
	MDB_dbi		 due_dbi;
	int		 due_batch;
	unsigned char	*due_buf;
	size_t		 due_n, due_cap;
	/* The audit head this transaction leaves (head_dirty once it appended an entry), for
	 * head_fn when the commit has landed (reg_set_head_hook).  Cleared by reg_begin. */
	struct reg_audit_head head_new;
	int		 head_dirty;
	reg_head_hook	*head_fn;
	void		*head_ctx;
};

/* Databases beyond enum reg_db that an environment may hold (the due index). */
#define REG_DBS_EXTRA	4

/* ---- the LMDB layer (store.c) ---- */

/* Open the environment and every database in dir, without creating any: format 1 lacks
 * DB_AUDIT_IDS and DB_IX_AUDIT, whose handles are then left unopened.  *ret_format is the
 * register's format.  No transaction is left open.  ASB_ENOTFOUND, ASB_EIO. */
int	 reg_store_open(const char *dir, struct reg **ret, uint64_t *ret_format,
	    struct asb_errbuf *eb);
/* Create a new, empty environment in dir (which must exist) with every database, inside a
 * write transaction left open for the caller (create.c). */
int	 reg_store_create(const char *dir, struct reg **ret, struct asb_errbuf *eb);
/* Open (creating) the databases first present in format fmt, inside the caller's write
 * transaction: the migration from the format before it. */
int	 reg_store_add_dbs(struct reg *r, uint64_t fmt, struct asb_errbuf *eb);

/* ---- the audit layer (audit.c), above the store ---- */

/* Index the IDs named by the text of format-1 entries (the migration to format 2). */
int	 reg_audit_index_v1(struct reg *r, struct asb_errbuf *eb);

/* Map an LMDB error to ours, filling eb with what failed. */
int	 reg_lmdb_fail(struct asb_errbuf *eb, int rc, const char *what);

/* The ID-keyed databases (subjects, records, audit) are MDB_INTEGERKEY: their keys are
 * native uint64 values, which LMDB compares as integers (cheaper than memcmp, still in ID
 * order).  reg_key_id reads one back. */
uint64_t reg_key_id(const MDB_val *k);

/* Key builders for composite keys (big-endian, so byte order is cursor order). */
void	 reg_put_u64(unsigned char *p, uint64_t v);
uint64_t reg_get_u64(const unsigned char *p);
void	 reg_put_time(unsigned char *p, asb_time t);
asb_time reg_get_time(const unsigned char *p);

/* Position c on the first entry of key whose data is at or after from (dlen bytes), filling
 * *k and *v: 0, MDB_NOTFOUND when there is none, or another LMDB error. */
int	 reg_dup_seek(MDB_cursor *c, const void *key, size_t klen, const void *from,
	    size_t dlen, MDB_val *k, MDB_val *v);

/* Meta values: text (reg_meta_get_str is ASB_ENOTFOUND for a key not there, without a
 * message), or numbers. */
int	 reg_meta_put_str(struct reg *r, const char *key, const char *val, struct asb_errbuf *eb);
int	 reg_meta_get_str(struct reg *r, const char *key, char *buf, size_t cap,
	    struct asb_errbuf *eb);
int	 reg_meta_get_u64(struct reg *r, const char *key, uint64_t *ret, struct asb_errbuf *eb);
int	 reg_meta_put_u64(struct reg *r, const char *key, uint64_t v, struct asb_errbuf *eb);
/* Take the next number of a sequence (1, 2, ...). */
int	 reg_next(struct reg *r, enum reg_seq seq, uint64_t *ret, struct asb_errbuf *eb);
/* The last number taken (0 = none), as the transaction sees it. */
int	 reg_seq_last(struct reg *r, enum reg_seq seq, uint64_t *ret, struct asb_errbuf *eb);

/* A subject's identity keys (normalised name and date of birth, PNC ID, address, UPRN,
 * description and LSOA): up to two. */
#define IDENTITY_MAX	400	/* LMDB keys are at most 511 bytes */
int	 reg_subject_identities(struct reg *r, const struct reg_subject *s,
	    char keys[2][IDENTITY_MAX]);
/*
 * Add (del 0) or remove (del 1) a subject's identity index entries: its identity keys, and
 * the entries 'find' and the close-match check read (each word of the name, PNC ID, UPRN;
 * the date of birth).  Their layout has a version, "identity.format" in the meta data;
 * reg_subject_index_upgrade rebuilds the index of a register written under another.
 */
int	 reg_subject_identity_put(struct reg *r, const struct reg_subject *s, int del,
	    struct asb_errbuf *eb);
/* A person's identity key (without its kind byte) from their compact name (names.h). */
void	 reg_person_key(const char *compact, asb_day dob, char key[IDENTITY_MAX]);
/* The lookup entries of a subject (lookup.c), added or removed. */
int	 reg_subject_lookup_put(struct reg *r, const struct reg_subject *s, int del,
	    struct asb_errbuf *eb);
/* The layout of the identity index (meta "identity.format"): 1 (or none) name keys lower-cased
 * ASCII; 2 ICU-normalised names and the lookup entries of lookup.c. */
#define REG_IDENTITY_FORMAT	"2"
/* Rebuild the identity index when its layout is older than this release's (from reg_open;
 * one write transaction, only when needed). */
int	 reg_subject_index_upgrade(struct reg *r, struct asb_errbuf *eb);
/* Rewrite a stored subject in place (its identity index is the caller's business). */
int	 reg_subject_put(struct reg *r, const struct reg_subject *s, struct asb_errbuf *eb);

/* Store a new subject without looking for a duplicate: for a caller that just did. */
int	 reg_subject_insert(struct reg *r, struct reg_subject *s, asb_time now,
	    struct asb_errbuf *eb);

/* The due index (due_index.c).  _init creates it in a new register's first transaction;
 * _open opens it (from reg_open), building it for a register that lacks it; _put brings a
 * record's entries up to date after the record, an event or a review decision was stored;
 * _candidates lists, in ID order and once each, the records with an entry due by horizon
 * (expiries from now on, the rest overdue too) in *ret, which the caller frees. */
int	 reg_due_index_init(struct reg *r, struct asb_errbuf *eb);
int	 reg_due_index_open(struct reg *r, struct asb_errbuf *eb);
int	 reg_due_index_put(struct reg *r, uint64_t id, struct asb_errbuf *eb);
/* The same for a record just added (nothing to remove first; its key appended). */
int	 reg_due_index_add(struct reg *r, const struct reg_record *rec, struct asb_errbuf *eb);
/* Batching for a bulk load: between _begin and _end, reg_due_index_add keeps a new record's
 * dates in memory; _flush puts them in key order (far fewer pages touched than one at a
 * time), and must be called between rows only (a row's nested transaction may be aborted:
 * _mark and _rewind drop what a refused row added).  _end flushes; _discard forgets. */
void	 reg_due_batch_begin(struct reg *r);
int	 reg_due_batch_flush(struct reg *r, struct asb_errbuf *eb);
int	 reg_due_batch_end(struct reg *r, struct asb_errbuf *eb);
void	 reg_due_batch_discard(struct reg *r);
#define REG_DUE_BATCH	65536	/* entries held before a flush: 1 MiB */
int	 reg_due_candidates(struct reg *r, asb_time now, asb_time horizon, uint64_t **ret,
	    size_t *ret_n, struct asb_errbuf *eb);

/* The byte encodings (codec.c).  Encoders return the length written, or 0 if cap is too
 * small; decoders return 0, or -1 for bytes that are not a valid encoding. */
size_t	 reg_enc_subject(const struct reg_subject *s, unsigned char *buf, size_t cap);
int	 reg_dec_subject(const unsigned char *p, size_t n, struct reg_subject *s);
size_t	 reg_enc_record(const struct reg_record *rec, unsigned char *buf, size_t cap);
int	 reg_dec_record(const unsigned char *p, size_t n, struct reg_record *rec);
size_t	 reg_enc_event(const struct reg_event *ev, unsigned char *buf, size_t cap);
int	 reg_dec_event(const unsigned char *p, size_t n, struct reg_event *ev);
/* The audit encoding without its hash (what the hash covers) is the first len-32 bytes. */
size_t	 reg_enc_audit(const struct reg_audit *a, unsigned char *buf, size_t cap);
int	 reg_dec_audit(const unsigned char *p, size_t n, struct reg_audit *a);

/* Void and merge entries (void.c, merge.c), kept in the meta data. */
size_t	 reg_enc_void(const struct reg_void *vd, unsigned char *buf, size_t cap);
int	 reg_dec_void(const unsigned char *p, size_t n, struct reg_void *vd);
size_t	 reg_enc_merge(const struct reg_merge *m, unsigned char *buf, size_t cap);
int	 reg_dec_merge(const unsigned char *p, size_t n, struct reg_merge *m);

/* The largest encoding of any of them, for stack buffers. */
#define REG_ENC_MAX	(sizeof(struct reg_record) + 256)

/* Build the use of a power the rules see from a stored record (subject age, link facts). */
int	 reg_use_build(struct reg *r, const struct reg_record *rec,
	    struct sch_use *ret, struct reg_subject *ret_subject,
	    struct asb_errbuf *eb);
/* When a record's retention review is due, its decisions considered (0: none). */
asb_time reg_review_due(struct reg *r, const struct reg_view *v, asb_time now);

/* Fold a record's events into its life. */
int	 reg_life_build(struct reg *r, const struct reg_record *rec,
	    const struct sch_use *u, struct sch_life *ret, struct asb_errbuf *eb);

/* ---- corrections (void.c, merge.c) ---- */

/* Is the record void?  (A read failure counts as not.) */
int	 reg_void_is(struct reg *r, uint64_t id);
/* Before a record is added: its link is not void (R-VOID-002), its subject was not merged
 * into another (R-MRG-002: use the one it went to). */
int	 reg_correct_check_add(struct reg *r, const struct reg_record *rec,
	    struct asb_errbuf *eb);
/* Before an event is added: its record is not void (R-VOID-002). */
int	 reg_correct_check_event(struct reg *r, uint64_t record, struct asb_errbuf *eb);
/* Retention: a record disposed of keeps the fact and time of its void, not who or why. */
int	 reg_void_erase(struct reg *r, uint64_t id, struct asb_errbuf *eb);
/* Retention: keep's identity is being erased, so erase the identities merged into it. */
int	 reg_merged_erase(struct reg *r, uint64_t keep, struct asb_errbuf *eb);
/* A cursor over the meta keys starting with prefix: fn(key, klen, val, vlen, ctx) for each,
 * non-zero to stop. */
int	 reg_meta_prefix_each(struct reg *r, const char *prefix,
	    int (*fn)(const unsigned char *, size_t, const unsigned char *, size_t, void *),
	    void *ctx, struct asb_errbuf *eb);

#endif

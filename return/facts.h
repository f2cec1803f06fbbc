/*
 * facts.h - what each record of a return says, as the validator read it from the tree whose
 * signature and XSD were checked, in the one compact encoding the hub stores beside the bytes
 * and counts from.  Nothing counts a return by reading its XML again: the national figures
 * are these facts, so they are exactly what was validated.
 *
 * The encoding (version 1), every integer big-endian and fixed width:
 *   u8 version (1), u8 test (0/1), u16 force (index in forces.tsv),
 *   u16 year, u8 quarter (1-4), u32 records,
 *   u16 nla, then nla x u32 local authority districts (rtn_la_encode), in order first met;
 *   then per record:
 *     u8 flags (bit 0: issued in the period), u8 subject kind (enum sch_subject_kind),
 *     u8 power (index in powers.tsv), u8 agency + 1, u8 age band + 1, u8 sex + 1,
 *     u8 ethnicity + 1 (0: not given), u16 local authority (index in the list above + 1,
 *     0: not given), 16 bytes subject pseudonym, u16 events,
 *     and per event: u8 kind (index in events.tsv), u8 in period (0/1), u8 outcome + 1.
 * Nothing may follow the last record.  The decoder checks every length and every index
 * against its code list, and refuses a corrupt value with a message; it never reads past
 * the end it was given.
 */
#ifndef RTN_FACTS_H
#define RTN_FACTS_H

#include <stddef.h>
#include <stdint.h>

#include "asb_limits.h"
#include "err.h"

#define RTN_FACTS_VERSION	1
#define RTN_SUBJECT_BYTES	16	/* a pseudonym: 128 bits */
#define RTN_AGE_BANDS		5	/* 10-15, 16-17, 18-24, 25-34, 35+ */
#define RTN_FACTS_MAX_LA	65535	/* u16 indexes; a force has a few dozen districts */

struct rtn_event_facts {
	int		 kind;		/* index in events.tsv; -1 when not a code */
	int		 in_period;
	int		 outcome;	/* index in outcomes.tsv; -1 none */
};

struct rtn_record_facts {
	uint8_t		 subject[RTN_SUBJECT_BYTES];	/* the subject's pseudonym */
	int		 has_subject;	/* 0 when Subject was not 32 hex digits */
	int		 issued_in_period;
	int		 kind;		/* enum sch_subject_kind; -1 unknown */
	int		 power;		/* index in powers.tsv; -1 unknown */
	int		 agency;	/* index in agencies.tsv; -1 not given */
	int		 age_band;	/* 0..RTN_AGE_BANDS-1; -1 not given */
	int		 sex;		/* index in sex.tsv; -1 not given */
	int		 ethnicity;	/* index in ethnicity.tsv; -1 not given */
	uint32_t	 la;		/* rtn_la_encode of LocalAuthority; 0 not given */
	int		 la_index;	/* decoder only: index in the return's list; -1 none */
	unsigned	 nevents;
	const struct rtn_event_facts *events;	/* borrowed for the call / until the next */
};

/* The age band's index (0..4) for its code, or -1; and the code for an index ("" if none). */
int		 rtn_age_band_index(const char *code);
const char	*rtn_age_band_code(int index);
/* A local authority district code ("E08000019") as a number: 0 when it is not one. */
uint32_t	 rtn_la_encode(const char *code);
/* The code of an encoded district into buf (at least 10 bytes); "" for 0. */
char		*rtn_la_text(uint32_t la, char *buf, size_t cap);
/* 32 lower-case hex digits into 16 bytes; -1 when it is not that. */
int		 rtn_pseudonym_bytes(const char *hex, uint8_t out[RTN_SUBJECT_BYTES]);

/* ---- encoding: the facts of one return as the validator walks it -------------------------- */

struct rtn_facts_builder;

int	 rtn_facts_builder_new(struct rtn_facts_builder **ret, struct asb_errbuf *eb);
void	 rtn_facts_builder_free(struct rtn_facts_builder *b);
/* The validator's record callback (struct rtn_validate_opts.record): ctx is the builder.
 * A record the encoding cannot hold (no power, no subject kind, too many districts) or a
 * failed allocation is remembered and reported by rtn_facts_finish. */
void	 rtn_facts_collect(const struct rtn_record_facts *f, void *builder);
/*
 * The encoded facts of the return whose header is force (a code of forces.tsv), period
 * ("YYYY-Qn") and test: a malloc'd buffer the caller frees.  ASB_ERULE when a record could
 * not be encoded or the header is not one (the message says which), ASB_EIO out of memory.
 */
int	 rtn_facts_finish(struct rtn_facts_builder *b, const char *force, const char *period,
	    int test, uint8_t **ret, size_t *ret_len, struct asb_errbuf *eb);

/* ---- decoding ------------------------------------------------------------------------------ */

struct rtn_facts_reader {
	const uint8_t	*p, *end;	/* the value, borrowed */
	const uint8_t	*la;		/* the districts list */
	unsigned	 nla;
	int		 version, test, force, year, quarter;
	uint32_t	 records, done;
	unsigned	 npowers, nagencies, nsex, neth, nevents, noutcomes;	/* the lists */
	struct rtn_event_facts ev[ASB_MAX_EVENTS];
};

/* Start reading a facts value (borrowed: it must outlive the reader).  ASB_EIO with a
 * message when it is truncated, of an unknown version, or its header is out of range. */
int	 rtn_facts_open(struct rtn_facts_reader *rd, const void *buf, size_t len,
	    struct asb_errbuf *eb);
/* The encoded district at index i of the return's list. */
uint32_t rtn_facts_la(const struct rtn_facts_reader *rd, unsigned i);
/* The next record into *ret (its events borrowed from the reader): 1 a record, 0 after the
 * last (when nothing follows it), -1 a corrupt value (eb says where and what). */
int	 rtn_facts_next(struct rtn_facts_reader *rd, struct rtn_record_facts *ret,
	    struct asb_errbuf *eb);

#endif

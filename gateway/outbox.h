/*
 * outbox.h - the force's outbox: every return handed to asbgw submit, kept in an LMDB
 * environment beside the register (REGISTER/outbox) with its state, until the Home Office's
 * verified receipt says it was accepted or rejected.  Each state is written durably (LMDB
 * commit, fsync) before the step it announces, so a crash anywhere leaves a state from
 * which `asbgw send` carries on; the hub's idempotency (same ID, same bytes, same receipt)
 * makes a resend after a crash harmless.
 *
 *   built -> signed -> sending -> acknowledged
 *                         |   \-> rejected      (4xx, or a receipt that says rejected)
 *                         \-> signed, next try later (network failure, 5xx)
 *
 * Entries are versioned and explicitly encoded (outbox_codec.h); an outbox written before
 * that format (raw struct ob_entry, 520 bytes, first byte a hex digit) still opens and is
 * converted entry by entry as each changes state.  A damaged entry is ASB_EIO, with a
 * message naming it from ob_add, ob_update and ob_each.
 */
#ifndef OUTBOX_H
#define OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "err.h"

struct outbox;

struct ob_entry {
	char		 id[37];
	char		 force[16];
	char		 period[8];
	char		 sha256[65];
	char		 state[16];	/* built, signed, sending, acknowledged, rejected */
	char		 outcome[24];	/* the receipt's state: accepted, rejected, or "" */
	int		 test;
	uint32_t	 attempts;
	uint64_t	 bytes;
	asb_time	 added, last_try, next_try, done;
	int		 last_status;	/* HTTP status of the last answer, 0 for none */
	char		 last_error[300];
};

/* Backoff before attempt n+1 after n failures: 2^n seconds (capped at an hour), with
 * "equal jitter": between half and all of it.  r is a random number. */
asb_time ob_backoff(uint32_t failures, uint32_t r);

int	 ob_open(const char *register_dir, struct outbox **ret, struct asb_errbuf *eb);
void	 ob_close(struct outbox *ob);

/* Add a signed return.  The same ID with the same bytes again: ASB_OK, nothing changes
 * (*added 0).  The same ID with other bytes: ASB_ECONFLICT. */
int	 ob_add(struct outbox *ob, const struct ob_entry *e, const char *body, size_t len,
	    int *added, struct asb_errbuf *eb);
/* Write an entry's new state (and, when not NULL, the receipt or the refusal). */
int	 ob_update(struct outbox *ob, const struct ob_entry *e, const char *answer,
	    size_t alen, struct asb_errbuf *eb);
/* An entry, its body and its answer (receipt or refusal) when asked for (malloc'd). */
int	 ob_get(struct outbox *ob, const char *id, struct ob_entry *e, char **body,
	    size_t *blen, char **answer, size_t *alen);
/* Every entry, oldest first. */
int	 ob_each(struct outbox *ob, void (*fn)(const struct ob_entry *, void *), void *ctx,
	    struct asb_errbuf *eb);

#endif

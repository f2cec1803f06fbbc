/*
 * store.h - the Home Office collection store: one LMDB environment under DIR/store holding
 * every return as the exact bytes received, what was parsed from it, its signed receipt, the
 * latest accepted return per force and period (live and test apart), the registered
 * force signing certificates, and the forces' TLS client certificates registered or revoked.  Every change is one transaction, durable before it returns.
 *
 * Values are versioned and explicitly encoded (store_codec.h: a version byte, big-endian
 * integers, length-prefixed strings), never raw structs.  A store written before that format
 * still opens: an old value is a raw struct of the x86-64 build, told apart by its exact size
 * (returns 296 bytes, certificates 136, latest 36) and a first byte that is no version byte
 * (1..31; old values begin with a UUID's hex digit or a force code's letter), and read from
 * its fixed offsets; it is rewritten in the current format when it next changes.  A damaged
 * value is ASB_EIO: with a message naming its key from the functions that take an eb, bare
 * from hub_return_get, hub_cert_get and hub_latest (which have none).
 */
#ifndef HUB_STORE_H
#define HUB_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "err.h"

struct hub_store;

struct hub_cert {
	char		 code[16];		/* the force's GSS code */
	char		 fingerprint[65];	/* SHA-256 of the certificate */
	char		 not_after[32];
	asb_time	 added;
	asb_time	 revoked;		/* 0 while in use */
};

struct hub_return {
	char		 id[37];
	char		 force[16];
	char		 period[8];
	char		 supersedes[37];
	char		 sha256[65];
	char		 state[16];		/* accepted, rejected */
	char		 signer[65];		/* fingerprint of the signing certificate */
	int		 test;
	uint64_t	 bytes, records;
	uint32_t	 errors, warnings;
	asb_time	 received, decided;
	int		 latest;		/* filled by get/list: counts nationally now */
};

/* Open (create when create is set) DIR/store.  ASB_ENOTFOUND if it does not exist. */
int	 hub_store_open(const char *dir, int create, struct hub_store **ret,
	    struct asb_errbuf *eb);
void	 hub_store_close(struct hub_store *st);

/* Force certificates.  add: ASB_ECONFLICT when registered already (to any force). */
int	 hub_cert_add(struct hub_store *st, const struct hub_cert *c, struct asb_errbuf *eb);
/* revoke: ASB_ENOTFOUND when that force has no such certificate; ASB_ECONFLICT if revoked
 * already. */
int	 hub_cert_revoke(struct hub_store *st, const char *code, const char *fingerprint,
	    asb_time now, struct asb_errbuf *eb);
int	 hub_cert_get(struct hub_store *st, const char *fingerprint, struct hub_cert *ret);
int	 hub_cert_each(struct hub_store *st, void (*fn)(const struct hub_cert *, void *),
	    void *ctx, struct asb_errbuf *eb);

/*
 * Force TLS client certificates (store_tls.c), kept apart from the signing certificates:
 * the same struct, code and fingerprint its key.  A record is registered (added != 0) or
 * only revoked (added 0: a certificate never registered but refused all the same).
 *   add:    c->added set; ASB_ECONFLICT when that force has the certificate already
 *           (registered or revoked); ASB_EUSAGE for a code or fingerprint of the wrong shape.
 *   revoke: c's code, fingerprint and not_after; the record is made when there is none.
 *           ASB_ECONFLICT when revoked already.
 *   lookup: ASB_OK with *ret when code has a record of fingerprint, ASB_ENOTFOUND when not;
 *           either way *registered says whether code has any registered certificate
 *           (revoked or not): one read transaction, cheap enough for every connection.
 *   each:   every record, by force.
 * ASB_EIO for a store that cannot be read or written (eb names it).
 */
/* Operators' TLS client certificates (asbhub operator; GET /v1/metrics) are kept with the
 * forces' under this code, which no force has ('~' is in no ONS code): the same encoding,
 * the same revocation, read on every connection. */
#define HUB_OPERATOR_CODE	"~operator"
int	 hub_tls_add(struct hub_store *st, const struct hub_cert *c, struct asb_errbuf *eb);
int	 hub_tls_revoke(struct hub_store *st, const struct hub_cert *c, asb_time now,
	    struct asb_errbuf *eb);
int	 hub_tls_lookup(struct hub_store *st, const char *code, const char *fingerprint,
	    struct hub_cert *ret, int *registered, struct asb_errbuf *eb);
int	 hub_tls_each(struct hub_store *st, void (*fn)(const struct hub_cert *, void *),
	    void *ctx, struct asb_errbuf *eb);

/* One return's facts, and optionally (when not NULL) its receipt and its bytes (malloc'd).
 * ASB_ENOTFOUND when there is none. */
int	 hub_return_get(struct hub_store *st, const char *id, struct hub_return *ret,
	    char **receipt, size_t *rlen, char **body, size_t *blen);

/*
 * Store a decided return in one transaction: its record, the bytes received, the receipt,
 * the facts of its records (return/facts.h; NULL for a rejected return), and - when
 * accepted - the force's latest return for the period (live or test).  If the ID
 * is stored already: the same SHA-256 gives ASB_EXISTS-style ASB_ECONFLICT with *same set to
 * 1 (the caller answers with the stored receipt); another SHA-256 gives ASB_ECONFLICT with
 * *same 0.
 */
int	 hub_return_put(struct hub_store *st, const struct hub_return *r, const char *body,
	    size_t blen, const char *receipt, size_t rlen, const void *facts, size_t flen,
	    int *same, struct asb_errbuf *eb);

/*
 * The facts of a stored return (what the national figures count: return/facts.h), handed
 * to fn borrowed, inside one read transaction; fn's return is returned.  ASB_ENOTFOUND
 * (with a message) when the return has none: a store from before facts, not reindexed.
 */
int	 hub_facts_read(struct hub_store *st, const char *id,
	    int (*fn)(const void *facts, size_t len, void *ctx), void *ctx,
	    struct asb_errbuf *eb);
/* Store the facts of a stored return (asbhub reindex) in their own transaction; id NULL
 * marks the store current (every accepted return has its facts). */
/* The bytes of a stored return handed to fn borrowed, inside one read transaction (nothing
 * copied: a reader of its Header touches its first pages only); fn's return is returned.
 * ASB_ENOTFOUND when there are none. */
int	 hub_body_read(struct hub_store *st, const char *id,
	    int (*fn)(const char *body, size_t len, void *ctx), void *ctx,
	    struct asb_errbuf *eb);
int	 hub_facts_put(struct hub_store *st, const char *id, const void *facts, size_t flen,
	    struct asb_errbuf *eb);
/* 1 when every accepted return has its facts: a store made or reindexed by this release. */
int	 hub_facts_current(struct hub_store *st);

/*
 * Quarantine an accepted return this release's validator refuses: state "quarantined", never
 * counted; when it was its force's latest for the period, the newest other accepted return of
 * that force, period and kind (live or test) becomes the latest, or none.  Bytes and receipt
 * are kept.  ASB_ENOTFOUND, ASB_EIO.
 */
int	 hub_return_quarantine(struct hub_store *st, const char *id, struct asb_errbuf *eb);

/* The latest accepted return's ID for force+period (live or test), or ASB_ENOTFOUND. */
int	 hub_latest(struct hub_store *st, const char *force, const char *period, int test,
	    char id[37]);

/* Every return in the order received, filtered by force and/or period when not NULL. */
int	 hub_return_each(struct hub_store *st, const char *force, const char *period,
	    void (*fn)(const struct hub_return *, void *), void *ctx,
	    struct asb_errbuf *eb);

#endif

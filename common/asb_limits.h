/*
 * asb_limits.h - every cap on input from outside, in one place, each with the
 * reason for its number.  Anything filled from a file, a command line or the
 * network is checked against one of these before it is stored.
 */
#ifndef ASB_ASB_LIMITS_H
#define ASB_ASB_LIMITS_H

/* A name, officer reference, incident reference or code: long enough for
 * any real one (PNC IDs are 11 characters, staff numbers fewer). */
#define ASB_MAX_SHORT		64
/* A person's name, an address or a place description. */
#define ASB_MAX_NAME		256
/* The conditions or prohibitions of an order, as written on it. */
#define ASB_MAX_TEXT		4096
/* A free-text note on an event. */
#define ASB_MAX_NOTE		1024
/* One CSV field and one CSV row: a row holds at most one conditions text
 * plus short fields, so 64 KiB refuses runaway quoting without refusing
 * real data. */
#define ASB_MAX_CSV_FIELD	ASB_MAX_TEXT
#define ASB_MAX_CSV_ROW		65536
#define ASB_MAX_CSV_FIELDS	64
/* Events on one record: an order with a thousand breaches is already a
 * data error; the cap bounds the memory status derivation needs. */
#define ASB_MAX_EVENTS		1000
/* IDs named in one audit entry; beyond this the entry counts them. */
#define ASB_MAX_AUDIT_IDS	32
/* LMDB map size: a hard ceiling, not an allocation (the file is sparse).
 * 16 GiB holds about 20 million records with their indexes and events. */
#define ASB_REG_MAPSIZE		(16ULL << 30)

#endif

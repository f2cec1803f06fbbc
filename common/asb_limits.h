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

/* ---- the return, at both ends --------------------------------------------------------------
 * One cap on the size of a return, shared by the force and the Home Office so that nothing
 * the gateway builds, validates and queues is ever refused by the hub for its size.
 *
 * Measured (asbsynth --scale 40, asbgw build, December 2026): 614 bytes a record on average
 * (14,821 records with 923 events in 9,097,211 bytes; bench/hub's returns are 500 bytes a
 * record).  The busiest force uses these powers a few thousand times a quarter (the national
 * total is a few tens of thousands a year: DESIGN.md, Scale): its return is 2 to 5 MB.  64 MiB
 * - about 109,000 records of 614 bytes, or 65,000 of 1 KiB with events - is twenty times that.
 * It was 256 MiB; the hub's memory budget (ASB_HUB_COST_FACTOR) made it 64: a return in the
 * hub costs 16 times its bytes while it is checked, so the largest takes 1 GiB, not 4. */
#define ASB_MAX_RETURN_BYTES	(64ULL << 20)
/* What the enveloped signature adds to a return (SignedInfo, the value and a certificate
 * chain of at most ASB_MAX_SIG_CERTS certificates of a few KiB each). */
#define ASB_MAX_SIGNATURE_BYTES	(64ULL << 10)
/* The hub's default body cap (asbhub serve --max-body): a signed return of the largest size
 * the gateway builds.  The option may raise it up to ASB_HUB_MAX_BODY_CEILING. */
#define ASB_HUB_MAX_BODY	(ASB_MAX_RETURN_BYTES + ASB_MAX_SIGNATURE_BYTES)
#define ASB_HUB_MAX_BODY_CEILING	(4ULL << 30)
/* The certificates one signature may carry: the signer and a short chain (an issuing CA
 * and one intermediate).  More is a way to make the verifier work, never a real chain. */
#define ASB_MAX_SIG_CERTS	3
/* A return nests five deep (Return/Records/Record/Events/Event); anything deeper is not
 * one, and the cap keeps a hostile nesting far below libxml2's own limit. */
#define ASB_MAX_XML_DEPTH	8
/* The cheap structural pass over a body's bytes (return/xml.c), before libxml2 builds a tree.
 * Each cap is far above what the format (schema/asb-return-1.xsd) or the signature needs and
 * far below where libxml2's own costs turn superlinear (60,000 attributes on one element took
 * 32 s to parse: libxml2 2.9 appends each attribute by walking the list of the ones before).
 * Names: the longest in the format is ds:CanonicalizationMethod (25 bytes). */
#define ASB_MAX_XML_NAME	128
/* Attributes (namespace declarations included) on one element: the most in the format is
 * an Event's seven, plus a root's namespace declarations. */
#define ASB_MAX_XML_ATTRS	32
/* One run of text or one attribute value, in bytes: the longest in a return is a base64
 * certificate in KeyInfo (a few KiB); a field holds at most ASB_MAX_TEXT characters. */
#define ASB_MAX_XML_TEXT	(64u << 10)
/* Elements inside one ds:Signature: the protocol's is 16 (SignedInfo with its methods,
 * one Reference with two Transforms, SignatureValue, KeyInfo/X509Data and 3 certificates). */
#define ASB_MAX_SIG_ELEMENTS	32
/* The prolog before the root element: an XML declaration and white space. */
#define ASB_MAX_PROLOG		65536
/* The time one intake's checks may take (asbhub serve --time-budget): the largest return,
 * 64 MiB, is parsed, verified and validated in about 8 s on the 2-core machine of
 * DEPENDENCY-NOTES.md (46 MB/s to parse, 27 MB/s to verify, 61 MB/s to validate); a minute,
 * then the request is refused (503) and the worker is free. */
#define ASB_HUB_TIME_BUDGET_MS	60000
/* ---- the hub's admission (asbhub serve; hub/conn.c) ----------------------------------------
 * A TLS handshake takes a few milliseconds even over a slow link; 5 s is generous and is what
 * a stalled one may hold a slot for. */
#define ASB_HUB_HANDSHAKE_MS	5000
/* A request head (request line and a few headers, well under 1 KiB) from its first byte: 10 s,
 * counted from the accept for the first request of a connection. */
#define ASB_HUB_HEADER_MS	10000
/* The body's minimum rate, bytes a second after a second's grace: 16 KiB/s (128 kbit/s) is
 * below any link a force submits over; the largest return at that rate still arrives in 4.5
 * hours, and a client that stalls is cut off within seconds. */
#define ASB_HUB_MIN_RATE	16384
/* Connections before a completed handshake from one address: a force's gateway opens one at a
 * time; a few allow for NAT in front of several. */
#define ASB_HUB_MAX_UNAUTH_ADDR	4
/* A request line and its headers. */
#define ASB_HUB_MAX_HEAD	16384
/* What one admitted body costs while it is received and checked, as a multiple of its bytes:
 * the body in evhttp's buffer and libxml2's tree of it (the tree is freed before validation,
 * which streams).  Measured (December 2026, the pretty-printed example return replicated to
 * 7.5 MB and 75 MB): the hub's peak RSS rose by 13.1 and 13.4 times the body; 16 leaves room
 * for the signature's canonical form. */
#define ASB_HUB_COST_FACTOR	16
/* The memory budget for all bodies being received and checked at once (asbhub serve
 * --memory-budget): what the largest return (ASB_HUB_MAX_BODY, 64 MiB) costs by the factor
 * above, about 1 GiB: one of those at a time, or fifty returns of a realistic size. */
#define ASB_HUB_MEMORY_BUDGET	(ASB_HUB_COST_FACTOR * ASB_HUB_MAX_BODY)
/* Seconds SIGTERM waits for returns being checked before the process stops without them. */
#define ASB_HUB_GRACE		10
/* Findings kept in one receipt: enough to fix a return, small enough to stay a receipt. */
#define ASB_MAX_RECEIPT_FINDINGS	100
/* A hub answer (a receipt with its findings, a listing) read by the gateway's client. */
#define ASB_MAX_ANSWER		(16u << 20)
/* A PEM file: a key, a certificate or a CA bundle. */
#define ASB_MAX_PEM		(1u << 20)
/* A force's explanations of its warnings in one return (Header/Explanations, the XSD's
 * maxOccurs and maxLength): a note per warning, not a report; a few sentences each. */
#define ASB_MAX_EXPLANATIONS	50
#define ASB_MAX_EXPLANATION_CHARS 1000
/* A file of explanations (asbgw build --explanations): fifty full ones are about 200 KiB. */
#define ASB_MAX_EXPLAIN_FILE	(256u << 10)

#if ASB_HUB_MAX_BODY < ASB_MAX_RETURN_BYTES + ASB_MAX_SIGNATURE_BYTES
#error "the hub must accept the largest signed return the gateway builds"
#endif

#endif

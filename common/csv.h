/*
 * csv.h - a streaming RFC 4180 CSV reader with fixed caps.
 *
 * Fields are separated by commas, rows end with LF or CRLF, and a field in
 * double quotes may hold commas, doubled quotes and line breaks.  Memory is
 * bounded by ASB_MAX_CSV_ROW whatever the file holds.  A UTF-8 byte order
 * mark at the very start is skipped, as spreadsheets write one.  A cell the writer
 * guarded against formula injection is read back with csv_unguard (below).
 */
#ifndef ASB_CSV_H
#define ASB_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

struct csv_reader;

/* Start reading f (borrowed: the caller closes it).  NULL on ENOMEM. */
struct csv_reader *csv_reader_new(FILE *f);
void	 csv_reader_free(struct csv_reader *r);

/*
 * Read the next row.  Returns ASB_OK and points *ret_fields at *ret_n
 * NUL-terminated fields, valid until the next call; at the end of input
 * *ret_fields is NULL and *ret_n 0.  Returns ASB_ERULE with eb filled
 * (rule R-CSV-001, "line N: ...") for a malformed row:
 * an unterminated quote, a quote inside an unquoted field, text after a
 * closing quote, a NUL byte, a field or row over its cap, too many fields.
 * After a malformed row the reader resynchronises at the next line break
 * outside quotes, so a caller may go on.  ASB_EIO on a read error.
 */
int	 csv_reader_next(struct csv_reader *r, char ***ret_fields,
	    size_t *ret_n, struct asb_errbuf *eb);

/* The line (1-based) on which the last row returned started. */
size_t	 csv_reader_line(const struct csv_reader *r);

/*
 * Formula injection.  A spreadsheet opening a CSV file runs a cell as a formula when, past
 * any leading white space, it starts with = + - or @, or their fullwidth forms (U+FF1D,
 * U+FF0B, U+FF0D, U+FF20, which some spreadsheets fold to ASCII); a cell that starts with a
 * TAB or CR can be one too.  The writer (csv_field, json.h) neutralises such a cell by putting
 * an apostrophe before it, which makes any spreadsheet read it as text.
 *
 * The rule, so that an export read back gives exactly what was written: a cell is guarded
 * when, with its leading apostrophes set aside, it starts with a TAB, CR or LF, or its first
 * character that is not white space (space, TAB, CR, LF, U+00A0, U+3000) is one of the eight
 * above.  The writer adds one apostrophe to a guarded cell; the reader (csv_unguard) removes
 * one from a cell that starts with an apostrophe and is guarded.  Because an apostrophe in
 * front changes nothing in the rule, every text comes back as it was: "=1" is written '=1
 * and read =1; "'=1" (data that starts with an apostrophe) is written ''=1 and read '=1;
 * "'Kay" is not guarded and passes both ways untouched.
 */
/* 1 when the writer puts an apostrophe before s. */
int	 csv_guarded(const char *s);
/* Undo the writer's apostrophe in place: drops a leading apostrophe of a guarded cell. */
void	 csv_unguard(char *s);

#endif

/*
 * csv.h - a streaming RFC 4180 CSV reader with fixed caps.
 *
 * Fields are separated by commas, rows end with LF or CRLF, and a field in
 * double quotes may hold commas, doubled quotes and line breaks.  Memory is
 * bounded by ASB_MAX_CSV_ROW whatever the file holds.  A UTF-8 byte order
 * mark at the very start is skipped, as spreadsheets write one.
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

#endif

/*
 * json.h - writing JSON and CSV text safely.  Only writing: the project never
 * parses JSON.  Callers build objects with these helpers so every string is
 * escaped in one place.
 */
#ifndef ASB_JSON_H
#define ASB_JSON_H

#include <stdint.h>
#include <stdio.h>

/* Write s as a JSON string (with quotes), escaping as RFC 8259 requires. */
void	json_str(FILE *f, const char *s);

/* Write `"key":` followed by a string, integer, boolean or null value.
 * first is 1 for the first member of an object (no comma before it). */
void	json_kv_str(FILE *f, int first, const char *key, const char *val);
void	json_kv_int(FILE *f, int first, const char *key, int64_t val);
void	json_kv_bool(FILE *f, int first, const char *key, int val);
/* A string value, or null when val is NULL or empty. */
void	json_kv_strn(FILE *f, int first, const char *key, const char *val);
/* `"key":` only, for nested values the caller writes itself. */
void	json_key(FILE *f, int first, const char *key);

/* Write s as one CSV field (RFC 4180): quoted when it holds a comma, a
 * quote, a CR or LF, or leading/trailing space; quotes doubled.  A field a
 * spreadsheet could run as a formula (csv_guarded, csv.h: = + - @ past any
 * white space, their fullwidth forms, a leading TAB or CR) gets a leading
 * apostrophe inside the quotes; csv_unguard takes it off when it is read back. */
void	csv_field(FILE *f, const char *s);

#endif

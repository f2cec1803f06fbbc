/*
 * ods.h - a small OpenDocument spreadsheet writer, knowing nothing of reports: sheets of rows
 * of cells, text or numbers (a number is stored as a number, office:value-type="float"),
 * written with libxml2's xmlTextWriter into a zip made with libzip, the "mimetype" entry
 * first and stored uncompressed as ODF 1.2 part 3 asks, then content.xml, styles.xml,
 * meta.xml and META-INF/manifest.xml.  Every entry carries the one date given (the zip's
 * timestamps included), so the same calls give the same bytes.
 *
 * Usage: ods_new, then per sheet ods_sheet (its name: at most 31 characters, no []*?/\:),
 * ods_row and its cells, then ods_save to write the file and ods_free.  Errors are sticky:
 * the first failure is kept and ods_save reports it (ASB_EIO, or ASB_EUSAGE for a bad sheet
 * name), so the building calls return nothing.
 */
#ifndef HUB_ODS_H
#define HUB_ODS_H

#include "date.h"
#include "err.h"

#define ODS_SHEET_NAME_MAX	31	/* Excel's limit, which the guidance adopts */

struct ods;

/* A workbook titled title (meta.xml), dated stamp (0: 1980-01-01, the zip's epoch). */
struct ods *ods_new(const char *title, asb_time stamp);
void	 ods_free(struct ods *o);

void	 ods_sheet(struct ods *o, const char *name);
void	 ods_row(struct ods *o);
/* A text cell; a heading (bold, larger) with ods_title. */
void	 ods_text(struct ods *o, const char *s);
void	 ods_title(struct ods *o, const char *s);
void	 ods_num(struct ods *o, double v, int decimals);
void	 ods_int(struct ods *o, long long v);

/* Write the workbook to path, whole or not at all (a temporary file beside it, renamed). */
int	 ods_save(struct ods *o, const char *path, struct asb_errbuf *eb);

#endif

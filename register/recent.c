/*
 * recent.c - the newest records, for the web application's home page: a cursor walked back
 * from the last record ID (IDs are taken in order, so the highest is the newest), reading
 * only as many records as asked for, whatever the register's size.
 */
#include "internal.h"

int
reg_records_recent(struct reg *r, size_t max, int (*fn)(const struct reg_record *, void *),
    void *ctx, struct asb_errbuf *eb)
{
	struct reg_record rec;
	MDB_cursor *c;
	MDB_val k, v;
	size_t n = 0;
	int rc, err = ASB_OK;

	if ((rc = mdb_cursor_open(r->txn, r->dbi[DB_RECORDS], &c)) != 0)
		return reg_lmdb_fail(eb, rc, "records");
	for (rc = mdb_cursor_get(c, &k, &v, MDB_LAST); rc == 0 && n < max;
	    rc = mdb_cursor_get(c, &k, &v, MDB_PREV), n++) {
		if (reg_dec_record(v.mv_data, v.mv_size, &rec) == -1) {
			err = asb_fail(eb, ASB_EIO, NULL, "stored record is damaged");
			break;
		}
		rec.id = reg_key_id(&k);
		if (fn(&rec, ctx) != 0)
			break;
	}
	if (err == ASB_OK && rc != 0 && rc != MDB_NOTFOUND)
		err = reg_lmdb_fail(eb, rc, "records");
	mdb_cursor_close(c);
	return err;
}

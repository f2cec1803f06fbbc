/*
 * check_envcopy.c - common/envcopy.c, the machinery under backup and restore: a copy holds
 * exactly the state of the read transactions around it, and is refused when its counts are
 * not those (a table of wrong counts); destinations that are not new or empty are refused;
 * files are written 0600 whatever the umask and never over another file; an environment
 * another process has open is seen as in use (naming it); a restore begins only beside a
 * directory it may replace and ends by renames that keep the old one.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "envcopy.h"

static char top[64];

static void
setup(void)
{
	snprintf(top, sizeof(top), "/tmp/check-envcopy-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(top));
}

static void
teardown(void)
{
	bk_remove(top, 1);
}

static void
path(char *buf, size_t cap, const char *name)
{
	snprintf(buf, cap, "%s/%s", top, name);
}

/* An environment in dir with two named databases of n and 2n entries. */
static void
make_env(const char *dir, int n)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi a, b;
	MDB_val k, v;
	char key[16];
	int i;

	ck_assert_int_eq(mkdir(dir, 0700), 0);
	ck_assert_int_eq(mdb_env_create(&env), 0);
	ck_assert_int_eq(mdb_env_set_maxdbs(env, 4), 0);
	ck_assert_int_eq(mdb_env_open(env, dir, 0, 0600), 0);
	ck_assert_int_eq(mdb_txn_begin(env, NULL, 0, &txn), 0);
	ck_assert_int_eq(mdb_dbi_open(txn, "records", MDB_CREATE, &a), 0);
	ck_assert_int_eq(mdb_dbi_open(txn, "events", MDB_CREATE, &b), 0);
	for (i = 0; i < 2 * n; i++) {
		snprintf(key, sizeof(key), "k%06d", i);
		k.mv_size = strlen(key);
		k.mv_data = key;
		v = k;
		if (i < n)
			ck_assert_int_eq(mdb_put(txn, a, &k, &v, 0), 0);
		ck_assert_int_eq(mdb_put(txn, b, &k, &v, 0), 0);
	}
	ck_assert_int_eq(mdb_txn_commit(txn), 0);
	mdb_env_close(env);
}

START_TEST(test_copy_exact)
{
	struct bk_counts before, after, copy;
	struct asb_errbuf eb;
	char src[128], dst[128], f[160];
	struct stat sb;
	MDB_env *env;
	int exact = -1;

	path(src, sizeof(src), "src");
	path(dst, sizeof(dst), "dst");
	make_env(src, 500);
	asb_errbuf_clear(&eb);
	ck_assert_int_eq(bk_env_open(src, &env, &eb), ASB_OK);
	umask(0);	/* the copy is 0600 all the same */
	ck_assert_int_eq(bk_env_copy(env, dst, &before, &after, &exact, &eb), ASB_OK);
	umask(022);
	ck_assert_int_eq(exact, 1);
	ck_assert_uint_eq(before.txnid, after.txnid);
	ck_assert_uint_eq(bk_count(&before, "records"), 500);
	ck_assert_uint_eq(bk_count(&before, "events"), 1000);
	/* a second copy into the same place is never written over the first */
	ck_assert_int_eq(bk_env_copy(env, dst, &before, &after, &exact, &eb), ASB_ECONFLICT);
	mdb_env_close(env);
	snprintf(f, sizeof(f), "%s/data.mdb", dst);
	ck_assert_int_eq(stat(f, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	ck_assert_int_eq(stat(dst, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0700);
	ck_assert_int_eq(bk_env_open(dst, &env, &eb), ASB_OK);
	ck_assert_int_eq(bk_counts(env, &copy, &eb), ASB_OK);
	mdb_env_close(env);
	ck_assert_int_eq(bk_counts_check(&copy, &before, &after, 1, NULL, &eb), ASB_OK);
}
END_TEST

/* Wrong counts a copy could show, each refused: (database, entries in the copy). */
static const struct {
	const char	*db;
	uint64_t	 n;
	int		 exact;
	const char	*msg;
} wrong[] = {
	{ "records", 9, 1, "the copy's records holds 9 entries, the original's 10" },
	{ "events", 21, 1, "the copy's events holds 21 entries, the original's 20" },
	{ "records", 9, 0, "the copy's records holds 9 entries, outside the original's 10 to 12" },
	{ "records", 13, 0, "outside the original's 10 to 12" },
};

static void
counts(struct bk_counts *c, uint64_t records, uint64_t events)
{
	memset(c, 0, sizeof(*c));
	c->n = 2;
	snprintf(c->name[0], sizeof(c->name[0]), "records");
	snprintf(c->name[1], sizeof(c->name[1]), "events");
	c->entries[0] = records;
	c->entries[1] = events;
}

START_TEST(test_counts_wrong)
{
	static const char *const grows[] = { "records", "events", NULL };
	struct bk_counts before, after, copy;
	struct asb_errbuf eb;

	counts(&before, 10, 20);
	counts(&after, 12, 20);
	counts(&copy, 10, 20);
	if (strcmp(wrong[_i].db, "records") == 0)
		copy.entries[0] = wrong[_i].n;
	else
		copy.entries[1] = wrong[_i].n;
	asb_errbuf_clear(&eb);
	ck_assert_int_eq(bk_counts_check(&copy, &before, wrong[_i].exact ? &before : &after,
	    wrong[_i].exact, grows, &eb), ASB_EIO);
	ck_assert_msg(strstr(eb.msg, wrong[_i].msg) != NULL, "message: %s", eb.msg);
}
END_TEST

START_TEST(test_counts_bounds_ok)
{
	static const char *const grows[] = { "records", NULL };
	struct bk_counts before, after, copy;
	struct asb_errbuf eb;

	counts(&before, 10, 20);
	counts(&after, 12, 5);	/* events is an index that shrank: not checked */
	counts(&copy, 11, 7);
	ck_assert_int_eq(bk_counts_check(&copy, &before, &after, 0, grows, &eb), ASB_OK);
	/* a database the copy lacks is refused when the state is exact */
	copy.n = 1;
	ck_assert_int_eq(bk_counts_check(&copy, &before, &before, 1, grows, &eb), ASB_EIO);
}
END_TEST

START_TEST(test_dest)
{
	struct asb_errbuf eb;
	char d[128], f[160];
	struct stat sb;
	FILE *fp;

	path(d, sizeof(d), "new");
	ck_assert_int_eq(bk_dest_prepare(d, &eb), ASB_OK);
	ck_assert_int_eq(stat(d, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0700);
	ck_assert_int_eq(bk_dest_prepare(d, &eb), ASB_OK);	/* empty: taken */
	snprintf(f, sizeof(f), "%s/x", d);
	ck_assert_ptr_nonnull(fp = fopen(f, "w"));
	fclose(fp);
	ck_assert_int_eq(bk_dest_prepare(d, &eb), ASB_ECONFLICT);
	ck_assert_msg(strstr(eb.msg, "is not empty (it holds 'x')") != NULL, "%s", eb.msg);
	ck_assert_int_eq(bk_dest_prepare(f, &eb), ASB_ECONFLICT);
	ck_assert_msg(strstr(eb.msg, "not a directory") != NULL, "%s", eb.msg);
	ck_assert_int_eq(bk_dest_prepare("/proc/no/such/dir", &eb), ASB_EIO);
}
END_TEST

START_TEST(test_file_copy)
{
	struct asb_errbuf eb;
	char a[128], b[128];
	struct stat sb;
	FILE *fp;

	path(a, sizeof(a), "a");
	path(b, sizeof(b), "b");
	ck_assert_ptr_nonnull(fp = fopen(a, "w"));
	fputs("secret", fp);
	fclose(fp);
	chmod(a, 0644);
	umask(0);
	ck_assert_int_eq(bk_file_copy(a, b, &eb), ASB_OK);
	umask(022);
	ck_assert_int_eq(stat(b, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	ck_assert_int_eq(sb.st_size, 6);
	ck_assert_int_eq(bk_file_copy(a, b, &eb), ASB_ECONFLICT);	/* never over a file */
	path(a, sizeof(a), "none");
	ck_assert_int_eq(bk_file_copy(a, b, &eb), ASB_ENOTFOUND);
}
END_TEST

START_TEST(test_in_use)
{
	char d[128], tmp[256], old[256];
	struct asb_errbuf eb;
	int fds[2], state;
	MDB_env *env;
	long pid = 0;
	pid_t child;
	char c;

	path(d, sizeof(d), "live");
	make_env(d, 3);
	ck_assert_int_eq(bk_in_use(d, &pid), 0);
	ck_assert_int_eq(pipe(fds), 0);
	if ((child = fork()) == 0) {
		if (bk_env_open(d, &env, &eb) != ASB_OK)
			_exit(1);
		if (write(fds[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	ck_assert_int_eq(read(fds[0], &c, 1), 1);
	ck_assert_int_eq(bk_in_use(d, &pid), 1);
	ck_assert_int_eq(pid, child);
	/* a restore over it is refused, even with force, and makes nothing beside it */
	ck_assert_int_eq(bk_restore_begin(d, 1, tmp, sizeof(tmp), &state, &eb), ASB_ECONFLICT);
	ck_assert_msg(strstr(eb.msg, "in use by process") != NULL, "%s", eb.msg);
	kill(child, SIGKILL);	/* not TERM: the child has Check's handler, which kills the group */
	waitpid(child, NULL, 0);
	close(fds[0]);
	close(fds[1]);
	ck_assert_int_eq(bk_in_use(d, &pid), 0);
	/* not in use: refused without force, then begun beside it and swapped in */
	ck_assert_int_eq(bk_restore_begin(d, 0, tmp, sizeof(tmp), &state, &eb), ASB_ECONFLICT);
	ck_assert_int_eq(bk_restore_begin(d, 1, tmp, sizeof(tmp), &state, &eb), ASB_OK);
	ck_assert_int_eq(state, BK_DIR_FULL);
	ck_assert_msg(strncmp(tmp, top, strlen(top)) == 0 && strstr(tmp, "/.live.restore-"),
	    "%s", tmp);
	ck_assert_int_eq(bk_restore_finish(tmp, d, state, old, sizeof(old), &eb), ASB_OK);
	ck_assert_msg(strstr(old, "/live.replaced-") != NULL, "%s", old);
	ck_assert_int_eq(access(old, F_OK), 0);
	ck_assert_int_eq(access(tmp, F_OK), -1);
	/* into nothing: made, nothing replaced */
	path(d, sizeof(d), "fresh");
	ck_assert_int_eq(bk_restore_begin(d, 0, tmp, sizeof(tmp), &state, &eb), ASB_OK);
	ck_assert_int_eq(state, BK_DIR_MISSING);
	ck_assert_int_eq(bk_restore_finish(tmp, d, state, old, sizeof(old), &eb), ASB_OK);
	ck_assert_str_eq(old, "");
	ck_assert_int_eq(access(d, F_OK), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("envcopy");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_copy_exact);
	tcase_add_loop_test(tc, test_counts_wrong, 0, sizeof(wrong) / sizeof(wrong[0]));
	tcase_add_test(tc, test_counts_bounds_ok);
	tcase_add_test(tc, test_dest);
	tcase_add_test(tc, test_file_copy);
	tcase_add_test(tc, test_in_use);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}

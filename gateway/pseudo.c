/*
 * pseudo.c - pseudonyms and periods.  Keyed hashing (HMAC-SHA256) with a secret the force
 * keeps: an unkeyed hash of a register ID or a name could be reversed by trying every value,
 * a keyed one cannot without the key (DOMAIN.md, data protection).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gw.h"
#include "num.h"

/* HMAC-SHA256 (RFC 2104) with the key's inner and outer hash states computed once: a
 * return needs three pseudonyms a record, and setting the key up each time was most of
 * their cost. */
struct gw_key {
	EVP_MD_CTX	*inner;		/* SHA-256 after (key ^ ipad) */
	EVP_MD_CTX	*outer;		/* SHA-256 after (key ^ opad) */
	EVP_MD_CTX	*work;
};

struct gw_key *
gw_key_new(const unsigned char *bytes, size_t len)
{
	unsigned char ipad[64], opad[64];
	struct gw_key *k;
	size_t i;

	if (len == 0 || len > 64 || (k = calloc(1, sizeof(*k))) == NULL)
		return NULL;
	memset(ipad, 0x36, sizeof(ipad));
	memset(opad, 0x5c, sizeof(opad));
	for (i = 0; i < len; i++) {
		ipad[i] ^= bytes[i];
		opad[i] ^= bytes[i];
	}
	k->inner = EVP_MD_CTX_new();
	k->outer = EVP_MD_CTX_new();
	k->work = EVP_MD_CTX_new();
	if (k->inner == NULL || k->outer == NULL || k->work == NULL ||
	    EVP_DigestInit_ex(k->inner, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(k->inner, ipad, sizeof(ipad)) != 1 ||
	    EVP_DigestInit_ex(k->outer, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(k->outer, opad, sizeof(opad)) != 1) {
		gw_key_free(k);
		k = NULL;
	}
	OPENSSL_cleanse(ipad, sizeof(ipad));
	OPENSSL_cleanse(opad, sizeof(opad));
	return k;
}

void
gw_key_free(struct gw_key *k)
{
	if (k == NULL)
		return;
	EVP_MD_CTX_free(k->inner);	/* EVP_MD_CTX_free cleanses the state */
	EVP_MD_CTX_free(k->outer);
	EVP_MD_CTX_free(k->work);
	free(k);
}

int
gw_key_load(const char *dir, struct gw_key **ret, struct asb_errbuf *eb)
{
	unsigned char buf[33];
	char path[4200];
	struct stat st;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/force.key", dir);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW)) == -1)
		return asb_fail(eb, errno == ENOENT ? ASB_ENOTFOUND : ASB_EIO,
		    NULL, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) == -1 || (st.st_mode & 077) != 0) {
		close(fd);
		return asb_fail(eb, ASB_EIO, NULL, "%s: readable by others; "
		    "the pseudonymisation key must be private (chmod 600)", path);
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n != 32) {
		OPENSSL_cleanse(buf, sizeof(buf));
		return asb_fail(eb, ASB_EIO, NULL, "%s: not a 32-byte key", path);
	}
	*ret = gw_key_new(buf, 32);
	OPENSSL_cleanse(buf, sizeof(buf));
	return *ret != NULL ? ASB_OK : asb_fail(eb, ASB_EIO, NULL, "out of memory");
}

void
gw_pseudonym(const struct gw_key *k, const char *kind, const char *force,
    uint64_t id, char *out)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char mac[EVP_MAX_MD_SIZE], ih[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0, ilen = 0;
	char msg[96];
	int n, i;

	n = snprintf(msg, sizeof(msg), "%s:%s:%" PRIu64, kind, force, id);
	if (EVP_MD_CTX_copy_ex(k->work, k->inner) != 1 ||
	    EVP_DigestUpdate(k->work, msg, (size_t)n) != 1 ||
	    EVP_DigestFinal_ex(k->work, ih, &ilen) != 1 ||
	    EVP_MD_CTX_copy_ex(k->work, k->outer) != 1 ||
	    EVP_DigestUpdate(k->work, ih, ilen) != 1 ||
	    EVP_DigestFinal_ex(k->work, mac, &maclen) != 1 ||
	    maclen < GW_PSEUDONYM_LEN / 2) {
		memset(out, '0', GW_PSEUDONYM_LEN);
		out[GW_PSEUDONYM_LEN] = '\0';
		return;
	}
	for (i = 0; i < GW_PSEUDONYM_LEN / 2; i++) {
		out[2 * i] = hex[mac[i] >> 4];
		out[2 * i + 1] = hex[mac[i] & 15];
	}
	out[GW_PSEUDONYM_LEN] = '\0';
}

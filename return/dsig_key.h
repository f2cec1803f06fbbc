/*
 * dsig_key.h - private to return/: the layout of a loaded signing key (dsig.h keeps it
 * opaque).  The PEM bytes are held, not an xmlsec key object, so that every signature makes
 * a key of its own and threads share nothing mutable; they are cleansed when freed.
 */
#ifndef DSIG_KEY_H
#define DSIG_KEY_H

#include <stddef.h>

#include <openssl/evp.h>

#include "dsig.h"

struct dsig_key {
	char			*key_pem;
	size_t			 key_len;
	char			*cert_pem;
	size_t			 cert_len;
	char			 key_file[256];		/* for messages */
	char			 cert_file[256];
	struct dsig_signer	 signer;		/* the certificate's CN and dates */
	/* for detached signatures (refusals), parsed once: decoding a PEM key costs about
	 * 1 ms in OpenSSL 3, a signature 0.05 ms.  An EVP_PKEY that is not modified may be
	 * used by several threads at once (OpenSSL's threads(7)). */
	EVP_PKEY		*pkey;
	char			*cert_b64;		/* the certificate, DER, base64 */
};

#endif

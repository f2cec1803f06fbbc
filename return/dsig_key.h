/*
 * dsig_key.h - private to return/: the layout of a loaded signing key (dsig.h keeps it
 * opaque).  The PEM bytes are held, not an xmlsec key object, so that every signature makes
 * a key of its own and threads share nothing mutable; they are cleansed when freed.
 */
#ifndef DSIG_KEY_H
#define DSIG_KEY_H

#include <stddef.h>

#include "dsig.h"

struct dsig_key {
	char			*key_pem;
	size_t			 key_len;
	char			*cert_pem;
	size_t			 cert_len;
	char			 key_file[256];		/* for messages */
	char			 cert_file[256];
	struct dsig_signer	 signer;		/* the certificate's CN and dates */
};

#endif

/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 (FIPS 180-4, section 6.2), for the shared freestanding library:
 * the hypervisor checks the boot bundle's policy and image hashes with it,
 * and domains may use it too. Streaming: init, update any number of times,
 * final. No allocation, no global state; depends only on <stdint.h> and
 * <stddef.h>.
 */
#ifndef CLOISON_STD_SHA256_H
#define CLOISON_STD_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN 32u
#define SHA256_BLOCK_LEN 64u

struct sha256 {
	uint32_t h[8];			/* the intermediate hash value H(i) */
	uint64_t length;		/* message bytes so far */
	uint8_t block[SHA256_BLOCK_LEN];	/* a partial block */
	uint32_t used;			/* bytes in block[] */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, uint8_t digest[SHA256_DIGEST_LEN]);
/* The digest of one buffer. */
void sha256(const void *data, size_t len, uint8_t digest[SHA256_DIGEST_LEN]);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 of the shared library (hyp/abi/std/sha256.c) against the test
 * vectors NIST publishes for FIPS 180-4 (the "SHA-256" examples of the CSRC
 * example-values page: "abc", the 448- and 896-bit messages, one million
 * 'a'), the empty message, and the padding boundaries (55, 56, 63, 64,
 * 65, 119, 120 bytes) where a second padding block starts or not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cloison/std/sha256.h>

#include "harness.h"

static void hex(const uint8_t d[SHA256_DIGEST_LEN], char out[65])
{
	for (unsigned i = 0; i < SHA256_DIGEST_LEN; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void check_one(const void *msg, size_t len, const char *want)
{
	uint8_t d[SHA256_DIGEST_LEN];
	char got[65];

	sha256(msg, len, d);
	hex(d, got);
	EXPECT_STREQ(got, want);
}

TEST(sha256_nist_abc)
{
	check_one("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(sha256_empty)
{
	check_one("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(sha256_nist_448_bits)
{
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	check_one(m, strlen(m), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(sha256_nist_896_bits)
{
	const char *m = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
			"hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

	check_one(m, strlen(m), "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST(sha256_nist_million_a)
{
	char *m = malloc(1000000);

	ASSERT(m != NULL);
	memset(m, 'a', 1000000);
	check_one(m, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(m);
}

TEST(sha256_padding_boundaries)
{
	static const struct {
		size_t n;
		const char *want;
	} v[] = {
		{ 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
		{ 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
		{ 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
		{ 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
		{ 65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0" },
		{ 119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb" },
		{ 120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c" },
	};
	char m[128];

	memset(m, 'a', sizeof(m));
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		check_one(m, v[i].n, v[i].want);
}

/* Feeding a message in pieces of any size gives the one-shot digest. */
TEST(sha256_streaming_equals_one_shot)
{
	uint8_t msg[300], one[SHA256_DIGEST_LEN], parts[SHA256_DIGEST_LEN];

	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7 + 3);
	sha256(msg, sizeof(msg), one);
	for (size_t chunk = 1; chunk <= 130; chunk++) {
		struct sha256 s;

		sha256_init(&s);
		for (size_t off = 0; off < sizeof(msg); off += chunk)
			sha256_update(&s, msg + off,
				      sizeof(msg) - off < chunk ? sizeof(msg) - off : chunk);
		sha256_final(&s, parts);
		EXPECT(memcmp(one, parts, sizeof(one)) == 0);
	}
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv);
}

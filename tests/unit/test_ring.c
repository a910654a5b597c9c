/* SPDX-License-Identifier: MIT */
/*
 * The ring library (domains/lib/ring.c) on the host: traffic both ways,
 * notification batching, and a misbehaving peer: forged producer indices
 * (ahead, backwards, wrapped), consumer indices, garbage lengths. A forged
 * index or length disconnects (ring dead, reason given) and is never acted
 * on. The shared page is an exact-size heap block (ASan catches overreads).
 */
#include "ring.h"

#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct ring_page *page;
static struct ring_end a, b; /* a: end 0, b: end 1 */

static void fresh(void)
{
	free(page);
	page = malloc(sizeof(*page));
	ASSERT(page != NULL);
	memset(page, 0xa5, sizeof(*page)); /* garbage until init resets it */
	ASSERT_EQ(ring_init(&a, page, 0, true), RING_OK);
	ASSERT_EQ(ring_init(&b, page, 1, false), RING_OK);
}

static enum ring_status send_str(struct ring_end *e, const char *s, bool *n)
{
	return ring_send(e, s, (uint32_t)strlen(s), 7, n);
}

TEST(ring_messages_flow_both_ways_in_order)
{
	struct ring_msg m;
	bool n;

	fresh();
	for (int i = 0; i < 40; i++) {
		char buf[16];

		snprintf(buf, sizeof(buf), "req %d", i);
		ASSERT_EQ(send_str(&a, buf, &n), RING_OK);
		ASSERT_EQ(ring_recv(&b, &m), RING_OK);
		EXPECT_EQ(m.len, strlen(buf));
		EXPECT(memcmp(m.data, buf, m.len) == 0);
		ASSERT_EQ(send_str(&b, "rsp", &n), RING_OK);
		ASSERT_EQ(ring_recv(&a, &m), RING_OK);
	}
	EXPECT_EQ(ring_recv(&b, &m), RING_EMPTY);
	EXPECT_EQ(a.sent, 40);
	EXPECT_EQ(b.received, 40);
}

TEST(ring_full_and_drain)
{
	struct ring_msg m;
	bool n;

	fresh();
	for (unsigned i = 0; i < RING_SLOTS; i++)
		EXPECT_EQ(send_str(&a, "x", &n), RING_OK);
	EXPECT_EQ(send_str(&a, "x", &n), RING_FULL);
	EXPECT_EQ(ring_space(&a), 0);
	EXPECT_EQ(ring_recv(&b, &m), RING_OK);
	EXPECT_EQ(send_str(&a, "x", &n), RING_OK);
	EXPECT_EQ(ring_send(&a, "x", RING_DATA + 1, 0, &n), RING_INVALID);
}

TEST(ring_padding_is_zeroed)
{
	bool n;

	fresh();
	ASSERT_EQ(send_str(&a, "abc", &n), RING_OK);
	for (unsigned i = 3; i < RING_DATA; i++)
		EXPECT_EQ(page->dir[0].slot[0].data[i], 0);
	EXPECT_EQ(page->dir[0].slot[0].id, 7);
}

TEST(ring_notifications_are_batched)
{
	struct ring_msg m;
	bool n;

	fresh();
	/* Consumer busy (not armed): no notification however many. */
	for (int i = 0; i < 8; i++) {
		ASSERT_EQ(send_str(&a, "x", &n), RING_OK);
		EXPECT(!n);
	}
	while (ring_recv(&b, &m) == RING_OK)
		;
	/* Armed: exactly one notification for the next burst. */
	EXPECT(!ring_arm(&b));
	ASSERT_EQ(send_str(&a, "x", &n), RING_OK);
	EXPECT(n);
	for (int i = 0; i < 7; i++) {
		ASSERT_EQ(send_str(&a, "x", &n), RING_OK);
		EXPECT(!n);
	}
	EXPECT_EQ(a.notifies, 1);
	/* Armed after something arrived: arm reports it, no sleep needed. */
	EXPECT(ring_arm(&b));
}

TEST(ring_producer_running_ahead_disconnects)
{
	struct ring_msg m;

	fresh();
	page->dir[0].prod = RING_SLOTS + 1;
	EXPECT_EQ(ring_recv(&b, &m), RING_DEAD);
	EXPECT(b.dead);
	EXPECT_STREQ(b.why, "producer index went backwards or jumped");
	EXPECT_EQ(b.received, 0);
	EXPECT_EQ(page->dir[0].cons, 0); /* nothing consumed */
}

TEST(ring_producer_going_backwards_disconnects)
{
	struct ring_msg m;
	bool n;

	fresh();
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(send_str(&a, "x", &n), RING_OK);
	ASSERT_EQ(ring_recv(&b, &m), RING_OK);
	page->dir[0].prod = 1; /* behind what was already seen */
	EXPECT_EQ(ring_recv(&b, &m), RING_DEAD);
	EXPECT_EQ(b.received, 1);
}

TEST(ring_indices_wrap_legitimately)
{
	struct ring_msg m;
	bool n;

	fresh();
	/* Start both ends just below 2^32: free-running indices wrap. */
	a.tx_prod = a.tx_cons_seen = b.rx_cons = b.rx_prod_seen = 0xfffffff8u;
	page->dir[0].prod = page->dir[0].cons = 0xfffffff8u;
	for (int i = 0; i < 20; i++) {
		ASSERT_EQ(send_str(&a, "w", &n), RING_OK);
		ASSERT_EQ(ring_recv(&b, &m), RING_OK);
	}
	EXPECT(!b.dead);
	EXPECT_EQ(b.rx_cons, 0xfffffff8u + 20);
}

TEST(ring_forged_wrap_disconnects)
{
	struct ring_msg m;

	fresh();
	page->dir[0].prod = 0x80000000u; /* half the index space away */
	EXPECT_EQ(ring_recv(&b, &m), RING_DEAD);
}

TEST(ring_garbage_length_disconnects)
{
	struct ring_msg m;
	bool n;

	fresh();
	ASSERT_EQ(send_str(&a, "x", &n), RING_OK);
	page->dir[0].slot[0].len = 1000;
	EXPECT_EQ(ring_recv(&b, &m), RING_DEAD);
	EXPECT_STREQ(b.why, "message length larger than a slot");
	EXPECT_EQ(page->dir[0].cons, 0); /* not acknowledged */
}

TEST(ring_consumer_index_forged_disconnects_the_producer)
{
	bool n;

	fresh();
	ASSERT_EQ(send_str(&a, "x", &n), RING_OK);
	page->dir[0].cons = 5; /* consumed more than was produced */
	EXPECT_EQ(send_str(&a, "x", &n), RING_DEAD);
	EXPECT_STREQ(a.why, "consumer index moved backwards or past the producer");
	EXPECT_EQ(a.sent, 1);
}

TEST(ring_dead_stays_dead_and_only_for_that_peer)
{
	struct ring_page *other = calloc(1, sizeof(*other));
	struct ring_end c, d;
	struct ring_msg m;
	bool n;

	fresh();
	ASSERT(other != NULL);
	ring_init(&c, other, 0, true);
	ring_init(&d, other, 1, false);
	page->dir[0].prod = 99;
	EXPECT_EQ(ring_recv(&b, &m), RING_DEAD);
	page->dir[0].prod = 0; /* too late to repent */
	EXPECT_EQ(ring_recv(&b, &m), RING_DEAD);
	EXPECT_EQ(send_str(&b, "x", &n), RING_DEAD);
	/* Another peer's ring is unaffected. */
	EXPECT_EQ(send_str(&c, "ok", &n), RING_OK);
	EXPECT_EQ(ring_recv(&d, &m), RING_OK);
	free(other);
}

int main(int argc, char **argv)
{
	int r = harness_main(argc, argv);

	free(page);
	return r;
}

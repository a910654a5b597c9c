/* SPDX-License-Identifier: MIT */
/*
 * The block ring, back end's side (storage-dom/check.c, client.h), against
 * a front end that writes the shared page directly: one test per class of
 * attack the layout allows (docs/block-protocol.md, "The ring"): a forged
 * producer index (ahead of the ring, gone back), another version, a
 * response consumer index gone back or past the responses, the back end's
 * own indices overwritten, forged event indices, requests rewritten after
 * they were taken; the bound of requests taken and not consumed; and the
 * request checks (outside the extent, lengths, unknown operation).
 */
#include <string.h>

#include "../../storage-dom/client.h"
#include "harness.h"

static struct blkif_page page;
static struct client_ring r;

/* A fresh ring with a version-3 front end that has published nothing. */
static void setup(void)
{
	memset(&page, 0, sizeof(page));
	client_ring_init(&r, &page);
	page.front.version = BLKIF_VERSION;
}

/* The front end writes n requests (ids from `id`) and publishes them. */
static void push(uint32_t n, uint32_t id)
{
	for (uint32_t i = 0; i < n; i++) {
		struct blkif_req q = { id + i, BLKIF_OP_READ, i, 512, 0 };
		uint32_t at = page.front.req_prod++;

		page.req[at % BLKIF_RING_SIZE] = q;
	}
}

/* The back end takes and answers everything it may, publishes; returns
 * how many it took. */
static uint32_t serve(void)
{
	uint32_t n = client_avail(&r);

	for (uint32_t i = 0; i < n; i++) {
		struct blkif_req q;

		client_take(&r, &q);
		client_answer(&r, q.id, BLKIF_OK, 0);
	}
	client_publish(&r);
	return n;
}

TEST(requests_taken_answered_in_order)
{
	struct blkif_req q;

	setup();
	EXPECT_EQ(page.back.version, BLKIF_VERSION);
	EXPECT_EQ(client_avail(&r), 0u);
	push(3, 10);
	EXPECT_EQ(client_avail(&r), 3u);
	client_take(&r, &q);
	EXPECT_EQ(q.id, 10u);
	EXPECT_EQ(q.sector, 0u);
	client_answer(&r, q.id, BLKIF_RANGE, 7);
	client_publish(&r);
	EXPECT_EQ(page.back.rsp_prod, 1u);
	EXPECT_EQ(page.back.req_cons, 1u);
	EXPECT_EQ(page.rsp[0].id, 10u);
	EXPECT_EQ(page.rsp[0].status, BLKIF_RANGE);
	EXPECT_EQ(page.rsp[0].value, 7u);
	EXPECT_EQ(serve(), 2u);
	EXPECT_EQ(page.back.rsp_prod, 3u);
	EXPECT(!r.dead);
}

TEST(forged_producer_index_ahead_refused)
{
	setup();
	page.front.req_prod = BLKIF_RING_SIZE + 1;
	EXPECT_EQ(client_avail(&r), 0u);
	EXPECT(r.dead);
	EXPECT(r.why && strstr(r.why, "producer index"));
	/* Dead stays dead: a good index later changes nothing, nothing more
	 * is answered into its page. */
	page.front.req_prod = 1;
	EXPECT_EQ(client_avail(&r), 0u);
	client_answer(&r, 1, BLKIF_OK, 0);
	EXPECT(!client_publish(&r));
	EXPECT_EQ(page.back.rsp_prod, 0u);
	EXPECT_EQ(page.rsp[0].id, 0u);
}

TEST(producer_index_exactly_a_ring_ahead_accepted)
{
	setup();
	push(BLKIF_RING_SIZE, 0);
	EXPECT_EQ(client_avail(&r), BLKIF_RING_SIZE);
	EXPECT(!r.dead);
}

TEST(forged_producer_index_going_back_refused)
{
	setup();
	push(5, 0);
	EXPECT_EQ(client_avail(&r), 5u);
	page.front.req_prod = 3; /* withdraws requests it published */
	EXPECT_EQ(client_avail(&r), 0u);
	EXPECT(r.dead);
	/* Back past what was taken too. */
	setup();
	push(5, 0);
	EXPECT_EQ(serve(), 5u);
	page.front.req_prod = 2;
	EXPECT_EQ(client_avail(&r), 0u);
	EXPECT(r.dead);
}

TEST(other_version_refused)
{
	/* A version-2 front end: its producer index (1) lies on the version
	 * word, and nothing moves this version's producer index; a header with
	 * another number, with a request or without; none under a request. */
	static const uint32_t versions[] = { 1, 2, 4, 0 };

	setup();
	page.front.version = 1;
	EXPECT_EQ(client_avail(&r), 0u);
	EXPECT(r.dead);
	EXPECT(r.why && strstr(r.why, "another block protocol version"));
	for (uint32_t i = 0; i < 4; i++) {
		setup();
		page.front.version = versions[i];
		push(1, 0);
		EXPECT_EQ(client_avail(&r), 0u);
		EXPECT(r.dead);
		EXPECT(r.why && strstr(r.why, "version"));
	}
	/* Not there yet, nothing published: wait, not refused. */
	setup();
	page.front.version = 0;
	EXPECT_EQ(client_avail(&r), 0u);
	EXPECT(!r.dead);
}

/* Two requests served, the front end's response consumer index set to
 * `cons`, a third request published: what the back end may take. */
static uint32_t third_after_consuming(uint32_t cons)
{
	setup();
	push(2, 0);
	EXPECT_EQ(serve(), 2u);
	page.front.rsp_cons = cons;
	push(1, 2);
	return client_avail(&r);
}

TEST(response_consumer_index_forged_refused)
{
	/* Past the responses written. */
	EXPECT_EQ(third_after_consuming(3), 0u);
	EXPECT(r.dead);
	EXPECT(r.why && strstr(r.why, "consumer index"));
	/* Gone back. */
	EXPECT_EQ(third_after_consuming(2), 1u);
	EXPECT(!r.dead);
	page.front.rsp_cons = 1;
	EXPECT_EQ(client_avail(&r), 0u);
	EXPECT(r.dead);
}

TEST(taken_and_not_consumed_bounded)
{
	/* A flood that never consumes: BLKIF_RING_SIZE taken, then nothing
	 * more however many it publishes, until it consumes. */
	setup();
	push(BLKIF_RING_SIZE, 0);
	EXPECT_EQ(serve(), BLKIF_RING_SIZE);
	push(BLKIF_RING_SIZE, 100);
	EXPECT_EQ(client_avail(&r), 0u);
	EXPECT(!client_arm(&r)); /* nothing takeable: sleep, wait for its signal */
	EXPECT_EQ(page.back.req_event, BLKIF_RING_SIZE + 1);
	page.front.rsp_cons = 5;
	EXPECT_EQ(client_avail(&r), 5u);
	EXPECT_EQ(serve(), 5u);
	/* Every answer went into an entry the front end had consumed: the
	 * ones it has not are intact. */
	EXPECT_EQ(page.rsp[5].id, 5u);
	EXPECT_EQ(page.rsp[4].id, 104u);
	EXPECT(!r.dead);
}

TEST(back_indices_overwritten_ignored)
{
	setup();
	push(4, 0);
	EXPECT_EQ(serve(), 4u);
	page.back.req_cons = 0xdead0000u;
	page.back.rsp_prod = 0xbeefu;
	page.back.req_event = 77;
	push(2, 4);
	EXPECT_EQ(serve(), 2u);
	EXPECT_EQ(page.back.req_cons, 6u);
	EXPECT_EQ(page.back.rsp_prod, 6u);
	EXPECT(!r.dead);
}

TEST(request_rewritten_after_take_unchanged)
{
	struct blkif_req q;

	setup();
	push(1, 9);
	EXPECT_EQ(client_avail(&r), 1u);
	client_take(&r, &q);
	page.req[0].sector = ~0ull;
	page.req[0].op = 99;
	EXPECT_EQ(q.sector, 0u);
	EXPECT_EQ(q.op, BLKIF_OP_READ);
	EXPECT_EQ(q.id, 9u);
}

TEST(event_index_forged_bounded)
{
	/* Whatever the front end's event index, a publication signals at
	 * most once, exactly when (old, new] holds it; a round that publishes
	 * nothing new signals never. */
	uint32_t events[] = { 0, 1, 2, 3, 4, 0x80000000u, ~0u, 0x9e3779b9u };

	for (uint32_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		uint32_t n;

		setup();
		push(3, 0);
		page.front.rsp_event = events[i];
		n = client_avail(&r);
		for (uint32_t k = 0; k < n; k++) {
			struct blkif_req q;

			client_take(&r, &q);
			client_answer(&r, q.id, BLKIF_OK, 0);
		}
		EXPECT_EQ(client_publish(&r), events[i] >= 1 && events[i] <= 3);
		EXPECT(!client_publish(&r));
		EXPECT(!r.dead);
	}
}

TEST(arm_asks_next_and_rechecks)
{
	setup();
	EXPECT(!client_arm(&r));
	EXPECT_EQ(page.back.req_event, 1u);
	push(1, 0);
	EXPECT(client_arm(&r)); /* arrived meanwhile: do not sleep */
}

static uint32_t check(uint32_t op, uint64_t sector, uint32_t len, uint32_t offset)
{
	struct client c;
	struct blkif_req q = { 1, op, sector, len, offset };
	uint64_t value;

	memset(&c, 0, sizeof(c));
	c.sectors = 8192;
	c.data_size = 1u << 20;
	return client_check(&c, &q, &value);
}

TEST(request_checks)
{
	EXPECT_EQ(check(BLKIF_OP_WRITE, 0, 4096, 0), BLKIF_OK);
	EXPECT_EQ(check(BLKIF_OP_WRITE, 8191, 512, (1u << 20) - 512), BLKIF_OK);
	EXPECT_EQ(check(BLKIF_OP_WRITE, 8192, 512, 0), BLKIF_RANGE);
	EXPECT_EQ(check(BLKIF_OP_READ, ~0ull - 7, 8192, 0), BLKIF_RANGE);
	EXPECT_EQ(check(BLKIF_OP_READ, 0, 0, 0), BLKIF_INVALID);
	EXPECT_EQ(check(BLKIF_OP_READ, 0, 511, 0), BLKIF_INVALID);
	EXPECT_EQ(check(BLKIF_OP_READ, 0, 8192, 0xfffff000u), BLKIF_INVALID);
	EXPECT_EQ(check(BLKIF_OP_READ, 0, 512, 100), BLKIF_INVALID);
	EXPECT_EQ(check(BLKIF_OP_FLUSH, 0, 512, 0), BLKIF_INVALID);
	EXPECT_EQ(check(BLKIF_OP_INFO, 0, 0, 0), CLIENT_ANSWER_NOW);
	EXPECT_EQ(check(7, 0, 512, 0), BLKIF_UNSUPP);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv);
}

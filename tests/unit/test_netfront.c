/* SPDX-License-Identifier: MIT */
/*
 * The network front end (domains/lib/netfront.c) against a fake back end
 * on an in-memory ring page: INFO, RX buffers kept posted, TX with
 * completion, batched notifications; and a hostile back end, one test per
 * kind of bad response: each disconnects the front end with a reason, and
 * nothing is read or written outside the data area (an exact-size heap
 * block, under AddressSanitizer) or handed to the caller.
 */
#include "netfront.h"

#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define DATA_SIZE (32u * NETFRONT_BUF_SIZE)

static struct ring_page *page;
static uint8_t *data;
static struct ring_end be; /* the fake back end: end 0 */
static struct netfront f;
static unsigned notified;
static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

/* What the rx callback saw. */
static unsigned frames;
static uint32_t last_len;
static uint8_t last[NETFRONT_BUF_SIZE];

static void on_notify(void *arg)
{
	(void)arg;
	notified++;
}

static void on_rx(void *arg, const volatile uint8_t *frame, uint32_t len)
{
	(void)arg;
	ASSERT(len <= sizeof(last));
	/* The frame must lie inside the data area. */
	ASSERT((const volatile uint8_t *)data <= frame && frame + len <= data + DATA_SIZE);
	for (uint32_t i = 0; i < len; i++)
		last[i] = frame[i];
	last_len = len;
	frames++;
}

/* A response from the back end, followed by the n u32s of `more` (a
 * TX_DONE's other ids, netif.h). */
static void be_send(uint32_t id, uint32_t op, uint32_t status, uint32_t len,
		    const uint32_t *more, uint32_t n)
{
	uint8_t msg[RING_DATA];
	struct netif_rsp r;
	bool nt;

	memset(&r, 0, sizeof(r));
	r.op = op;
	r.status = status;
	r.len = len;
	r.version = NETIF_VERSION;
	memcpy(r.mac, mac, 6);
	r.mtu = NETIF_MTU;
	memcpy(msg, &r, sizeof(r));
	if (n)
		memcpy(msg + sizeof(r), more, 4 * n);
	ASSERT_EQ(ring_send(&be, msg, sizeof(r) + 4 * n, id, &nt), RING_OK);
}

static void be_reply(uint32_t id, uint32_t op, uint32_t status, uint32_t len)
{
	be_send(id, op, status, len, NULL, 0);
}

/* One TX_DONE for ids[0..n) (the message's id, then n - 1 more after the
 * response); `more` is what its len field says. */
static void be_reply_done(const uint32_t *ids, uint32_t n, uint32_t more)
{
	be_send(ids[0], NETIF_RSP_TX_DONE, NETIF_OK, more, ids + 1, n - 1);
}

/* The frames of the last TXV taken, handed out one by one as TX requests
 * (the tests below speak of frames); txvs counts the TXV messages. */
static struct netif_txv txv;
static uint32_t txv_next, txvs;

static bool be_take(struct netif_req *q, uint32_t *id)
{
	struct ring_msg m;

	if (txv_next < txv.n) {
		*q = (struct netif_req){ NETIF_OP_TX, txv.d[txv_next].len, txv.d[txv_next].offset };
		*id = txv.d[txv_next++].id;
		return true;
	}
	if (ring_recv(&be, &m) != RING_OK)
		return false;
	if (m.len >= 8 && ((const struct netif_txv *)(const void *)m.data)->op == NETIF_OP_TXV) {
		/* What the back end checks (netif.h): 1..6 frames, the
		 * length its count says, buffers in increasing order. */
		bool ok;

		memcpy(&txv, m.data, m.len);
		ok = txv.n >= 1 && txv.n <= NETIF_TXV_MAX && m.len == 8u + 8u * txv.n;
		for (uint32_t i = 1; ok && i < txv.n; i++)
			ok = txv.d[i].offset >= txv.d[i - 1].offset + txv.d[i - 1].len;
		EXPECT(ok);
		if (!ok) {
			txv.n = 0;
			return false;
		}
		txvs++;
		txv_next = 0;
		return be_take(q, id);
	}
	if (m.len != sizeof(*q))
		return false;
	memcpy(q, m.data, sizeof(*q));
	*id = m.id;
	return true;
}

/* posted[i]: request id of the i-th RX_POST the back end holds. */
static uint32_t posted[64], nposted;
static uint64_t posted_off[64];

static void be_drain_posts(void)
{
	struct netif_req q;
	uint32_t id;

	while (be_take(&q, &id)) {
		ASSERT_EQ(q.op, NETIF_OP_RX_POST);
		posted_off[nposted] = q.offset;
		posted[nposted++] = id;
	}
}

/* A front end that has its INFO answer and its RX buffers posted. */
static void fresh(void)
{
	const char *why = NULL;
	struct netif_req q;
	uint32_t id;

	free(page);
	free(data);
	page = malloc(sizeof(*page));
	data = malloc(DATA_SIZE);
	ASSERT(page && data);
	memset(data, 0, DATA_SIZE);
	ASSERT_EQ(ring_init(&be, page, NETIF_BACKEND_END, true), RING_OK);
	notified = frames = 0;
	nposted = 0;
	txv.n = txv_next = txvs = 0;
	ASSERT(netfront_setup(&f, page, data, DATA_SIZE, 0, on_notify, NULL, &why));
	ASSERT(be_take(&q, &id));
	EXPECT_EQ(q.op, NETIF_OP_INFO);
	be_reply(id, NETIF_RSP_INFO, NETIF_OK, 0);
	ASSERT_EQ(netfront_poll(&f, on_rx, NULL, 16), 1);
	ASSERT(f.info);
	be_drain_posts();
}

static uint32_t id_of_posted(unsigned i)
{
	return posted[i];
}

TEST(netfront_info_gives_mac_and_mtu_then_rx_buffers_are_posted)
{
	fresh();
	EXPECT(memcmp(f.mac, mac, 6) == 0);
	EXPECT_EQ(f.mtu, NETIF_MTU);
	EXPECT_EQ(nposted, DATA_SIZE / NETFRONT_BUF_SIZE / 2); /* half the buffers */
	for (unsigned i = 0; i < nposted; i++) {
		EXPECT(posted_off[i] + NETFRONT_BUF_SIZE <= DATA_SIZE);
		for (unsigned j = 0; j < i; j++)
			EXPECT(posted_off[i] != posted_off[j]);
	}
}

TEST(netfront_setup_refuses_a_data_area_under_two_buffers)
{
	struct ring_page *p = calloc(1, sizeof(*p));
	const char *why = NULL;

	ASSERT(p);
	EXPECT(!netfront_setup(&f, p, data, NETFRONT_BUF_SIZE, 0, NULL, NULL, &why));
	EXPECT(why != NULL);
	free(p);
}

TEST(netfront_tx_goes_out_and_completes)
{
	uint8_t frame[60];
	struct netif_req q;
	uint32_t id;

	fresh();
	for (unsigned i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)(i * 7);
	ASSERT(netfront_send(&f, frame, sizeof(frame)));
	ASSERT(be_take(&q, &id));
	EXPECT_EQ(q.op, NETIF_OP_TX);
	EXPECT_EQ(q.len, sizeof(frame));
	ASSERT(q.offset + q.len <= DATA_SIZE);
	EXPECT(memcmp(data + q.offset, frame, sizeof(frame)) == 0);
	EXPECT_EQ(f.st.tx, 1);
	be_reply(id, NETIF_RSP_TX_DONE, NETIF_OK, 0);
	EXPECT_EQ(netfront_poll(&f, on_rx, NULL, 16), 1);
	EXPECT_EQ(f.st.tx_done, 1);
	EXPECT(!f.dead);
}

TEST(netfront_rx_delivers_the_frame_and_posts_the_buffer_again)
{
	struct netif_req q;
	uint32_t id;

	fresh();
	ASSERT(nposted > 0);
	memset(data + posted_off[3], 0xab, 100);
	be_reply(id_of_posted(3), NETIF_RSP_RX, NETIF_OK, 100);
	EXPECT_EQ(netfront_poll(&f, on_rx, NULL, 16), 1);
	EXPECT_EQ(frames, 1);
	EXPECT_EQ(last_len, 100);
	EXPECT_EQ(last[0], 0xab);
	EXPECT_EQ(last[99], 0xab);
	ASSERT(be_take(&q, &id));
	EXPECT_EQ(q.op, NETIF_OP_RX_POST);
	EXPECT_EQ(id, id_of_posted(3));
	EXPECT_EQ(q.offset, posted_off[3]);
}

TEST(netfront_tx_refuses_bad_lengths_and_keeps_the_buffer)
{
	uint8_t frame[NETIF_FRAME_MAX + 1];
	uint32_t b;

	fresh();
	memset(frame, 1, sizeof(frame));
	EXPECT(!netfront_send(&f, frame, 13));
	EXPECT(!netfront_send(&f, frame, NETIF_FRAME_MAX + 1));
	EXPECT(netfront_send(&f, frame, NETIF_FRAME_MAX));
	EXPECT_EQ(f.st.tx, 1);
	/* The refused sends gave their buffers back. */
	ASSERT(netfront_tx_begin(&f, &b) != NULL);
	EXPECT(!netfront_tx_commit(&f, b + 1, 60, true)); /* not the buffer taken */
	EXPECT(netfront_tx_commit(&f, b, 60, true));
	EXPECT(!netfront_tx_commit(&f, b, 60, true));     /* already sent */
}

TEST(netfront_tx_runs_out_of_buffers_then_recovers)
{
	uint8_t frame[64] = { 0 };
	struct netif_req q;
	uint32_t id, sent = 0;

	fresh();
	/* 16 TX buffers, 16 ring slots: drain as the back end would. */
	while (netfront_send(&f, frame, sizeof(frame))) {
		ASSERT(be_take(&q, &id));
		sent++;
		ASSERT(sent <= 16);
	}
	EXPECT_EQ(sent, f.nbufs - f.rx_bufs);
	EXPECT(f.st.tx_full >= 1);
	be_reply(id, NETIF_RSP_TX_DONE, NETIF_OK, 0);
	EXPECT_EQ(netfront_poll(&f, on_rx, NULL, 16), 1);
	EXPECT(netfront_send(&f, frame, sizeof(frame)));
}

TEST(netfront_notifications_are_batched)
{
	uint8_t frame[64] = { 0 };
	uint32_t b;
	volatile uint8_t *p;

	fresh();
	/* The back end waits for requests: it asks to be told. */
	EXPECT(!ring_arm(&be));
	notified = 0;
	for (int i = 0; i < 8; i++) {
		p = netfront_tx_begin(&f, &b);
		ASSERT(p != NULL);
		p[0] = frame[0];
		ASSERT(netfront_tx_commit(&f, b, sizeof(frame), false));
	}
	EXPECT_EQ(notified, 0);
	netfront_kick(&f);
	EXPECT_EQ(notified, 1);
	netfront_kick(&f);
	EXPECT_EQ(notified, 1);
	/* A back end that did not ask is not told. */
	EXPECT(netfront_send(&f, frame, sizeof(frame)));
	EXPECT_EQ(notified, 1);
}

/* docs/net-protocol.md: a back end without room for a TXV's responses
 * (NETIF_TXV_MAX) stops taking requests, and a ring past its event index
 * would not notify: the front end signals once after taking at least
 * NETIF_RSP_KICK responses, and only then. */
static unsigned notifies_after_responses(unsigned n)
{
	fresh();
	if (nposted < RING_SLOTS)
		return ~0u; /* fails the caller's EXPECT */
	for (unsigned i = 0; i < n; i++)
		be_reply(id_of_posted(i), NETIF_RSP_RX, NETIF_OK, 60);
	notified = 0;
	EXPECT_EQ(netfront_poll(&f, on_rx, NULL, 64), (int)n);
	return notified;
}

TEST(netfront_signals_after_taking_a_nearly_full_response_ring)
{
	EXPECT_EQ(notifies_after_responses(RING_SLOTS), 1);
	EXPECT_EQ(notifies_after_responses(NETIF_RSP_KICK), 1);
	EXPECT_EQ(notifies_after_responses(NETIF_RSP_KICK - 1), 0);
}

/* Version 3: committed frames go NETIF_TXV_MAX to a ring message, in
 * increasing buffer order (be_take checks each TXV as the back end does);
 * the kick sends what is left. */
TEST(netfront_tx_packs_frames_into_txv_messages)
{
	struct netif_req q;
	uint32_t b, id, n = 0;

	fresh();
	for (int i = 0; i < 8; i++) {
		ASSERT(netfront_tx_begin(&f, &b) != NULL);
		ASSERT(netfront_tx_commit(&f, b, 60, false));
	}
	/* The first six went as one message when it was full. */
	EXPECT_EQ(page->dir[NETIF_FRONTEND_END].prod - be.rx_cons, 1u);
	netfront_kick(&f);
	while (be_take(&q, &id)) {
		EXPECT_EQ(q.op, NETIF_OP_TX);
		EXPECT_EQ(q.len, 60u);
		n++;
	}
	EXPECT_EQ(n, 8u);
	EXPECT_EQ(txvs, 2u);
	EXPECT_EQ(f.st.tx, 8u);
}

TEST(netfront_rx_returned_unused_marks_the_port_down)
{
	fresh();
	be_reply(id_of_posted(0), NETIF_RSP_RX, NETIF_DOWN, 0);
	EXPECT_EQ(netfront_poll(&f, on_rx, NULL, 16), 1);
	EXPECT_EQ(frames, 0);
	EXPECT_EQ(f.st.rx_returned, 1);
	EXPECT(f.down);
	EXPECT(!f.dead);
}

/* A hostile response: the front end disconnects, says why, hands nothing
 * to the caller, and refuses everything afterwards. */
static void expect_disconnect(const char *why_part)
{
	uint8_t frame[64] = { 0 };
	uint32_t b;

	EXPECT_EQ(netfront_poll(&f, on_rx, NULL, 16), -1);
	EXPECT(f.dead);
	EXPECT(f.why != NULL && strstr(f.why, why_part) != NULL);
	if (f.why && !strstr(f.why, why_part))
		printf("# reason: %s\n", f.why);
	EXPECT_EQ(frames, 0);
	EXPECT_EQ(netfront_poll(&f, on_rx, NULL, 16), -1);
	EXPECT(netfront_tx_begin(&f, &b) == NULL);
	EXPECT(!netfront_send(&f, frame, sizeof(frame)));
}

TEST(netfront_hostile_rx_for_an_unknown_buffer)
{
	fresh();
	be_reply(1000, NETIF_RSP_RX, NETIF_OK, 60);
	expect_disconnect("not posted");
}

TEST(netfront_hostile_rx_for_a_tx_buffer)
{
	fresh();
	be_reply(f.rx_bufs + 1, NETIF_RSP_RX, NETIF_OK, 60);
	expect_disconnect("not posted");
}

TEST(netfront_hostile_rx_for_id_zero)
{
	fresh();
	be_reply(0, NETIF_RSP_RX, NETIF_OK, 60);
	expect_disconnect("not posted");
}

TEST(netfront_hostile_rx_twice_for_one_buffer)
{
	/* Two answers for one posting, in one batch: the second finds the
	 * buffer back in the front end's hands. */
	fresh();
	be_reply(id_of_posted(0), NETIF_RSP_RX, NETIF_OK, 60);
	be_reply(id_of_posted(0), NETIF_RSP_RX, NETIF_OK, 60);
	EXPECT_EQ(netfront_poll(&f, NULL, NULL, 16), -1);
	EXPECT(f.dead);
	EXPECT(f.why != NULL && strstr(f.why, "not posted") != NULL);
}

TEST(netfront_hostile_rx_length_beyond_the_buffer)
{
	fresh();
	be_reply(id_of_posted(nposted - 1), NETIF_RSP_RX, NETIF_OK, 5000);
	expect_disconnect("frame length");
}

TEST(netfront_hostile_rx_length_beyond_the_largest_frame)
{
	fresh();
	be_reply(id_of_posted(0), NETIF_RSP_RX, NETIF_OK, NETIF_FRAME_MAX + 1);
	expect_disconnect("frame length");
}

TEST(netfront_hostile_rx_length_under_a_header)
{
	fresh();
	be_reply(id_of_posted(0), NETIF_RSP_RX, NETIF_OK, 13);
	expect_disconnect("frame length");
}

TEST(netfront_hostile_tx_done_for_a_buffer_not_in_flight)
{
	fresh();
	be_reply(f.rx_bufs + 1, NETIF_RSP_TX_DONE, NETIF_OK, 0);
	expect_disconnect("not in flight");
}

TEST(netfront_hostile_tx_done_twice)
{
	uint8_t frame[64] = { 0 };
	struct netif_req q;
	uint32_t id;

	fresh();
	ASSERT(netfront_send(&f, frame, sizeof(frame)));
	ASSERT(be_take(&q, &id));
	be_reply(id, NETIF_RSP_TX_DONE, NETIF_OK, 0);
	be_reply(id, NETIF_RSP_TX_DONE, NETIF_OK, 0);
	EXPECT_EQ(netfront_poll(&f, NULL, NULL, 1), 1);
	expect_disconnect("not in flight");
}

/* An RXV (version 3) of n frames: posted buffers ids[i], lengths lens[i];
 * `count` is what its len field says. */
static void be_reply_rxv(const uint32_t *ids, const uint32_t *lens, uint32_t n, uint32_t count,
			 uint32_t status)
{
	uint32_t more[NETIF_RXV_MAX + 1];

	for (uint32_t i = 0; i < n; i++) {
		struct netif_rxd d = { (uint16_t)ids[i], (uint16_t)lens[i] };

		memcpy(&more[i], &d, 4);
	}
	be_send(0, NETIF_RSP_RXV, status, count, more, n);
}

TEST(netfront_rxv_delivers_every_frame_and_posts_the_buffers_again)
{
	uint32_t ids[NETIF_RXV_MAX], lens[NETIF_RXV_MAX];

	fresh();
	for (uint32_t i = 0; i < NETIF_RXV_MAX; i++) {
		ids[i] = id_of_posted(i);
		lens[i] = 60 + i;
		data[(ids[i] - 1) * NETFRONT_BUF_SIZE] = (uint8_t)i;
	}
	be_reply_rxv(ids, lens, NETIF_RXV_MAX, NETIF_RXV_MAX, NETIF_OK);
	nposted = 0;
	EXPECT_EQ(netfront_poll(&f, on_rx, NULL, 16), 1);
	EXPECT(!f.dead);
	EXPECT_EQ(frames, NETIF_RXV_MAX);
	EXPECT_EQ(last_len, 60 + NETIF_RXV_MAX - 1);
	EXPECT_EQ(last[0], NETIF_RXV_MAX - 1);
	EXPECT_EQ(f.st.rx, NETIF_RXV_MAX);
	be_drain_posts();
	EXPECT_EQ(nposted, NETIF_RXV_MAX); /* posted again */
}

/* A hostile RXV, each class alone: the front end disconnects with the
 * reason and hands no frame out. */
static void rxv_refused(uint32_t n, uint32_t count, uint32_t status, bool unknown_id,
			const char *why)
{
	uint32_t ids[NETIF_RXV_MAX + 1], lens[NETIF_RXV_MAX + 1];

	fresh();
	for (uint32_t i = 0; i < n; i++) {
		ids[i] = unknown_id ? 9999 : id_of_posted(i);
		lens[i] = 60;
	}
	be_reply_rxv(ids, lens, n, count, status);
	EXPECT_EQ(netfront_poll(&f, on_rx, NULL, 16), -1);
	EXPECT_EQ(frames, 0);
	expect_disconnect(why);
}

TEST(netfront_hostile_rxv_of_no_frame)
{
	rxv_refused(0, 0, NETIF_OK, false, "RXV: not 1 to 7 frames");
}

TEST(netfront_hostile_rxv_of_more_than_seven_frames)
{
	rxv_refused(NETIF_RXV_MAX, NETIF_RXV_MAX + 1, NETIF_OK, false, "RXV: not 1 to 7 frames");
}

TEST(netfront_hostile_rxv_claiming_more_frames_than_it_holds)
{
	rxv_refused(2, 3, NETIF_OK, false, "wrong size");
}

TEST(netfront_hostile_rxv_with_a_status)
{
	rxv_refused(1, 1, NETIF_DOWN, false, "RXV: a status other than OK");
}

TEST(netfront_hostile_rxv_for_a_buffer_not_posted)
{
	rxv_refused(1, 1, NETIF_OK, true, "not posted");
}

/* Send a 64-byte frame and take its TX request as the back end: its id. */
static uint32_t sent_frame(void)
{
	uint8_t frame[64] = { 0 };
	struct netif_req q;
	uint32_t id = 0;

	/* EXPECT, not ASSERT: this helper returns a value (a failure is
	 * recorded; id 0 then fails the caller's checks too). */
	EXPECT(netfront_send(&f, frame, sizeof(frame)) && be_take(&q, &id));
	return id;
}

TEST(netfront_tx_done_for_several_buffers_in_one_response)
{
	uint32_t ids[8];

	fresh();
	for (uint32_t i = 0; i < 8; i++)
		ids[i] = sent_frame();
	be_reply_done(ids, 3, 2);
	be_reply_done(ids + 3, 5, 4);
	EXPECT_EQ(netfront_poll(&f, NULL, NULL, 16), 2);
	EXPECT(!f.dead);
	EXPECT_EQ(f.st.tx_done, 8u);
	for (uint32_t i = 0; i < 8; i++)
		EXPECT_EQ(f.state[ids[i] - 1], NETFRONT_IDLE);
}

TEST(netfront_hostile_tx_done_naming_a_buffer_twice_in_one_response)
{
	uint32_t ids[2];

	fresh();
	ids[0] = ids[1] = sent_frame();
	be_reply_done(ids, 2, 1);
	expect_disconnect("not in flight");
}

TEST(netfront_hostile_tx_done_count_not_its_length)
{
	uint32_t ids[2];

	fresh();
	ids[0] = sent_frame();
	ids[1] = sent_frame();
	be_reply_done(ids, 2, 2); /* says 2 more, carries 1 */
	expect_disconnect("wrong size");
}

TEST(netfront_hostile_tx_done_more_than_8_ids)
{
	uint32_t ids[1];

	fresh();
	ids[0] = sent_frame();
	be_reply_done(ids, 1, NETIF_TX_DONE_MORE + 1);
	expect_disconnect("more than 8 ids");
}

TEST(netfront_hostile_tx_done_for_an_rx_buffer)
{
	fresh();
	be_reply(id_of_posted(0), NETIF_RSP_TX_DONE, NETIF_OK, 0);
	expect_disconnect("not in flight");
}

TEST(netfront_hostile_response_of_the_wrong_size)
{
	bool n;

	fresh();
	ASSERT_EQ(ring_send(&be, "xx", 2, id_of_posted(0), &n), RING_OK);
	expect_disconnect("wrong size");
}

TEST(netfront_hostile_unknown_op)
{
	fresh();
	be_reply(id_of_posted(0), 77, NETIF_OK, 60);
	expect_disconnect("unknown op");
}

TEST(netfront_hostile_other_version)
{
	struct netif_rsp r;
	bool n;

	fresh();
	memset(&r, 0, sizeof(r));
	r.op = NETIF_RSP_RX;
	r.len = 60;
	r.version = NETIF_VERSION + 1;
	ASSERT_EQ(ring_send(&be, &r, sizeof(r), id_of_posted(0), &n), RING_OK);
	expect_disconnect("version");
}

TEST(netfront_hostile_unsolicited_info)
{
	fresh();
	be_reply(0, NETIF_RSP_INFO, NETIF_OK, 0);
	expect_disconnect("INFO");
}

static void info_with(const uint8_t m[6], uint16_t mtu, uint32_t status)
{
	const char *why = NULL;
	struct netif_req q;
	struct netif_rsp r;
	uint32_t id;
	bool n;

	free(page);
	page = malloc(sizeof(*page));
	ASSERT(page);
	ASSERT_EQ(ring_init(&be, page, NETIF_BACKEND_END, true), RING_OK);
	frames = 0;
	ASSERT(netfront_setup(&f, page, data, DATA_SIZE, 0, on_notify, NULL, &why));
	ASSERT(be_take(&q, &id));
	memset(&r, 0, sizeof(r));
	r.op = NETIF_RSP_INFO;
	r.status = status;
	r.version = NETIF_VERSION;
	memcpy(r.mac, m, 6);
	r.mtu = mtu;
	ASSERT_EQ(ring_send(&be, &r, sizeof(r), id, &n), RING_OK);
}

TEST(netfront_hostile_info_multicast_mac)
{
	const uint8_t mc[6] = { 0x01, 0, 0x5e, 0, 0, 1 };

	fresh();
	info_with(mc, NETIF_MTU, NETIF_OK);
	expect_disconnect("MAC");
	EXPECT(!f.info);
}

TEST(netfront_hostile_info_zero_mac)
{
	const uint8_t z[6] = { 0 };

	fresh();
	info_with(z, NETIF_MTU, NETIF_OK);
	expect_disconnect("MAC");
}

TEST(netfront_hostile_info_mtu_too_large)
{
	fresh();
	info_with(mac, 9000, NETIF_OK);
	expect_disconnect("MTU");
}

TEST(netfront_hostile_info_refused)
{
	fresh();
	info_with(mac, NETIF_MTU, NETIF_INVALID);
	expect_disconnect("refused INFO");
}

TEST(netfront_hostile_ring_index_jump)
{
	fresh();
	page->dir[NETIF_BACKEND_END].prod += 1000; /* the back end's producer index */
	expect_disconnect("");
	EXPECT(f.ring.dead);
}

TEST(netfront_hostile_data_rewritten_after_delivery_changes_nothing_taken)
{
	/* The caller's copy is what it keeps: rewriting the buffer after the
	 * RX response changes neither the copy nor the length. */
	fresh();
	memset(data + posted_off[2], 0x11, 64);
	be_reply(id_of_posted(2), NETIF_RSP_RX, NETIF_OK, 64);
	EXPECT_EQ(netfront_poll(&f, on_rx, NULL, 16), 1);
	memset(data + posted_off[2], 0x22, 64);
	EXPECT_EQ(last[0], 0x11);
	EXPECT_EQ(last_len, 64);
}

int main(int argc, char **argv)
{
	int r = harness_main(argc, argv);

	free(page);
	free(data);
	return r;
}

/* SPDX-License-Identifier: MIT */
/*
 * storage-dom's intake against a hostile front end: each input is a run of
 * moves by the front end, which controls every byte of its half of the
 * block ring (its header: version, producer index, response consumer and
 * event indices; the request array; and it overwrites the back end's
 * header and the response array too), interleaved with rounds of the back
 * end as storage-dom's serve() runs them: client_avail, client_take,
 * client_check, client_answer, client_publish, client_arm
 * (storage-dom/check.c). Checked at every step: the back end never takes
 * more than the front end published nor more than BLKIF_RING_SIZE not
 * consumed; it never answers into an entry the front end has not consumed;
 * it answers every request it takes and publishes them all; a request accepted for the
 * device lies inside the extent and the data area, whole sectors; a dead
 * ring stays dead and yields nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../storage-dom/client.h"

#define EXTENT 8192u          /* sectors */
#define DATA (1u << 20)       /* the data area's bytes */

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size);

static uint32_t u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size)
{
	static struct blkif_page page;
	struct client c;
	uint32_t taken = 0;
	bool dead = false;

	memset(&page, 0, sizeof(page));
	memset(&c, 0, sizeof(c));
	c.sectors = EXTENT;
	c.data_size = DATA;
	client_ring_init(&c.ring, &page);
	while (size >= 5) {
		uint8_t how = in[0];
		uint32_t v = u32(in + 1);

		in += 5;
		size -= 5;
		switch (how & 7) {
		case 0: /* a request's bytes into an entry */
			if (size < sizeof(struct blkif_req))
				return 0;
			memcpy((void *)&page.req[v % BLKIF_RING_SIZE], in, sizeof(struct blkif_req));
			in += sizeof(struct blkif_req);
			size -= sizeof(struct blkif_req);
			break;
		case 1: /* publish: the producer index moves by a little or anywhere */
			page.front.req_prod = (how & 8) ? v : page.front.req_prod + (v % 40);
			break;
		case 2:
			page.front.rsp_cons = (how & 8) ? v : page.front.rsp_cons + (v % 8);
			break;
		case 3:
			page.front.version = (how & 8) ? v : BLKIF_VERSION;
			break;
		case 4:
			page.front.rsp_event = v;
			break;
		case 5: /* the back end's header and answers are not its own */
			page.back.req_cons = v;
			page.back.rsp_prod = v >> 3;
			page.back.req_event = v >> 7;
			page.rsp[v % BLKIF_RING_SIZE].id = v;
			break;
		default: { /* a round of the back end */
			uint32_t n = client_avail(&c.ring), prod = c.ring.req_prod_seen;

			if (dead && (n || !c.ring.dead))
				abort();
			if (c.ring.dead) {
				dead = true;
				break;
			}
			/* Never past what was published, nor past the bound. */
			if (n > prod - c.ring.req_cons ||
			    c.ring.req_cons + n - c.ring.rsp_cons_seen > BLKIF_RING_SIZE)
				abort();
			for (uint32_t i = 0; i < n; i++) {
				struct blkif_req q;
				uint64_t value = 0;
				uint32_t s;

				client_take(&c.ring, &q);
				taken++;
				s = client_check(&c, &q, &value);
				if (s == CLIENT_ANSWER_NOW &&
				    (q.op != BLKIF_OP_INFO || value != EXTENT || q.len))
					abort();
				if (s == BLKIF_OK && q.op != BLKIF_OP_FLUSH &&
				    ((q.op != BLKIF_OP_READ && q.op != BLKIF_OP_WRITE) || q.len == 0 ||
				     q.len % BLKIF_SECTOR || q.offset % BLKIF_SECTOR ||
				     (uint64_t)q.offset + q.len > DATA ||
				     q.sector + q.len / BLKIF_SECTOR > EXTENT ||
				     q.sector + q.len / BLKIF_SECTOR < q.sector))
					abort();
				if (s == BLKIF_OK && q.op == BLKIF_OP_FLUSH && q.len)
					abort();
				/* The answer's entry: one the front end consumed. */
				if (c.ring.rsp_prod - c.ring.rsp_cons_seen >= BLKIF_RING_SIZE)
					abort();
				client_answer(&c.ring, q.id, s == CLIENT_ANSWER_NOW ? 0 : s, value);
			}
			if (c.ring.rsp_prod != taken)
				abort();
			client_publish(&c.ring);
			/* Everything answered is published (the page's index is
			 * rewritten whenever there is something new: one the front
			 * end overwrote misleads only the front end until then). */
			if (c.ring.rsp_published != taken || (n && page.back.rsp_prod != taken))
				abort();
			if (how & 8)
				client_arm(&c.ring);
			break;
		}
		}
	}
	return 0;
}

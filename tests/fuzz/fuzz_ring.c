/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the ring consumer and producer (domains/lib/ring.c):
 * the input is a script of a hostile peer's writes to the shared page
 * interleaved with this end's receives and sends. Checked after each step:
 * no read or write outside the page (ASan), every received message has a
 * valid length, indices only move forward, a dead ring stays dead and never
 * delivers again.
 */
#include "ring.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ring_page *page = calloc(1, sizeof(*page));
	struct ring_end e;
	struct ring_msg m;
	uint64_t received = 0;
	bool was_dead = false, n;

	if (!page)
		return 0;
	ring_init(&e, page, (size > 0 && (data[0] & 1)) ? 1 : 0, true);
	for (size_t i = 1; i + 5 <= size; i += 5) {
		uint8_t op = data[i];
		uint32_t v;
		uint32_t cons_before = e.rx_cons;

		memcpy(&v, data + i + 1, 4);
		switch (op % 4) {
		case 0: /* the peer writes a word anywhere in the page */
			((volatile uint32_t *)(void *)page)[(v >> 16) % (sizeof(*page) / 4)] = v * 2654435761u;
			break;
		case 1:
			if (ring_recv(&e, &m) == RING_OK) {
				if (m.len > RING_DATA || was_dead)
					abort();
				received++;
			}
			break;
		case 2:
			ring_send(&e, data, v % (RING_DATA + 1) <= size ? v % (RING_DATA + 1) : 0,
				  v, &n);
			break;
		case 3:
			ring_arm(&e);
			break;
		}
		if (e.rx_cons - cons_before > 1 || e.received != received)
			abort();
		if (was_dead && !e.dead)
			abort();
		was_dead = e.dead;
	}
	free(page);
	return 0;
}

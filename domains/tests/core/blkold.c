/* SPDX-License-Identifier: MIT */
/*
 * A front end of block protocol version 2 (tests/system/systems/storage.toml):
 * it sends a WRITE the way version 2 did, as a batch in a message of the
 * ring library, and signals. storage-dom (version 3) must refuse it as
 * another version, write nothing (the host checks its extent stays zero)
 * and go on serving the others.
 */
#include <domain/core.h>

#include "ring.h"

int domain_main(const struct cloison_start_info *si)
{
	const struct cloison_start_info_cap *c = si_find_mapped("disk");
	/* Version 2's request batch: count 1, version 2, then op, len,
	 * sector, offset (24 bytes). */
	const uint32_t batch[8] = { 1, 2, 1 /* WRITE */, 4096, 0, 0, 0, 0 };
	struct ring_end ring;
	bool notify;

	(void)si;
	if (!c || c->ipa == ~0ull)
		runtime_panic("no disk channel");
	ring_init(&ring, (void *)(uintptr_t)c->ipa, 1, false);
	if (ring_send(&ring, batch, sizeof(batch), 1, &notify) != RING_OK)
		runtime_panic("cannot send");
	cloison_channel_signal(c->slot);
	print("sent a version-2 request\n");
	runtime_park();
}

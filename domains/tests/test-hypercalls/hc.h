/* SPDX-License-Identifier: MIT */
/*
 * test-hypercalls: every hypercall of the ABI from EL1 through hvc #0,
 * with every rejection a domain can provoke, against the caps
 * domains/tests/test-hypercalls.toml gives it. The files run in name order
 * (10-abi.c first, 80-teardown.c last; test.h runs tests by file, then
 * line), so later files may rely on what earlier ones did (the peer
 * domain is started in 50-domain.c and destroyed in 80-teardown.c).
 * Fixtures that several files use are made on first use (00-fixtures.c).
 */
#ifndef HC_H
#define HC_H

#include <domain/runtime.h>
#include <domain/test.h>

#define E(x) CLOISON_ERR_##x
#define NONE CLOISON_SLOT_NONE

/* cspace_slots of the test domain in test-hypercalls.toml. */
#define HC_CSPACE_SLOTS 256u

/* IPAs the tests map things at (above RAM and the channel window). */
#define HC_FRAME_IPA 0x90000000ull
#define HC_DEVICE_IPA 0xa0000000ull
#define HC_VIRTIO_PA 0x0a000000ull
#define HC_VIRTIO_MAGIC 0x74726976u /* "virt" */

/* Rights of the policy's caps (test-hypercalls.toml). */
#define HC_PEER_RIGHTS (CLOISON_RIGHT_DOMAIN_BUILD | CLOISON_RIGHT_DOMAIN_START |      \
			CLOISON_RIGHT_DOMAIN_STOP | CLOISON_RIGHT_DOMAIN_RESUME |      \
			CLOISON_RIGHT_DOMAIN_DESTROY | CLOISON_RIGHT_DOMAIN_QUERY |    \
			CLOISON_RIGHT_DOMAIN_CONNECT)

/* A fresh empty slot of our CSpace (never handed out twice). */
uint64_t fx_slot(void);
/* Mint `src` with `rights` (and badge) into a fresh slot; NONE on failure. */
uint64_t fx_mint(uint64_t src, uint64_t rights, uint64_t badge);
/* Objects made from the pool on first use, all rights: */
uint64_t fx_frame(void);        /* 2 pages */
uint64_t fx_cnode(void);        /* 16 slots */
uint64_t fx_notification(void); /* unbadged */

/* Caps from the start-info page. */
uint64_t fx_console(void);
uint64_t fx_system(void);
uint64_t fx_note(void);
uint64_t fx_gate(void);
uint64_t fx_pool(void);
uint64_t fx_virtio(void);
uint64_t fx_irq(void);
uint64_t fx_chan(void);
uint64_t fx_peer(void);
uint64_t fx_crasher(void);

/* Let other domains run: n yields. */
void fx_yield(unsigned n);
/* Yield until the domain behind `dom` is in `state` (at most `tries`). */
bool fx_wait_state(uint64_t dom, uint64_t state, unsigned tries);

/* Last virtual interrupt taken (irq_handler), 0 if none since reset. */
extern volatile uint32_t fx_last_irq;
extern volatile unsigned fx_irqs;

/* Type of the cap in `slot`, CLOISON_TYPE_NONE if the slot is not usable. */
uint64_t fx_type(uint64_t slot);
uint64_t fx_rights(uint64_t slot);

#endif

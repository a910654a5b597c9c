/* SPDX-License-Identifier: MIT */
/*
 * Blocking wait, virtual-interrupt binding and vgic_configure on the host,
 * with hooks standing in for the scheduler.
 */
#include "capcall.h"
#include "capcheck.h"
#include "harness.h"

#include <cloison/abi/calls.h>
#include <cloison/abi/errors.h>
#include <cloison/abi/objects.h>
#include <cloison/bootcap.h>
#include <cloison/cnode.h>
#include <cloison/domain.h>
#include <cloison/hypercall.h>
#include <cloison/memobj.h>
#include <cloison/notification.h>
#include <cloison/sysobj.h>

#include <stdlib.h>
#include <string.h>

#define NONE CLOISON_SLOT_NONE

static struct domain *A, *B, *C;
static struct {
	struct domain *blocked, *woken, *virq_to, *cfg_dom;
	uint64_t word, err;
	uint32_t virq, cfg_id, cfg_prio;
	bool cfg_en;
	unsigned virqs;
} H;

static void h_block(struct domain *d) { H.blocked = d; }
static void h_unblock(struct domain *d, uint64_t w, uint64_t e)
{
	H.woken = d;
	H.word = w;
	H.err = e;
}
static void h_virq(struct domain *d, uint32_t id)
{
	H.virq_to = d;
	H.virq = id;
	H.virqs++;
}
static void h_cfg(struct domain *d, uint32_t id, bool en, uint8_t prio)
{
	H.cfg_dom = d;
	H.cfg_id = id;
	H.cfg_en = en;
	H.cfg_prio = prio;
}


/* A: slot 0 the notification with wait; B: slot 0 a badged signal cap (0x5). */
static struct domain *wfi_by;
static void h_wfi(struct domain *d) { wfi_by = d; }

static const struct sysobj_hooks hooks = {
	.block = h_block, .unblock = h_unblock, .raise_virq = h_virq,
	.vgic_configure = h_cfg, .wait_interrupt = h_wfi,
};

static void setup(void)
{
	paddr_t pool;
	struct object *n;

	capfix_base(&pool, 4 * PAGE_SIZE);
	sysobj_set_hooks(&hooks);
	memset(&H, 0, sizeof(H));
	A = bootcap_domain(4);
	B = bootcap_domain(4);
	C = bootcap_domain(4);
	n = bootcap_notification();
	if (!A || !B || !C || !n)
		abort();
	bootcap_install(A, 0, n, CLOISON_RIGHT_NOTIFICATION_WAIT, 0);
	bootcap_install(C, 0, n, CLOISON_RIGHT_NOTIFICATION_WAIT, 0);
	bootcap_install(B, 0, n, CLOISON_RIGHT_NOTIFICATION_SIGNAL, 0x5);
	bootcap_finish();
}

TEST(wait_returns_at_once_when_the_word_is_set)
{
	setup();
	EXPECT_EQ(HC(B, 0, NOTIFICATION_SIGNAL), CLOISON_ERR_OK);
	EXPECT_EQ(HC(A, 0, NOTIFICATION_WAIT), CLOISON_ERR_OK);
	EXPECT_EQ(R[1], 0x5);
	EXPECT(H.blocked == NULL);
	EXPECT_EQ(HC(A, 0, NOTIFICATION_POLL), CLOISON_ERR_OK);
	EXPECT_EQ(R[1], 0); /* wait cleared the word */
}

TEST(wait_blocks_and_signal_wakes_with_the_word)
{
	setup();
	EXPECT_EQ(HC(A, 0, NOTIFICATION_WAIT), CLOISON_ERR_OK);
	EXPECT(H.blocked == A);
	EXPECT(H.woken == NULL);
	EXPECT_EQ(HC(B, 0, NOTIFICATION_SIGNAL), CLOISON_ERR_OK);
	EXPECT(H.woken == A);
	EXPECT_EQ(H.word, 0x5);
	EXPECT_EQ(H.err, CLOISON_ERR_OK);
	EXPECT_EQ(HC(A, 0, NOTIFICATION_POLL), CLOISON_ERR_OK);
	EXPECT_EQ(R[1], 0); /* delivered to the waiter, not left behind */
}

TEST(second_waiter_is_refused)
{
	setup();
	EXPECT_EQ(HC(A, 0, NOTIFICATION_WAIT), CLOISON_ERR_OK);
	EXPECT(H.blocked == A);
	H.blocked = NULL;
	EXPECT_EQ(HC(C, 0, NOTIFICATION_WAIT), CLOISON_ERR_BAD_STATE);
	EXPECT(H.blocked == NULL);
	/* B has no wait right. */
	EXPECT_EQ(HC(B, 0, NOTIFICATION_WAIT), CLOISON_ERR_NO_RIGHTS);
}

TEST(a_waiter_destroyed_while_blocked_is_forgotten)
{
	setup();
	EXPECT_EQ(HC(A, 0, NOTIFICATION_WAIT), CLOISON_ERR_OK);
	EXPECT(H.blocked == A);
	domain_finalise(A); /* what domain_destroy does to the object */
	H.blocked = NULL;
	/* Another domain may wait now, and the next signal goes to it. */
	EXPECT_EQ(HC(C, 0, NOTIFICATION_WAIT), CLOISON_ERR_OK);
	EXPECT(H.blocked == C);
	EXPECT_EQ(HC(B, 0, NOTIFICATION_SIGNAL), CLOISON_ERR_OK);
	EXPECT(H.woken == C);
	EXPECT_EQ(H.word, 0x5);
}

TEST(a_signal_with_only_a_destroyed_waiter_stays_in_the_word)
{
	setup();
	EXPECT_EQ(HC(A, 0, NOTIFICATION_WAIT), CLOISON_ERR_OK);
	domain_finalise(A);
	EXPECT_EQ(HC(B, 0, NOTIFICATION_SIGNAL), CLOISON_ERR_OK);
	EXPECT(H.woken == NULL);
	EXPECT_EQ(HC(C, 0, NOTIFICATION_POLL), CLOISON_ERR_OK);
	EXPECT_EQ(R[1], 0x5); /* not lost with the dead waiter */
}

TEST(deleting_the_last_cap_wakes_the_waiter_with_an_error)
{
	setup();
	EXPECT_EQ(HC(A, 0, NOTIFICATION_WAIT), CLOISON_ERR_OK);
	EXPECT_EQ(HC(B, 0, CAP_DELETE), CLOISON_ERR_OK);
	EXPECT_EQ(HC(C, 0, CAP_DELETE), CLOISON_ERR_OK);
	EXPECT(H.woken == NULL);
	EXPECT_EQ(HC(A, 0, CAP_DELETE), CLOISON_ERR_OK);
	EXPECT(H.woken == A);
	EXPECT_EQ(H.err, CLOISON_ERR_BAD_STATE);
}

TEST(bind_raises_the_virq_on_every_signal)
{
	setup();
	EXPECT_EQ(HC(A, 0, NOTIFICATION_BIND, 32), CLOISON_ERR_INVALID_ARGUMENT);
	EXPECT_EQ(HC(A, 0, NOTIFICATION_BIND, 64), CLOISON_ERR_INVALID_ARGUMENT);
	EXPECT_EQ(HC(B, 0, NOTIFICATION_BIND, 40), CLOISON_ERR_NO_RIGHTS);
	EXPECT_EQ(H.virqs, 0);
	EXPECT_EQ(HC(A, 0, NOTIFICATION_BIND, 40), CLOISON_ERR_OK);
	EXPECT_EQ(HC(B, 0, NOTIFICATION_SIGNAL), CLOISON_ERR_OK);
	EXPECT_EQ(HC(B, 0, NOTIFICATION_SIGNAL), CLOISON_ERR_OK);
	EXPECT(H.virq_to == A);
	EXPECT_EQ(H.virq, 40);
	EXPECT_EQ(H.virqs, 2);
	EXPECT_EQ(HC(A, 0, NOTIFICATION_POLL), CLOISON_ERR_OK);
	EXPECT_EQ(R[1], 0x5);
}

TEST(vgic_configure_checks_its_arguments)
{
	setup();
	EXPECT_EQ(HC(A, NONE, VGIC_CONFIGURE, 64, 1, 0), CLOISON_ERR_INVALID_ARGUMENT);
	EXPECT_EQ(HC(A, NONE, VGIC_CONFIGURE, 40, 2, 0), CLOISON_ERR_INVALID_ARGUMENT);
	EXPECT_EQ(HC(A, NONE, VGIC_CONFIGURE, 40, 1, 256), CLOISON_ERR_INVALID_ARGUMENT);
	EXPECT_EQ(HC(A, 0, VGIC_CONFIGURE, 40, 1, 0x80), CLOISON_ERR_INVALID_SLOT);
	EXPECT(H.cfg_dom == NULL);
	EXPECT_EQ(HC(A, NONE, VGIC_CONFIGURE, 40, 1, 0x80), CLOISON_ERR_OK);
	EXPECT(H.cfg_dom == A);
	EXPECT_EQ(H.cfg_id, 40);
	EXPECT(H.cfg_en);
	EXPECT_EQ(H.cfg_prio, 0x80);
}

/* Channel ends: A holds end 0, B end 1 of one channel. */
static struct object *ch;

static void channel_setup(void)
{
	paddr_t pool;

	capfix_base(&pool, 4 * PAGE_SIZE);
	sysobj_set_hooks(&hooks);
	memset(&H, 0, sizeof(H));
	wfi_by = NULL;
	A = bootcap_domain(4);
	B = bootcap_domain(4);
	ch = bootcap_channel(pool, PAGE_SIZE);
	if (!A || !B || !ch)
		abort();
	bootcap_install(A, 0, ch, CLOISON_RIGHT_CHANNEL_READ | CLOISON_RIGHT_CHANNEL_WRITE, 0);
	bootcap_install(B, 0, ch, CLOISON_RIGHT_CHANNEL_READ | CLOISON_RIGHT_CHANNEL_WRITE, 1);
	bootcap_install(B, 1, ch, CLOISON_RIGHT_CHANNEL_READ, 1);
	bootcap_finish();
}

TEST(channel_signal_reaches_the_other_end_only)
{
	channel_setup();
	EXPECT_EQ(HC(A, 0, CHANNEL_SIGNAL), CLOISON_ERR_OK);
	EXPECT_EQ(HC(A, 0, CHANNEL_POLL), CLOISON_ERR_OK);
	EXPECT_EQ(R[1], 0); /* not to itself */
	EXPECT_EQ(HC(B, 0, CHANNEL_POLL), CLOISON_ERR_OK);
	EXPECT_EQ(R[1], 1);
	EXPECT_EQ(HC(B, 0, CHANNEL_POLL), CLOISON_ERR_OK);
	EXPECT_EQ(R[1], 0); /* poll cleared it */
}

TEST(channel_wait_blocks_until_the_other_end_signals)
{
	channel_setup();
	EXPECT_EQ(HC(B, 0, CHANNEL_WAIT), CLOISON_ERR_OK);
	EXPECT(H.blocked == B);
	EXPECT(H.woken == NULL);
	EXPECT_EQ(HC(B, 0, CHANNEL_SIGNAL), CLOISON_ERR_OK); /* B's own signal goes to A */
	EXPECT(H.woken == NULL);
	EXPECT_EQ(HC(A, 0, CHANNEL_SIGNAL), CLOISON_ERR_OK);
	EXPECT(H.woken == B);
	EXPECT_EQ(H.word, 1);
}

TEST(channel_rights_and_binding)
{
	channel_setup();
	EXPECT_EQ(HC(B, 1, CHANNEL_SIGNAL), CLOISON_ERR_NO_RIGHTS); /* read-only end */
	EXPECT_EQ(HC(B, 1, CHANNEL_BIND, 20), CLOISON_ERR_INVALID_ARGUMENT);
	EXPECT_EQ(HC(B, 1, CHANNEL_BIND, 50), CLOISON_ERR_OK);
	EXPECT_EQ(HC(A, 0, CHANNEL_SIGNAL), CLOISON_ERR_OK);
	EXPECT(H.virq_to == B);
	EXPECT_EQ(H.virq, 50);
	/* A mint cannot move a cap to the other end. */
	EXPECT_EQ(HC(A, 0, CAP_MINT, NONE, 1, CLOISON_RIGHT_CHANNEL_READ, 1),
		  CLOISON_ERR_INVALID_ARGUMENT);
	EXPECT_EQ(HC(B, 0, NOTIFICATION_SIGNAL), CLOISON_ERR_WRONG_TYPE);
}

/* ---- channel_signal_wait: the two calls in one ---- */

/* What the other end's word holds now (poll clears it). */
static uint64_t word_of(struct domain *d, uint64_t slot)
{
	EXPECT_EQ(HC(d, slot, CHANNEL_POLL), CLOISON_ERR_OK);
	return R[1];
}

TEST(channel_signal_wait_wakes_the_peer_then_blocks)
{
	channel_setup();
	EXPECT_EQ(HC(B, 0, CHANNEL_WAIT), CLOISON_ERR_OK);
	EXPECT(H.blocked == B);
	EXPECT_EQ(HC(A, 0, CHANNEL_SIGNAL_WAIT, 0), CLOISON_ERR_OK);
	EXPECT(H.woken == B); /* the signal half, as channel_signal */
	EXPECT_EQ(H.word, 1);
	EXPECT(H.blocked == A); /* then the wait half, as channel_wait */
	H.woken = NULL;
	EXPECT_EQ(HC(B, 0, CHANNEL_SIGNAL), CLOISON_ERR_OK);
	EXPECT(H.woken == A);
	EXPECT_EQ(H.word, 1);
}

/* The same steps as channel_signal then channel_wait, on one pair of ends
 * each: the words and who blocks come out the same. */
TEST(channel_signal_wait_equals_the_sequence)
{
	uint64_t seq[3], one[3];

	for (int combined = 0; combined < 2; combined++) {
		uint64_t *out = combined ? one : seq;

		channel_setup();
		EXPECT_EQ(HC(B, 0, CHANNEL_SIGNAL), CLOISON_ERR_OK); /* A's word ready */
		if (combined) {
			EXPECT_EQ(HC(A, 0, CHANNEL_SIGNAL_WAIT, 0), CLOISON_ERR_OK);
		} else {
			EXPECT_EQ(HC(A, 0, CHANNEL_SIGNAL), CLOISON_ERR_OK);
			EXPECT_EQ(HC(A, 0, CHANNEL_WAIT), CLOISON_ERR_OK);
		}
		out[0] = R[1];                     /* the word the wait returned */
		out[1] = H.blocked == NULL;        /* it did not block */
		out[2] = word_of(B, 0);            /* the peer was signalled */
	}
	EXPECT_EQ(one[0], 1);
	EXPECT_EQ(one[1], 1);
	EXPECT_EQ(one[2], 1);
	EXPECT_EQ(memcmp(seq, one, sizeof(seq)), 0);
}

TEST(channel_signal_wait_with_slot_none_is_a_wfi)
{
	channel_setup();
	wfi_by = NULL;
	EXPECT_EQ(HC(A, 0, CHANNEL_SIGNAL_WAIT, NONE), CLOISON_ERR_OK);
	EXPECT(wfi_by == A);
	EXPECT(H.blocked == NULL);
	EXPECT_EQ(word_of(B, 0), 1);
}

/* C holds end 0 (read and write) and end 1 (read) of the channel. */
static struct domain *third_holder(void)
{
	struct domain *c = bootcap_domain(4);

	if (!c)
		abort();
	bootcap_install(c, 0, ch, CLOISON_RIGHT_CHANNEL_READ | CLOISON_RIGHT_CHANNEL_WRITE, 0);
	bootcap_install(c, 1, ch, CLOISON_RIGHT_CHANNEL_READ, 1);
	bootcap_install(c, 2, ch, CLOISON_RIGHT_CHANNEL_WRITE, 0);
	bootcap_install(c, 3, &A->obj, CLOISON_RIGHT_DOMAIN_QUERY, 0);
	return c;
}

/* Every refusal before anything happens: the peer's word stays 0 and
 * nobody blocks. */
TEST(channel_signal_wait_refused_signals_nothing)
{
	static const struct { uint64_t slot, wait, err; } bad[] = {
		{ 1, 0, CLOISON_ERR_NO_RIGHTS },      /* x0 without write */
		{ 0, 2, CLOISON_ERR_NO_RIGHTS },      /* wait without read */
		{ 0, 3, CLOISON_ERR_WRONG_TYPE },     /* wait not a channel */
		{ 0, 4, CLOISON_ERR_INVALID_SLOT },   /* wait outside the CSpace */
		{ 0, 1ull << 40, CLOISON_ERR_INVALID_SLOT },
		{ 0, NONE - 1, CLOISON_ERR_INVALID_SLOT },
	};
	struct domain *c;

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		channel_setup();
		c = third_holder();
		EXPECT_EQ(HC(c, bad[i].slot, CHANNEL_SIGNAL_WAIT, bad[i].wait), bad[i].err);
		EXPECT(H.blocked == NULL && wfi_by == NULL);
		EXPECT_EQ(word_of(B, 0), 0);
	}
	/* An empty slot to wait on. */
	channel_setup();
	c = third_holder();
	EXPECT_EQ(HC(c, 3, CAP_DELETE), CLOISON_ERR_OK);
	EXPECT_EQ(HC(c, 0, CHANNEL_SIGNAL_WAIT, 3), CLOISON_ERR_EMPTY_SLOT);
	EXPECT_EQ(word_of(B, 0), 0);
	/* Without the scheduler's hooks there is no waiting. */
	channel_setup();
	sysobj_set_hooks(NULL);
	EXPECT_EQ(HC(A, 0, CHANNEL_SIGNAL_WAIT, 0), CLOISON_ERR_NOT_SUPPORTED);
	EXPECT_EQ(HC(A, 0, CHANNEL_SIGNAL_WAIT, NONE), CLOISON_ERR_NOT_SUPPORTED);
	EXPECT_EQ(word_of(B, 0), 0);
}

/* The one-waiter rule of channel_wait: A waits on end 0, so C may not,
 * and its refused call signals nothing. */
TEST(channel_signal_wait_second_waiter_refused)
{
	struct domain *c;

	channel_setup();
	c = third_holder();
	EXPECT_EQ(HC(A, 0, CHANNEL_WAIT), CLOISON_ERR_OK);
	EXPECT(H.blocked == A);
	H.blocked = NULL;
	EXPECT_EQ(HC(c, 0, CHANNEL_SIGNAL_WAIT, 0), CLOISON_ERR_BAD_STATE);
	EXPECT(H.blocked == NULL);
	EXPECT_EQ(word_of(B, 0), 0);
}

/* Waiting on the end it signals, which B waits on: the signal wakes B and
 * leaves the end free, so C's wait is allowed, as in the sequence. */
TEST(channel_signal_wait_on_the_end_it_signals)
{
	struct domain *c;

	channel_setup();
	c = third_holder();
	EXPECT_EQ(HC(B, 0, CHANNEL_WAIT), CLOISON_ERR_OK);
	EXPECT_EQ(HC(c, 0, CHANNEL_SIGNAL_WAIT, 1), CLOISON_ERR_OK);
	EXPECT(H.woken == B);
	EXPECT_EQ(H.word, 1);
	EXPECT(H.blocked == c);
}

/* ---- irq_bind: an SPI to its owner, one owner at a time ---- */

static struct { struct irqobj *routed, *released; unsigned routes, releases; } I;
static void h_route(struct irqobj *irq) { I.routed = irq; I.routes++; }
static void h_release(struct irqobj *irq) { I.released = irq; I.releases++; }

/* A: slot 1 the irq (receive), B: slot 1 a copy without receive, C: slot 1
 * a copy with receive (as if granted at run time). */
static struct irqobj *irq_setup(bool with_hooks)
{
	static const struct sysobj_hooks irq_hooks = {
		.irq_route = h_route, .irq_release = h_release,
	};
	paddr_t pool;
	struct object *irq;

	capfix_base(&pool, 4 * PAGE_SIZE);
	sysobj_set_hooks(with_hooks ? &irq_hooks : NULL);
	memset(&I, 0, sizeof(I));
	A = bootcap_domain(4);
	B = bootcap_domain(4);
	C = bootcap_domain(4);
	irq = bootcap_irq(56);
	if (!A || !B || !C || !irq)
		abort();
	bootcap_install(A, 1, irq, CLOISON_RIGHT_IRQ_RECEIVE, 0);
	bootcap_install(B, 1, irq, CLOISON_RIGHT_GRANT, 0);
	bootcap_install(C, 1, irq, CLOISON_RIGHT_IRQ_RECEIVE, 0);
	bootcap_finish();
	return (struct irqobj *)(void *)irq;
}

TEST(irq_bind_routes_to_the_caller)
{
	struct irqobj *irq = irq_setup(true);

	EXPECT_EQ(HC(A, 1, IRQ_BIND, 32), CLOISON_ERR_INVALID_ARGUMENT); /* console input */
	EXPECT_EQ(HC(A, 1, IRQ_BIND, 64), CLOISON_ERR_INVALID_ARGUMENT);
	EXPECT_EQ(I.routes, 0);
	EXPECT_EQ(HC(B, 1, IRQ_BIND, 40), CLOISON_ERR_NO_RIGHTS);
	EXPECT_EQ(HC(A, 1, IRQ_BIND, 40), CLOISON_ERR_OK);
	EXPECT(I.routed == irq && irq->owner == A && irq->vintid == 40);
	EXPECT_EQ(HC(A, 1, IRQ_BIND, 41), CLOISON_ERR_OK); /* rebinding moves it */
	EXPECT_EQ(irq->vintid, 41);
	EXPECT_EQ(I.routes, 2);
}

TEST(irq_bind_one_owner_until_it_is_destroyed)
{
	struct irqobj *irq = irq_setup(true);

	EXPECT_EQ(HC(A, 1, IRQ_BIND, 40), CLOISON_ERR_OK);
	EXPECT_EQ(HC(C, 1, IRQ_BIND, 40), CLOISON_ERR_BAD_STATE);
	EXPECT(irq->owner == A);
	EXPECT_EQ(bootcap_install(C, 2, &A->obj, CLOISON_RIGHT_DOMAIN_DESTROY, 0), CLOISON_ERR_OK);
	EXPECT_EQ(HC(C, 2, DOMAIN_DESTROY), CLOISON_ERR_OK);
	EXPECT_EQ(I.releases, 0); /* B's and C's caps keep the object */
	EXPECT_EQ(HC(C, 1, IRQ_BIND, 45), CLOISON_ERR_OK);
	EXPECT(I.released == irq && irq->owner == C && irq->vintid == 45);
}

TEST(irq_released_when_its_last_cap_goes)
{
	struct irqobj *irq = irq_setup(true);

	EXPECT_EQ(HC(A, 1, IRQ_BIND, 40), CLOISON_ERR_OK);
	EXPECT_EQ(HC(B, 1, CAP_DELETE), CLOISON_ERR_OK);
	EXPECT_EQ(HC(C, 1, CAP_DELETE), CLOISON_ERR_OK);
	EXPECT_EQ(I.releases, 0);
	EXPECT_EQ(HC(A, 1, CAP_DELETE), CLOISON_ERR_OK);
	EXPECT_EQ(I.releases, 1);
	EXPECT(I.released == irq);
}

TEST(irq_bind_needs_the_platform)
{
	irq_setup(false);
	EXPECT_EQ(HC(A, 1, IRQ_BIND, 40), CLOISON_ERR_NOT_SUPPORTED);
}

TEST(memory_phys_of_channels_and_devices_only)
{
	struct object *dev;

	channel_setup();
	dev = bootcap_device(pa_init(0x0a001000), PAGE_SIZE);
	EXPECT(dev != NULL);
	EXPECT_EQ(bootcap_install(A, 2, dev, CLOISON_RIGHT_DEVICE_READ, 0), CLOISON_ERR_OK);
	EXPECT_EQ(bootcap_install(A, 3, dev, CLOISON_RIGHT_GRANT, 0), CLOISON_ERR_OK);
	EXPECT_EQ(HC(A, 2, MEMORY_PHYS), CLOISON_ERR_OK);
	EXPECT_EQ(R[1], 0x0a001000);
	EXPECT_EQ(R[2], PAGE_SIZE);
	EXPECT_EQ(HC(A, 3, MEMORY_PHYS), CLOISON_ERR_NO_RIGHTS);
	EXPECT_EQ(HC(A, 0, MEMORY_PHYS), CLOISON_ERR_OK); /* the channel */
	EXPECT(R[2] != 0);
	EXPECT_EQ(bootcap_install(A, 1, &B->obj, CLOISON_RIGHT_DOMAIN_QUERY, 0), CLOISON_ERR_OK);
	EXPECT_EQ(HC(A, 1, MEMORY_PHYS), CLOISON_ERR_WRONG_TYPE); /* not memory */
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv);
}

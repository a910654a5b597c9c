/* SPDX-License-Identifier: MIT */
/*
 * The VMM calls and the exit hand-over (hyp/core/object/vmm.c) on the host:
 * region checks, binding (one VMM per guest, none of itself), an exit
 * taken at once or delivered to a waiting VMM, replies only for a taken
 * exit, the VMM's own interrupts and the guest's stop waking vmm_wait,
 * register and interrupt calls, and the load completion's size, sign and
 * width rules (Arm ARM D17.2.40: SAS, SSE, SF). Every call goes through
 * the capability invariant checker.
 */
#include "capcall.h"
#include "capcheck.h"
#include "harness.h"

#include <cloison/abi/calls.h>
#include <cloison/abi/errors.h>
#include <cloison/abi/objects.h>
#include <cloison/bootcap.h>
#include <cloison/domain.h>
#include <cloison/object.h>
#include <cloison/sysobj.h>
#include <cloison/vmm.h>

#include <stdlib.h>

#define OK CLOISON_ERR_OK
#define E(x) CLOISON_ERR_##x
#define RIGHT_VMM CLOISON_RIGHT_DOMAIN_VMM

static struct domain *V, *G, *W;
static struct {
	struct domain *blocked, *delivered_to, *completed, *reg_dom, *virq_to;
	uint64_t res[6], value, reg_value;
	uint32_t reg, virq, cfg_id;
	bool cfg_en, pending;
	struct guest_exit exit;
} H;

static void h_block(struct domain *d) { H.blocked = d; }
static void h_unblock(struct domain *d, uint64_t w, uint64_t e) { (void)d; (void)w; (void)e; }
static void h_deliver(struct domain *d, const uint64_t res[6])
{
	H.delivered_to = d;
	memcpy(H.res, res, sizeof(H.res));
}
static void h_complete(struct domain *g, const struct guest_exit *e, uint64_t v)
{
	H.completed = g;
	H.exit = *e;
	H.value = v;
}
static void h_set_reg(struct domain *g, uint32_t reg, uint64_t v)
{
	H.reg_dom = g;
	H.reg = reg;
	H.reg_value = v;
}
static void h_virq(struct domain *d, uint32_t id)
{
	H.virq_to = d;
	H.virq = id;
}
static void h_cfg(struct domain *d, uint32_t id, bool en, uint8_t prio)
{
	(void)d;
	(void)prio;
	H.cfg_id = id;
	H.cfg_en = en;
}
static uint64_t reload_left;
static struct domain *reloaded;
static uint64_t h_reload(struct domain *g)
{
	reloaded = g;
	reload_left = reload_left > 0x8000 ? reload_left - 0x8000 : 0;
	return reload_left;
}
static bool h_pending(struct domain *d)
{
	(void)d;
	return H.pending;
}

static const struct sysobj_hooks hooks = {
	.block = h_block, .unblock = h_unblock, .raise_virq = h_virq,
	.vgic_configure = h_cfg, .vmm_deliver = h_deliver, .vmm_complete = h_complete,
	.vmm_set_reg = h_set_reg, .virq_pending = h_pending, .vmm_reload = h_reload,
};

/* V: slot 0 the guest G (vmm), slot 1 itself (vmm), slot 2 G (query only);
 * W: slot 0 G (vmm), a would-be second VMM. */
static void setup(void)
{
	paddr_t pool;

	capfix_base(&pool, 4 * PAGE_SIZE);
	sysobj_set_hooks(&hooks);
	memset(&H, 0, sizeof(H));
	V = bootcap_domain(4);
	G = bootcap_domain(4);
	W = bootcap_domain(4);
	if (!V || !G || !W)
		abort();
	bootcap_install(V, 0, &G->obj, RIGHT_VMM, 0);
	bootcap_install(V, 1, &V->obj, RIGHT_VMM, 0);
	bootcap_install(V, 2, &G->obj, CLOISON_RIGHT_DOMAIN_QUERY, 0);
	bootcap_install(W, 0, &G->obj, RIGHT_VMM, 0);
	bootcap_finish();
}

static struct guest_exit load(uint64_t size, bool sse, bool sf)
{
	struct guest_exit e = { .kind = CLOISON_VMM_EXIT_MMIO_READ, .addr = 0x08000004,
				.size = size, .rt = 5, .sign_extend = sse, .sf = sf };
	return e;
}

TEST(vmm_region_checks)
{
	setup();
	EXPECT_EQ(HC(V, 0, VMM_REGION, 0x08000010, 0x1000), E(ALIGNMENT));
	EXPECT_EQ(HC(V, 0, VMM_REGION, 0x08000000, 0), E(OUT_OF_RANGE));
	EXPECT_EQ(HC(V, 0, VMM_REGION, 0xfffff000, 0x2000), E(OUT_OF_RANGE));
	EXPECT_EQ(HC(V, 0, VMM_REGION, 0x100000000ull, 0x1000), E(OUT_OF_RANGE));
	EXPECT_EQ(HC(V, 0, VMM_REGION, 0x1000, ~0xfffull), E(OUT_OF_RANGE));
	EXPECT(G->vmm.vmm == NULL); /* refused calls bind nothing */
	for (uint64_t i = 0; i < CLOISON_VMM_REGIONS_MAX; i++)
		EXPECT_EQ(HC(V, 0, VMM_REGION, 0x08000000 + 0x10000 * i, 0x2000), OK);
	EXPECT_EQ(HC(V, 0, VMM_REGION, 0x20000000, 0x1000), E(NO_MEMORY));
	EXPECT(vmm_in_region(&G->vmm, 0x08001fff));
	EXPECT(!vmm_in_region(&G->vmm, 0x08002000));
	EXPECT_EQ(HC(V, 0, VMM_REGION, 0x08001000, 0x1000), E(NO_MEMORY));
}

TEST(vmm_binding_one_vmm_not_itself_right_needed)
{
	setup();
	EXPECT_EQ(HC(V, 1, VMM_WAIT), E(INVALID_ARGUMENT));
	EXPECT_EQ(HC(V, 2, VMM_WAIT), E(NO_RIGHTS));
	EXPECT_EQ(HC(V, 0, VMM_REGION, 0x09000000, 0x1000), OK);
	EXPECT(G->vmm.vmm == V);
	EXPECT_EQ(HC(W, 0, VMM_WAIT), E(BAD_STATE));
	EXPECT_EQ(HC(W, 0, VMM_IRQ, 40, 0), E(BAD_STATE));
	EXPECT_EQ(HC(W, 0, VMM_SET_REG, 0, 1), E(BAD_STATE));
	EXPECT(H.reg_dom == NULL);
}

TEST(vmm_exit_taken_at_once_then_replied)
{
	struct guest_exit e = load(4, false, false);

	setup();
	EXPECT_EQ(HC(V, 0, VMM_REPLY, 0), E(BAD_STATE)); /* nothing taken */
	EXPECT_EQ(HC(V, 0, VMM_REGION, 0x08000000, 0x1000), OK);
	vmm_forward(G, &e);
	EXPECT(H.delivered_to == NULL);                  /* nobody waiting yet */
	EXPECT_EQ(HC(V, 0, VMM_WAIT), OK);
	EXPECT(H.blocked == NULL);
	EXPECT_EQ(R[1], CLOISON_VMM_EXIT_MMIO_READ);
	EXPECT_EQ(R[2], 0x08000004);
	EXPECT_EQ(R[3], 4);
	EXPECT_EQ(HC(V, 0, VMM_WAIT), E(BAD_STATE));     /* owes a reply */
	EXPECT_EQ(HC(V, 0, VMM_REPLY, 0x1234), OK);
	EXPECT(H.completed == G);
	EXPECT_EQ(H.value, 0x1234);
	EXPECT_EQ(H.exit.rt, 5);
	EXPECT_EQ(HC(V, 0, VMM_REPLY, 0), E(BAD_STATE)); /* answered once */
}

TEST(vmm_exit_delivered_to_a_waiting_vmm)
{
	struct guest_exit e = { .kind = CLOISON_VMM_EXIT_HVC, .addr = 0x84000000,
				.value = 1, .arg2 = 2, .arg3 = 3 };

	setup();
	EXPECT_EQ(HC(V, 0, VMM_WAIT), OK);
	EXPECT(H.blocked == V);
	EXPECT(V->vmm.waiting_on == G);
	vmm_forward(G, &e);
	EXPECT(H.delivered_to == V);
	EXPECT_EQ(H.res[0], CLOISON_VMM_EXIT_HVC);
	EXPECT_EQ(H.res[1], 0x84000000);
	EXPECT_EQ(H.res[3], 1);
	EXPECT_EQ(H.res[4], 2);
	EXPECT_EQ(H.res[5], 3);
	EXPECT(V->vmm.waiting_on == NULL);
	EXPECT_EQ(HC(V, 0, VMM_REPLY, 0x10000), OK);
	EXPECT_EQ(H.value, 0x10000);
}

TEST(vmm_wait_woken_by_own_interrupt_and_by_guest_stop)
{
	setup();
	H.pending = true;                      /* already pending: no sleep */
	EXPECT_EQ(HC(V, 0, VMM_WAIT), OK);
	EXPECT_EQ(R[1], CLOISON_VMM_EXIT_IRQ);
	EXPECT(H.blocked == NULL);
	H.pending = false;
	EXPECT_EQ(HC(V, 0, VMM_WAIT), OK);
	EXPECT(H.blocked == V);
	vmm_interrupt(W);                      /* not waiting: nothing */
	EXPECT(H.delivered_to == NULL);
	vmm_interrupt(V);
	EXPECT(H.delivered_to == V);
	EXPECT_EQ(H.res[0], CLOISON_VMM_EXIT_IRQ);
	H.delivered_to = NULL;
	EXPECT_EQ(HC(V, 0, VMM_WAIT), OK);
	vmm_guest_stopped(G, 0x40001000);
	EXPECT(H.delivered_to == V);
	EXPECT_EQ(H.res[0], CLOISON_VMM_EXIT_STOPPED);
	EXPECT_EQ(H.res[1], 0x40001000);
	EXPECT_EQ(HC(V, 0, VMM_REPLY, 0), E(BAD_STATE));
}

/* The guest stops (a fault, or dom0) before its VMM calls vmm_wait: the
 * wait hears "stopped" at once instead of blocking for good, and only once;
 * a guest resumed since is waited for as usual. */
TEST(vmm_wait_after_the_guest_stopped)
{
	setup();
	G->state = CLOISON_DOMAIN_STOPPED;
	vmm_guest_stopped(G, 0x40002000);      /* nobody waiting yet */
	EXPECT(H.delivered_to == NULL);
	EXPECT_EQ(HC(V, 0, VMM_WAIT), OK);
	EXPECT(H.blocked == NULL);
	EXPECT_EQ(R[1], CLOISON_VMM_EXIT_STOPPED);
	EXPECT_EQ(R[2], 0x40002000);
	EXPECT_EQ(HC(V, 0, VMM_WAIT), OK);     /* said once: now it blocks */
	EXPECT(H.blocked == V);
	setup();
	G->state = CLOISON_DOMAIN_STOPPED;
	vmm_guest_stopped(G, 0x40002000);
	G->state = CLOISON_DOMAIN_RUNNING;     /* resumed before the VMM waited */
	EXPECT_EQ(HC(V, 0, VMM_WAIT), OK);
	EXPECT(H.blocked == V);
}

TEST(vmm_set_reg_and_irq)
{
	struct guest_exit e = load(8, false, true);

	setup();
	EXPECT_EQ(HC(V, 0, VMM_SET_REG, CLOISON_VMM_REG_PC + 1, 0), E(INVALID_ARGUMENT));
	EXPECT_EQ(HC(V, 0, VMM_SET_REG, CLOISON_VMM_REG_PC, 0x40200000), OK);
	EXPECT(H.reg_dom == G && H.reg == CLOISON_VMM_REG_PC && H.reg_value == 0x40200000);
	G->state = CLOISON_DOMAIN_RUNNING;
	EXPECT_EQ(HC(V, 0, VMM_SET_REG, 0, 1), E(BAD_STATE));
	vmm_forward(G, &e);
	EXPECT_EQ(HC(V, 0, VMM_WAIT), OK);
	EXPECT_EQ(HC(V, 0, VMM_SET_REG, 0, 7), OK); /* waiting for the reply: allowed */
	EXPECT_EQ(HC(V, 0, VMM_IRQ, 15, 0), E(INVALID_ARGUMENT));
	EXPECT_EQ(HC(V, 0, VMM_IRQ, 64, 0), E(INVALID_ARGUMENT));
	EXPECT_EQ(HC(V, 0, VMM_IRQ, 33, 3), E(INVALID_ARGUMENT));
	EXPECT_EQ(HC(V, 0, VMM_IRQ, 27, 1), OK);
	EXPECT(H.cfg_id == 27 && H.cfg_en && H.virq_to == NULL);
	EXPECT_EQ(HC(V, 0, VMM_IRQ, 33, 0), OK);
	EXPECT(H.cfg_id == 33 && H.cfg_en && H.virq_to == G && H.virq == 33);
	EXPECT_EQ(HC(V, 0, VMM_IRQ, 33, 2), OK);
	EXPECT(H.cfg_id == 33 && !H.cfg_en);
}

/* vmm_reset: only while the guest does not run (not started, or its exit
 * taken); each call is one chunk and says what remains; a refused call
 * reloads nothing; another domain or a query cap cannot. */
TEST(vmm_reset_chunks_and_refusals)
{
	struct guest_exit e = { .kind = CLOISON_VMM_EXIT_HVC, .addr = 0x84000009 };
	uint64_t left = 0, calls = 0;

	setup();
	reloaded = NULL;
	reload_left = 0x20000;
	EXPECT_EQ(HC(V, 2, VMM_RESET), E(NO_RIGHTS));
	EXPECT_EQ(HC(V, 1, VMM_RESET), E(INVALID_ARGUMENT));   /* itself */
	G->state = CLOISON_DOMAIN_RUNNING;
	EXPECT_EQ(HC(V, 0, VMM_RESET), E(BAD_STATE));           /* running */
	EXPECT(reloaded == NULL && G->vmm.vmm == NULL);
	vmm_forward(G, &e);                                     /* SYSTEM_RESET */
	EXPECT_EQ(HC(V, 0, VMM_WAIT), OK);
	EXPECT_EQ(HC(W, 0, VMM_RESET), E(BAD_STATE));           /* not its VMM */
	do {
		EXPECT_EQ(HC(V, 0, VMM_RESET), OK);
		left = R[1];
		calls++;
	} while (left && calls < 10);
	EXPECT(reloaded == G);
	EXPECT_EQ(calls, 4u);
	EXPECT_EQ(HC(V, 0, VMM_REPLY, 0x40000000), OK);         /* x0: the tree */
	EXPECT(H.completed == G && H.value == 0x40000000);
}

/* The guest's object goes (its last cap deleted) while its VMM waits on it:
 * the VMM hears "stopped" and keeps no pointer to it. (Boot domains are
 * pinned; a domain made by retype is not: unpinned here to be one.) */
TEST(vmm_guest_object_gone_while_waited_on)
{
	setup();
	G->obj.flags &= ~OBJECT_PINNED;
	EXPECT_EQ(HC(V, 0, VMM_REGION, 0x09000000, 0x1000), OK);
	EXPECT(V->vmm.served_head == G && G->vmm.served);
	EXPECT_EQ(HC(V, 0, VMM_WAIT), OK);
	EXPECT(V->vmm.waiting_on == G);
	EXPECT_EQ(HC(W, 0, CAP_DELETE), OK);
	EXPECT_EQ(HC(V, 2, CAP_DELETE), OK);
	EXPECT(H.delivered_to == NULL);
	EXPECT_EQ(HC(V, 0, CAP_DELETE), OK); /* the last one */
	EXPECT(H.delivered_to == V);
	EXPECT_EQ(H.res[0], CLOISON_VMM_EXIT_STOPPED);
	EXPECT(V->vmm.waiting_on == NULL);
	EXPECT(V->vmm.served_head == NULL);
}

TEST(vmm_load_value_size_sign_width)
{
	struct guest_exit b = load(1, true, true), h = load(2, true, false);
	struct guest_exit w = load(4, false, false), ws = load(4, true, true);
	struct guest_exit x = load(8, true, true), bu = load(1, false, true);

	EXPECT_EQ(vmm_load_value(&b, 0x80), 0xffffffffffffff80ull);   /* ldrsb x */
	EXPECT_EQ(vmm_load_value(&b, 0x17f), 0x7full);                /* truncated first */
	EXPECT_EQ(vmm_load_value(&bu, 0xfff0), 0xf0ull);              /* ldrb */
	EXPECT_EQ(vmm_load_value(&h, 0x8000), 0xffff8000ull);         /* ldrsh w */
	EXPECT_EQ(vmm_load_value(&w, ~0ull), 0xffffffffull);          /* ldr w */
	EXPECT_EQ(vmm_load_value(&ws, 0x80000000), 0xffffffff80000000ull); /* ldrsw */
	EXPECT_EQ(vmm_load_value(&x, 0x8000000000000001ull), 0x8000000000000001ull);
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv);
}

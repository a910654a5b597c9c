/* SPDX-License-Identifier: MIT */
/*
 * Building and running a domain made at run time (object/build.c with the
 * kernel's side, kernel/dynvm.c, and the scheduler that reaps it), on the
 * host with the fake machine. dom0 here is a domain of the "policy" with a
 * vm (its RAM holds the image it loads) and a typed pool without
 * retype_frame.
 *
 * - 100 guests given memory, loaded, scheduled, started, stopped and
 *   destroyed in a row: the pool's free bytes, the core's object count and
 *   the table of domains return to the baseline, and a guest's memory is
 *   zero before anything is carved from it again;
 * - the image's SHA-256 is what the core copied;
 * - after finish_build every build call is refused (bad_state) and nothing
 *   changes; before it, each refusal (no right, wrong pool, bad size, limits
 *   beyond dom0's own, a source outside dom0's RAM, a cap without grant, a
 *   CNode, pool or domain cap) changes nothing;
 * - finish_build refuses while a cap to the guest's CSpace CNode exists
 *   besides the domain's own;
 * - the pool running out at domain_set_memory: no_memory, nothing carved;
 * - domain_connect: a channel between a guest under build and a driver
 *   domain's connect inbox, dom0 holding neither end; destroying the guest,
 *   dropping its last cap or revoking the pool takes the driver's end and
 *   every copy of it (the driver signalled); each refusal changes nothing.
 */
#include "capcall.h"
#include "capcheck.h"
#include "harness.h"

#include <arch/mem.h>
#include <cloison/abi/errors.h>
#include <cloison/abi/objects.h>
#include <cloison/abi/policy.h>
#include <cloison/abi/start_info.h>
#include <cloison/bootcap.h>
#include <cloison/clock.h>
#include <cloison/cnode.h>
#include <cloison/domain.h>
#include <cloison/dynvm.h>
#include <cloison/object.h>
#include <cloison/sched.h>
#include <cloison/std/sha256.h>
#include <cloison/sysobj.h>
#include <cloison/untyped.h>
#include <cloison/vm.h>

#include <stdlib.h>
#include <string.h>

#include "fake.h"

#define NONE CLOISON_SLOT_NONE
#define PG PAGE_SIZE
#define MIB2 (2ull << 20)
#define POOL (6ull << 20)
#define DOM0_POOL_RIGHTS                                                                   \
	(CLOISON_RIGHT_UNTYPED_RETYPE_DOMAIN | CLOISON_RIGHT_UNTYPED_RETYPE_CNODE |        \
	 CLOISON_RIGHT_UNTYPED_RETYPE_CHANNEL | CLOISON_RIGHT_UNTYPED_RETYPE_NOTIFICATION)
/* dom0's own RAM (holds the image it loads), after the pool. */
#define DOM0_RAM_SIZE (64ull << 10)
#define IMAGE_LEN 3000u /* three domain_load calls: 1024 + 1024 + 952 */

/* dom0's slots */
enum { S_POOL, S_CONSOLE, S_CN, S_DOM, S_END0, S_END1, S_SCRATCH, S_NOGRANT };
/* dom0's caps on the driver domain D1: connect (and query), query only */
enum { S_DRV = 10, S_DRVQ = 11 };
/* D1's CSpace: 16 slots, the last 4 its connect inbox */
#define INBOX_FIRST 12u
#define INBOX_SLOTS 4u
#define CHAN (68ull << 10) /* a ring page and 64 KiB of data, as storage-dom's */

static struct domain *D0, *D1;
static struct domain *raised_domain;
static uint32_t raised_vintid;
static struct vm boot_vm[1];
static struct vm *dom0_vm;
static uint64_t pool_pa;

static void changed(struct domain *d)
{
	(void)d;
	sched_poke();
}

static void console_write(const char *buf, size_t len)
{
	(void)buf;
	(void)len;
}

static void raise_virq(struct domain *d, uint32_t vintid)
{
	raised_domain = d;
	raised_vintid = vintid;
}

static void setup(uint64_t pool_size)
{
	static const struct sysobj_hooks hooks = {
		.console_write = console_write,
		.domain_changed = changed,
		.vm_available = dynvm_available,
		.vm_attach = dynvm_attach,
		.caller_ram = dynvm_caller_ram,
		.sched_limits = dynvm_sched_limits,
		.vm_ready = dynvm_ready,
		.raise_virq = raise_virq,
	};
	struct untyped *ut;
	paddr_t pool;
	uint8_t *img;

	fake_stage2_reset();
	capfix_base(&pool, pool_size + DOM0_RAM_SIZE);
	sysobj_set_hooks(&hooks);
	pool_pa = pa_addr(pool);
	ut = bootcap_untyped(pool, pool_size);
	D0 = bootcap_domain(16);
	D1 = bootcap_domain(16);
	if (!ut || !D0 || !D1)
		abort();
	D1->inbox_first = INBOX_FIRST;
	D1->inbox_slots = INBOX_SLOTS;
	D1->state = CLOISON_DOMAIN_RUNNING;
	raised_domain = NULL;
	raised_vintid = 0;
	bootcap_install(D0, S_POOL, &ut->obj, DOM0_POOL_RIGHTS, 0);
	bootcap_install(D0, S_CONSOLE, bootcap_console(),
			CLOISON_RIGHT_CONSOLE_WRITE | CLOISON_RIGHT_GRANT, 0);
	bootcap_install(D0, S_NOGRANT, bootcap_console(), CLOISON_RIGHT_CONSOLE_WRITE, 0);
	bootcap_install(D0, S_DRV, &D1->obj, CLOISON_RIGHT_DOMAIN_CONNECT | CLOISON_RIGHT_DOMAIN_QUERY,
			0);
	bootcap_install(D0, S_DRVQ, &D1->obj, CLOISON_RIGHT_DOMAIN_QUERY, 0);
	bootcap_finish();

	vm_table_init(boot_vm, 1);
	dom0_vm = vm_alloc();
	dom0_vm->domain = D0;
	memcpy(dom0_vm->name, "dom0", 5);
	dom0_vm->mem_ipa = CLOISON_DOMAIN_IPA_BASE;
	dom0_vm->mem_phys = pa_add(pool, pool_size);
	dom0_vm->mem_size = DOM0_RAM_SIZE;
	D0->state = CLOISON_DOMAIN_RUNNING;
	fake_now = 0;
	fake_deadline = UINT64_MAX;
	fake_loaded = NULL;
	sched_init();
	clock_start(1000);
	sched_add(&dom0_vm->vcpu, 2000, 10000, 200);
	/* The image dom0 will load: bytes that are not zero. */
	img = arch_mem_ptr(dom0_vm->mem_phys, IMAGE_LEN);
	for (unsigned i = 0; i < IMAGE_LEN; i++)
		img[i] = (uint8_t)(i * 7 + 1);
	(void)sched_exit_and_switch(); /* dom0 is the running vCPU */
}

/* The scheduler notices what the last calls did (a destroyed domain is
 * unloaded and its RAM zeroed on dom0's time). */
static void schedule(void)
{
	(void)sched_exit_and_switch();
}

static uint64_t pool_free(void)
{
	return capcall_pool_free(D0, S_POOL);
}

static uint64_t state_of(uint64_t slot)
{
	return capcall_domain_state(D0, slot);
}

/* "guestNN" as the four name words of domain_set_memory. */
static void name_words(unsigned n, uint64_t w[4])
{
	char name[32] = { 0 };

	memcpy(name, "guest", 5);
	name[5] = (char)('0' + n / 10 % 10);
	name[6] = (char)('0' + n % 10);
	memcpy(w, name, 32);
}

/* The CSpace and domain, memory, image, scheduling and a console cap:
 * everything up to (not including) finish_build. */
static uint64_t prepare_guest(unsigned n, uint64_t mem)
{
	uint64_t w[4], err;
	uint64_t cname = 0;

	name_words(n, w);
	memcpy(&cname, "console", 7);
	if ((err = HC(D0, S_POOL, UNTYPED_RETYPE, CLOISON_TYPE_CNODE, 8, NONE, S_CN)) ||
	    (err = HC(D0, S_POOL, UNTYPED_RETYPE, CLOISON_TYPE_DOMAIN, 0, NONE, S_DOM)) ||
	    (err = HC(D0, S_DOM, DOMAIN_SET_CSPACE, S_CN)) ||
	    (err = HC(D0, S_CN, CAP_DELETE)) ||
	    (err = HC(D0, S_DOM, DOMAIN_SET_MEMORY, S_POOL, mem, w[0], w[1], w[2], w[3])))
		return err;
	for (uint64_t off = 0; off < IMAGE_LEN; off += CLOISON_LOAD_MAX) {
		uint64_t len = IMAGE_LEN - off < CLOISON_LOAD_MAX ? IMAGE_LEN - off : CLOISON_LOAD_MAX;

		if ((err = HC(D0, S_DOM, DOMAIN_LOAD, CLOISON_DOMAIN_IPA_BASE + off, len)))
			return err;
	}
	if ((err = HC(D0, S_DOM, DOMAIN_SET_SCHED, 1000, 10000, 100)) ||
	    (err = HC(D0, S_CONSOLE, CAP_IDENTIFY)) ||
	    (err = HC(D0, S_DOM, DOMAIN_INSTALL, S_CONSOLE, 1, CLOISON_RIGHT_CONSOLE_WRITE, cname, 0)))
		return err;
	return CLOISON_ERR_OK;
}

static void drop_all(void)
{
	for (uint64_t s = S_CN; s <= S_SCRATCH; s++)
		if (HC(D0, s, CAP_IDENTIFY) == CLOISON_ERR_OK)
			EXPECT_EQ(HC(D0, s, CAP_DELETE), CLOISON_ERR_OK);
	schedule();
}

TEST(a_hundred_guests_run_and_leave_pool_objects_and_domains_as_they_were)
{
	uint64_t free0, objs0, ram_pa = 0;
	uint32_t vms0;

	setup(POOL);
	free0 = pool_free();
	objs0 = object_count();
	vms0 = vm_count();
	for (unsigned i = 0; i < 100; i++) {
		struct vm *vm;

		EXPECT_EQ(prepare_guest(i, 4 << 20), CLOISON_ERR_OK);
		EXPECT_EQ(HC(D0, S_DOM, DOMAIN_FINISH_BUILD), CLOISON_ERR_OK);
		EXPECT_EQ(vm_count(), vms0 + 1);
		vm = vm_at(vms0);
		EXPECT(vm && vm->mem_size == (4 << 20) && vm->vcpu.priority == 100);
		if (!vm)
			break;
		/* What the guest runs: the image at the start of its RAM, the
		 * start-info page at its end naming it and its console cap. */
		EXPECT(memcmp(arch_mem_ptr(vm->mem_phys, IMAGE_LEN),
			      arch_mem_ptr(dom0_vm->mem_phys, IMAGE_LEN), IMAGE_LEN) == 0);
		{
			const struct cloison_start_info *si = arch_mem_ptr(
				pa_add(vm->mem_phys, vm->mem_size - PG), PG);

			EXPECT_EQ(si->magic, CLOISON_START_INFO_MAGIC);
			EXPECT_EQ(si->n_caps, 1);
			EXPECT(strcmp(si->caps[0].name, "console") == 0);
			EXPECT(si->name[0] == 'g' && si->name[5] == (char)('0' + i / 10 % 10));
			EXPECT_EQ(si->mem_pa, 0); /* no driver domain */
		}
		ram_pa = pa_addr(vm->mem_phys);
		EXPECT_EQ(HC(D0, S_DOM, DOMAIN_START), CLOISON_ERR_OK);
		EXPECT_EQ(HC(D0, S_DOM, DOMAIN_STOP), CLOISON_ERR_OK);
		EXPECT_EQ(HC(D0, S_DOM, DOMAIN_DESTROY), CLOISON_ERR_OK);
		schedule();
		/* Off the table and zeroed as soon as the scheduler saw it. */
		EXPECT_EQ(vm_count(), vms0);
		EXPECT(fake_mem_domain_sees_zero(ram_pa, 4 << 20));
		EXPECT_EQ(state_of(S_DOM), CLOISON_DOMAIN_DESTROYED);
		drop_all();
		EXPECT_EQ(pool_free(), free0);
		EXPECT_EQ(object_count(), objs0);
		if (capcall_broken)
			break;
	}
}

TEST(dropping_the_caps_without_destroy_ends_the_guest_too)
{
	uint64_t free0, objs0;

	setup(POOL);
	free0 = pool_free();
	objs0 = object_count();
	EXPECT_EQ(prepare_guest(1, 2 << 20), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_FINISH_BUILD), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_START), CLOISON_ERR_OK);
	EXPECT_EQ(vm_count(), 2);
	drop_all(); /* the domain object dies; its vm is reaped, then released */
	EXPECT_EQ(vm_count(), 1);
	EXPECT_EQ(pool_free(), free0);
	EXPECT_EQ(object_count(), objs0);
}

TEST(the_image_hash_is_of_what_the_core_copied)
{
	uint8_t want[32];

	setup(POOL);
	EXPECT_EQ(prepare_guest(2, 2 << 20), CLOISON_ERR_OK);
	sha256(arch_mem_ptr(dom0_vm->mem_phys, IMAGE_LEN), IMAGE_LEN, want);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_BUILD_QUERY), CLOISON_ERR_OK);
	EXPECT_EQ(R[1], 2 << 20);
	EXPECT_EQ(R[2], IMAGE_LEN);
	EXPECT(memcmp(&R[3], want, 32) == 0);
	/* A domain of the policy has nothing to report. */
	EXPECT_EQ(HC(D0, S_POOL, UNTYPED_RETYPE, CLOISON_TYPE_DOMAIN, 0, NONE, S_SCRATCH),
		  CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_SCRATCH, DOMAIN_BUILD_QUERY), CLOISON_ERR_OK);
	EXPECT_EQ(R[1] | R[2] | R[3], 0);
}

/* Every build call, and dom0's other ways in, after start: refused and
 * nothing changed. */
TEST(after_start_dom0_can_neither_load_map_install_nor_retype_a_frame)
{
	uint64_t free0, objs0, w[4], cname = 0;
	uint8_t before[64];
	struct vm *vm;

	setup(POOL);
	memcpy(&cname, "more", 4);
	name_words(3, w);
	EXPECT_EQ(prepare_guest(3, 2 << 20), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_FINISH_BUILD), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_START), CLOISON_ERR_OK);
	vm = vm_at(1);
	memcpy(before, arch_mem_ptr(vm->mem_phys, sizeof(before)), sizeof(before));
	/* a pool split from dom0's (it inherits the parent's rights) */
	EXPECT_EQ(HC(D0, S_POOL, UNTYPED_RETYPE, CLOISON_TYPE_UNTYPED, 2 * PG, NONE, S_SCRATCH),
		  CLOISON_ERR_OK);
	free0 = pool_free();
	objs0 = object_count();
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_LOAD, CLOISON_DOMAIN_IPA_BASE, 64), CLOISON_ERR_BAD_STATE);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_SET_MEMORY, S_POOL, 2 << 20, w[0], w[1], w[2], w[3]),
		  CLOISON_ERR_BAD_STATE);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_SET_SCHED, 2000, 10000, 200), CLOISON_ERR_BAD_STATE);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_INSTALL, S_CONSOLE, 2, CLOISON_RIGHT_CONSOLE_WRITE, cname, 0),
		  CLOISON_ERR_BAD_STATE);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_FINISH_BUILD), CLOISON_ERR_BAD_STATE);
	/* map any part of it: the domain cap is no memory, and dom0 holds no
	 * cap to the guest's RAM; the pool cannot become a frame */
	EXPECT_EQ(HC(D0, S_DOM, MEMORY_MAP, 0x80000000ull, CLOISON_RIGHT_FRAME_READ),
		  CLOISON_ERR_WRONG_TYPE);
	EXPECT_EQ(HC(D0, S_POOL, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, PG, NONE, S_END1),
		  CLOISON_ERR_NO_RIGHTS);
	EXPECT_EQ(HC(D0, S_SCRATCH, UNTYPED_RETYPE, CLOISON_TYPE_FRAME, PG, NONE, S_END0),
		  CLOISON_ERR_NO_RIGHTS);
	EXPECT_EQ(pool_free(), free0);
	EXPECT_EQ(object_count(), objs0);
	EXPECT(memcmp(before, arch_mem_ptr(vm->mem_phys, sizeof(before)), sizeof(before)) == 0);
	EXPECT_EQ(vm->vcpu.priority, 100);
	EXPECT_EQ(state_of(S_DOM), CLOISON_DOMAIN_RUNNING);
}

TEST(each_refusal_before_start_changes_nothing)
{
	uint64_t free0, objs0, w[4], cname = 0, bad[4];

	setup(POOL);
	memcpy(&cname, "x", 1);
	name_words(4, w);
	EXPECT_EQ(HC(D0, S_POOL, UNTYPED_RETYPE, CLOISON_TYPE_CNODE, 8, NONE, S_CN), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_POOL, UNTYPED_RETYPE, CLOISON_TYPE_DOMAIN, 0, NONE, S_DOM),
		  CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_SET_CSPACE, S_CN), CLOISON_ERR_OK);
	free0 = pool_free();
	objs0 = object_count();
	/* no memory yet: nothing to load, schedule or install into */
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_LOAD, CLOISON_DOMAIN_IPA_BASE, 64), CLOISON_ERR_BAD_STATE);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_SET_SCHED, 1000, 10000, 1), CLOISON_ERR_BAD_STATE);
	/* set_memory: a pool that is not one, sizes, names */
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_SET_MEMORY, S_CONSOLE, 2 << 20, w[0], w[1], w[2], w[3]),
		  CLOISON_ERR_WRONG_TYPE);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_SET_MEMORY, S_POOL, 0, w[0], w[1], w[2], w[3]),
		  CLOISON_ERR_OUT_OF_RANGE);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_SET_MEMORY, S_POOL, PG, w[0], w[1], w[2], w[3]),
		  CLOISON_ERR_ALIGNMENT);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_SET_MEMORY, S_POOL, 64ull << 20, w[0], w[1], w[2], w[3]),
		  CLOISON_ERR_NO_MEMORY);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_SET_MEMORY, S_POOL, 2 << 20, 0, 0, 0, 0),
		  CLOISON_ERR_INVALID_ARGUMENT);
	memset(bad, 'a', sizeof(bad)); /* no NUL */
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_SET_MEMORY, S_POOL, 2 << 20, bad[0], bad[1], bad[2], bad[3]),
		  CLOISON_ERR_INVALID_ARGUMENT);
	/* finish_build: dom0 still holds the CNode cap (step 6), and no memory */
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_FINISH_BUILD), CLOISON_ERR_BAD_STATE);
	EXPECT_EQ(pool_free(), free0);
	EXPECT_EQ(object_count(), objs0);
	EXPECT_EQ(vm_count(), 1);

	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_SET_MEMORY, S_POOL, 2 << 20, w[0], w[1], w[2], w[3]),
		  CLOISON_ERR_OK);
	free0 = pool_free();
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_SET_MEMORY, S_POOL, 2 << 20, w[0], w[1], w[2], w[3]),
		  CLOISON_ERR_BAD_STATE); /* once only */
	/* load: outside dom0's RAM, too long, zero, past the start-info page */
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_LOAD, pool_pa, 64), CLOISON_ERR_INVALID_ARGUMENT);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_LOAD, CLOISON_DOMAIN_IPA_BASE + DOM0_RAM_SIZE - 32, 64),
		  CLOISON_ERR_INVALID_ARGUMENT);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_LOAD, CLOISON_DOMAIN_IPA_BASE, CLOISON_LOAD_MAX + 1),
		  CLOISON_ERR_OUT_OF_RANGE);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_LOAD, CLOISON_DOMAIN_IPA_BASE, 0), CLOISON_ERR_OUT_OF_RANGE);
	/* scheduling beyond dom0's own: priority 200, 2000 us of 10000 */
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_SET_SCHED, 1000, 10000, 201), CLOISON_ERR_OUT_OF_RANGE);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_SET_SCHED, 2001, 10000, 100), CLOISON_ERR_OUT_OF_RANGE);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_SET_SCHED, 0, 10000, 100), CLOISON_ERR_OUT_OF_RANGE);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_SET_SCHED, 2000, 1000, 100), CLOISON_ERR_OUT_OF_RANGE);
	/* install: no grant on the source, wider rights, a CNode or a pool */
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_INSTALL, S_NOGRANT, 1, CLOISON_RIGHT_CONSOLE_WRITE, cname, 0),
		  CLOISON_ERR_NO_RIGHTS);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_INSTALL, S_CONSOLE, 1, CLOISON_RIGHT_CONSOLE_INPUT, cname, 0),
		  CLOISON_ERR_NO_RIGHTS);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_INSTALL, S_CN, 1, CLOISON_RIGHT_CNODE_READ, cname, 0),
		  CLOISON_ERR_WRONG_TYPE);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_INSTALL, S_POOL, 1, 0, cname, 0), CLOISON_ERR_WRONG_TYPE);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_INSTALL, S_DOM, 1, CLOISON_RIGHT_DOMAIN_STOP, cname, 0),
		  CLOISON_ERR_WRONG_TYPE);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_INSTALL, S_CONSOLE, 99, CLOISON_RIGHT_CONSOLE_WRITE, cname, 0),
		  CLOISON_ERR_INVALID_SLOT);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_BUILD_QUERY), CLOISON_ERR_OK);
	EXPECT_EQ(R[2], 0); /* nothing loaded */
	EXPECT_EQ(pool_free(), free0);
	EXPECT_EQ(object_count(), objs0);
	/* finish_build: no scheduling set yet; then dom0 still holds the
	 * guest's CNode cap (it could put caps in after start) */
	EXPECT_EQ(HC(D0, S_CN, CAP_DELETE), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_FINISH_BUILD), CLOISON_ERR_BAD_STATE);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_SET_SCHED, 1000, 10000, 100), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_POOL, UNTYPED_RETYPE, CLOISON_TYPE_CNODE, 4, NONE, S_CN), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_SET_CSPACE, S_CN), CLOISON_ERR_BAD_STATE);
	EXPECT_EQ(HC(D0, S_CN, CAP_DELETE), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_FINISH_BUILD), CLOISON_ERR_OK);
}

TEST(finish_build_refuses_while_dom0_keeps_the_cnode_cap)
{
	uint64_t w[4];

	setup(POOL);
	name_words(6, w);
	EXPECT_EQ(HC(D0, S_POOL, UNTYPED_RETYPE, CLOISON_TYPE_CNODE, 8, NONE, S_CN), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_POOL, UNTYPED_RETYPE, CLOISON_TYPE_DOMAIN, 0, NONE, S_DOM),
		  CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_SET_CSPACE, S_CN), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_SET_MEMORY, S_POOL, 2 << 20, w[0], w[1], w[2], w[3]),
		  CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_SET_SCHED, 1000, 10000, 100), CLOISON_ERR_OK);
	/* a copy kept elsewhere counts as much as the original */
	EXPECT_EQ(HC(D0, S_CN, CAP_COPY, NONE, S_SCRATCH), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_CN, CAP_DELETE), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_FINISH_BUILD), CLOISON_ERR_BAD_STATE);
	EXPECT_EQ(state_of(S_DOM), CLOISON_DOMAIN_CREATED);
	EXPECT_EQ(HC(D0, S_SCRATCH, CAP_DELETE), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_FINISH_BUILD), CLOISON_ERR_OK);
	EXPECT_EQ(state_of(S_DOM), CLOISON_DOMAIN_BUILT);
}

/* The pool runs out when the guest's memory is asked for: no_memory, the
 * domain stays created without memory, and dropping the caps returns the
 * pool whole. */
TEST(exhaustion_at_set_memory_leaves_nothing_half_built)
{
	uint64_t free0, objs0, w[4];

	setup(3ull << 20);
	free0 = pool_free();
	objs0 = object_count();
	name_words(5, w);
	EXPECT_EQ(prepare_guest(5, 2 << 20), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_FINISH_BUILD), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_DOM, CAP_MOVE, NONE, 8), CLOISON_ERR_OK);
	/* a second one does not fit */
	EXPECT_EQ(HC(D0, S_POOL, UNTYPED_RETYPE, CLOISON_TYPE_CNODE, 8, NONE, S_CN), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_POOL, UNTYPED_RETYPE, CLOISON_TYPE_DOMAIN, 0, NONE, S_DOM),
		  CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_SET_CSPACE, S_CN), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_CN, CAP_DELETE), CLOISON_ERR_OK);
	{
		uint64_t before = pool_free(), objs = object_count();

		EXPECT_EQ(HC(D0, S_DOM, DOMAIN_SET_MEMORY, S_POOL, 2 << 20, w[0], w[1], w[2], w[3]),
			  CLOISON_ERR_NO_MEMORY);
		EXPECT_EQ(pool_free(), before);
		EXPECT_EQ(object_count(), objs);
	}
	EXPECT_EQ(state_of(S_DOM), CLOISON_DOMAIN_CREATED);
	EXPECT_EQ(vm_count(), 2);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_LOAD, CLOISON_DOMAIN_IPA_BASE, 64), CLOISON_ERR_BAD_STATE);
	drop_all();
	EXPECT_EQ(HC(D0, 8, CAP_DELETE), CLOISON_ERR_OK);
	schedule();
	EXPECT_EQ(vm_count(), 1);
	EXPECT_EQ(pool_free(), free0);
	EXPECT_EQ(object_count(), objs0);
}

/* ---- domain_connect ---- */

static uint64_t disk_name(void)
{
	uint64_t w = 0;

	memcpy(&w, "disk", 4);
	return w;
}

/* Connect the guest in dom0's slot S_DOM to D1: its slot 2, inbox slot. */
static uint64_t connect(uint64_t drv, uint64_t inbox)
{
	return HC(D0, drv, DOMAIN_CONNECT, S_DOM, S_POOL, CHAN, 2 | inbox << 32, disk_name(), 0);
}

static struct domain *guest(void)
{
	return (struct domain *)(void *)cap_object(&cnode_slot(domain_cspace(D0), S_DOM)->cap);
}

/* dom0 holds no channel end at all (nor anything it did not have). */
static bool dom0_holds_no_channel(void)
{
	for (uint64_t s = 0; s < 16; s++)
		if (HC(D0, s, CAP_IDENTIFY) == CLOISON_ERR_OK && R[1] == CLOISON_TYPE_CHANNEL)
			return false;
	return true;
}

static bool empty(struct domain *d, uint64_t slot)
{
	return HC(d, slot, CAP_IDENTIFY) == CLOISON_ERR_EMPTY_SLOT;
}

TEST(connect_puts_end1_in_the_guest_end0_in_the_inbox_and_destroy_takes_the_drivers_end)
{
	uint64_t free0, objs0, pa, size;
	struct domain *g;

	setup(POOL);
	free0 = pool_free();
	objs0 = object_count();
	for (unsigned round = 0; round < 3; round++) {
		EXPECT_EQ(prepare_guest(7, 2 << 20), CLOISON_ERR_OK);
		g = guest();
		EXPECT_EQ(connect(S_DRV, INBOX_FIRST + round), CLOISON_ERR_OK);
		EXPECT(dom0_holds_no_channel());
		/* the driver's end 0 in its inbox, the guest's end 1 in slot 2 */
		EXPECT_EQ(HC(D1, INBOX_FIRST + round, CAP_IDENTIFY), CLOISON_ERR_OK);
		EXPECT_EQ(R[1], CLOISON_TYPE_CHANNEL);
		EXPECT_EQ(R[3], 0);
		EXPECT_EQ(HC(D1, INBOX_FIRST + round, MEMORY_PHYS), CLOISON_ERR_OK);
		pa = R[1];
		size = R[2];
		EXPECT_EQ(size, CHAN);
		EXPECT_EQ(HC(g, 2, CAP_IDENTIFY), CLOISON_ERR_OK);
		EXPECT_EQ(R[1], CLOISON_TYPE_CHANNEL);
		EXPECT_EQ(R[3], 1);
		EXPECT_EQ(HC(g, 2, MEMORY_PHYS), CLOISON_ERR_OK);
		EXPECT_EQ(R[1], pa);
		/* listed in the guest's start-info page by name */
		{
			const struct cloison_start_info *si = arch_mem_ptr(
				pa_add(g->build->ram, g->build->ram_size - PG), PG);

			EXPECT_EQ(si->n_caps, 2);
			EXPECT(strcmp(si->caps[1].name, "disk") == 0);
			EXPECT_EQ(si->caps[1].slot, 2);
			EXPECT_EQ(si->caps[1].type, CLOISON_TYPE_CHANNEL);
		}
		/* the driver copies its end and binds it: every copy goes too */
		EXPECT_EQ(HC(D1, INBOX_FIRST + round, CAP_COPY, NONE, 3), CLOISON_ERR_OK);
		EXPECT_EQ(HC(D1, 3, CHANNEL_BIND, 40), CLOISON_ERR_OK);
		EXPECT_EQ(HC(D0, S_DOM, DOMAIN_FINISH_BUILD), CLOISON_ERR_OK);
		EXPECT_EQ(HC(D0, S_DOM, DOMAIN_START), CLOISON_ERR_OK);
		raised_domain = NULL;
		EXPECT_EQ(HC(D0, S_DOM, DOMAIN_DESTROY), CLOISON_ERR_OK);
		EXPECT(raised_domain == D1 && raised_vintid == 40);
		EXPECT(empty(D1, INBOX_FIRST + round));
		EXPECT(empty(D1, 3));
		schedule();
		drop_all();
		EXPECT_EQ(pool_free(), free0);
		EXPECT_EQ(object_count(), objs0);
		if (capcall_broken)
			break;
	}
}

TEST(dropping_the_guests_last_cap_or_revoking_the_pool_takes_the_drivers_end)
{
	uint64_t free0, objs0;

	setup(POOL);
	free0 = pool_free();
	objs0 = object_count();
	/* the last cap goes without a destroy */
	EXPECT_EQ(prepare_guest(8, 2 << 20), CLOISON_ERR_OK);
	EXPECT_EQ(connect(S_DRV, INBOX_FIRST), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_FINISH_BUILD), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_START), CLOISON_ERR_OK);
	drop_all();
	EXPECT(empty(D1, INBOX_FIRST));
	EXPECT_EQ(pool_free(), free0);
	EXPECT_EQ(object_count(), objs0);
	/* the guest deletes its own end first: the driver's stays until the
	 * guest is destroyed */
	EXPECT_EQ(prepare_guest(9, 2 << 20), CLOISON_ERR_OK);
	EXPECT_EQ(connect(S_DRV, INBOX_FIRST + 1), CLOISON_ERR_OK);
	EXPECT_EQ(HC(guest(), 2, CAP_DELETE), CLOISON_ERR_OK);
	EXPECT(!empty(D1, INBOX_FIRST + 1));
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_DESTROY), CLOISON_ERR_OK);
	EXPECT(empty(D1, INBOX_FIRST + 1));
	drop_all();
	EXPECT_EQ(pool_free(), free0);
	/* revoking dom0's pool takes both ends with everything else */
	EXPECT_EQ(prepare_guest(10, 2 << 20), CLOISON_ERR_OK);
	EXPECT_EQ(connect(S_DRV, INBOX_FIRST + 2), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_POOL, CAP_REVOKE), CLOISON_ERR_OK);
	schedule();
	EXPECT(empty(D1, INBOX_FIRST + 2));
	EXPECT_EQ(pool_free(), free0);
	EXPECT_EQ(object_count(), objs0);
}

TEST(each_connect_refusal_changes_nothing)
{
	uint64_t free0, objs0, n = disk_name(), w[4];

	setup(POOL);
	EXPECT_EQ(prepare_guest(11, 2 << 20), CLOISON_ERR_OK);
	/* a pool that makes no channels */
	EXPECT_EQ(HC(D0, S_POOL, CAP_MINT, NONE, S_SCRATCH,
		     DOM0_POOL_RIGHTS & ~CLOISON_RIGHT_UNTYPED_RETYPE_CHANNEL, 0),
		  CLOISON_ERR_OK);
	/* D1's inbox slot 13 already holds a client */
	EXPECT_EQ(HC(D0, S_DRV, DOMAIN_CONNECT, S_DOM, S_POOL, CHAN, 3 | (uint64_t)13 << 32, n, 0),
		  CLOISON_ERR_OK);
	free0 = pool_free();
	objs0 = object_count();
#define REFUSED(err, drv, g, pool, size, slots, name)                                        	EXPECT_EQ(HC(D0, drv, DOMAIN_CONNECT, g, pool, size, slots, name, 0), err)
	REFUSED(CLOISON_ERR_NO_RIGHTS, S_DRVQ, S_DOM, S_POOL, CHAN, 2 | 12ull << 32, n);
	REFUSED(CLOISON_ERR_WRONG_TYPE, S_POOL, S_DOM, S_POOL, CHAN, 2 | 12ull << 32, n);
	/* inbox slots outside the inbox, or taken */
	REFUSED(CLOISON_ERR_INVALID_SLOT, S_DRV, S_DOM, S_POOL, CHAN, 2 | 11ull << 32, n);
	REFUSED(CLOISON_ERR_INVALID_SLOT, S_DRV, S_DOM, S_POOL, CHAN, 2 | 16ull << 32, n);
	REFUSED(CLOISON_ERR_INVALID_SLOT, S_DRV, S_DOM, S_POOL, CHAN, 2 | 1ull << 32, n);
	REFUSED(CLOISON_ERR_INVALID_SLOT, S_DRV, S_DOM, S_POOL, CHAN, 2 | ~0ull << 32, n);
	REFUSED(CLOISON_ERR_SLOT_OCCUPIED, S_DRV, S_DOM, S_POOL, CHAN, 2 | 13ull << 32, n);
	/* the guest: not a domain, a cap without build (dom0's on the
	 * driver), a slot outside its CSpace or taken (its console) */
	REFUSED(CLOISON_ERR_WRONG_TYPE, S_DRV, S_POOL, S_POOL, CHAN, 2 | 12ull << 32, n);
	REFUSED(CLOISON_ERR_NO_RIGHTS, S_DRV, S_DRV, S_POOL, CHAN, 2 | 12ull << 32, n);
	REFUSED(CLOISON_ERR_EMPTY_SLOT, S_DRV, S_CN, S_POOL, CHAN, 2 | 12ull << 32, n);
	REFUSED(CLOISON_ERR_INVALID_SLOT, S_DRV, S_DOM, S_POOL, CHAN, 8 | 12ull << 32, n);
	REFUSED(CLOISON_ERR_SLOT_OCCUPIED, S_DRV, S_DOM, S_POOL, CHAN, 1 | 12ull << 32, n);
	/* the name, the pool, the size */
	REFUSED(CLOISON_ERR_INVALID_ARGUMENT, S_DRV, S_DOM, S_POOL, CHAN, 2 | 12ull << 32, 0);
	REFUSED(CLOISON_ERR_WRONG_TYPE, S_DRV, S_DOM, S_CONSOLE, CHAN, 2 | 12ull << 32, n);
	REFUSED(CLOISON_ERR_NO_RIGHTS, S_DRV, S_DOM, S_SCRATCH, CHAN, 2 | 12ull << 32, n);
	REFUSED(CLOISON_ERR_OUT_OF_RANGE, S_DRV, S_DOM, S_POOL, 0, 2 | 12ull << 32, n);
	REFUSED(CLOISON_ERR_ALIGNMENT, S_DRV, S_DOM, S_POOL, CHAN + 1, 2 | 12ull << 32, n);
	REFUSED(CLOISON_ERR_NO_MEMORY, S_DRV, S_DOM, S_POOL, POOL - PG, 2 | 12ull << 32, n);
	EXPECT_EQ(pool_free(), free0);
	EXPECT_EQ(object_count(), objs0);
	EXPECT(empty(D1, 12));
	EXPECT(empty(guest(), 2));
	/* After start: no connection to the guest any more (dom0 connecting
	 * itself as its back end would need one), nothing changed. */
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_FINISH_BUILD), CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_DOM, DOMAIN_START), CLOISON_ERR_OK);
	free0 = pool_free();
	objs0 = object_count();
	REFUSED(CLOISON_ERR_BAD_STATE, S_DRV, S_DOM, S_POOL, CHAN, 2 | 12ull << 32, n);
	/* dom0 as the back end: a domain it made has every right, connect
	 * too, but no inbox (only the policy reserves one) */
	EXPECT_EQ(HC(D0, S_POOL, UNTYPED_RETYPE, CLOISON_TYPE_DOMAIN, 0, NONE, S_END0),
		  CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_POOL, UNTYPED_RETYPE, CLOISON_TYPE_CNODE, 16, NONE, S_END1),
		  CLOISON_ERR_OK);
	EXPECT_EQ(HC(D0, S_END0, DOMAIN_SET_CSPACE, S_END1), CLOISON_ERR_OK);
	name_words(12, w);
	EXPECT_EQ(HC(D0, S_END0, DOMAIN_SET_MEMORY, S_POOL, 2 << 20, w[0], w[1], w[2], w[3]),
		  CLOISON_ERR_OK);
	free0 = pool_free();
	objs0 = object_count();
	REFUSED(CLOISON_ERR_INVALID_SLOT, S_END0, S_END0, S_POOL, CHAN, 2 | 12ull << 32, n);
#undef REFUSED
	EXPECT_EQ(pool_free(), free0);
	EXPECT_EQ(object_count(), objs0);
	EXPECT(dom0_holds_no_channel());
}

int main(int argc, char **argv)
{
	return harness_main(argc, argv);
}

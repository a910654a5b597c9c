/* SPDX-License-Identifier: MIT */
/*
 * Hypercall entry. The vectors send a domain's `hvc #0` to vm_hypercall(),
 * which calls hypercall_dispatch with the calling domain and its x0..x7; on return regs[0] is the error and
 * regs[1..7] the results (zero beyond what the call returns).
 *
 * Each call is a decode function (every check, no side effect) and an
 * invoke function (only mutation; cannot fail). The list mapping numbers
 * to them (HYPERCALL_CALLS) is generated from hyp/abi/cloison-abi.toml.
 */
#ifndef CLOISON_HYPERCALL_H
#define CLOISON_HYPERCALL_H

#include <cloison/abi/errors.h>
#include <cloison/cap.h>
#include <cloison/cnode.h>
#include <cloison/types.h>

struct domain;
struct cnode;
struct object;

struct hc_ctx {
	struct domain *caller;
	struct cnode *cspace; /* caller's CSpace (NULL: it has none) */
	uint64_t args[6]; /* x2..x7 (a private copy: results overwrite them) */
	struct cte *cte; /* the slot named by x0 (NULL for object "none") */
	uint64_t *res; /* x1..x7, zeroed before decode; only invoke writes */
	/* filled by decode for invoke */
	struct cte *dst;
	struct cte *aux;
	uint64_t v[4];
};

/*
 * The dispatcher, hypercall_dispatch(caller, regs), is inline in
 * hyp/core/kernel/hypercall_dispatch.h: it runs one call, or one chunk of a
 * preemptible call, after which hypercall_take_restart() says whether the
 * call must run again. The trap path (vm_hypercall) expands it.
 * hypercall_run: one call to completion, however many chunks it takes
 * (boot-time callers, tests that do not look at the chunks).
 */
void hypercall_run(struct domain *caller, uint64_t regs[8]);

/*
 * Preemptible calls (seL4's preemption points). A call whose cost grows with
 * what a domain has built (revoke of a deep or wide derivation tree, the
 * zeroing of a large retype) does a bounded chunk of work per execution and
 * keeps its progress in the objects themselves (the tree, the pool's zeroed
 * mark), so running the same call again continues instead of starting over.
 * When work remains, invoke calls hypercall_restart(): the caller's
 * registers are put back as they were (x0 = slot, x1 = the call, x2..x7 =
 * the arguments) and the trap path leaves EL2 with the `hvc` not yet
 * retired (ELR_EL2 points at it again), so the domain re-executes it after
 * any interrupt or switch that was pending. The caller is charged for every
 * chunk (its time runs while EL2 works for it), and each chunk is bounded,
 * so a domain cannot hold the CPU past its budget through a long call.
 *
 * The chunk sizes: work units per chunk. Tests shrink them to stop at every
 * possible boundary; the values below keep the longest EL2 stretch far
 * under 50,000 instructions (docs/benchmarks.md, "EL2 stretches").
 */
struct hc_chunk {
	uint32_t revoke_steps; /* derivation-tree deletions and lifts */
	uint64_t zero_bytes; /* bytes a retype zeroes */
	uint64_t reap_units; /* finalisation (object_reap): 8 per cap, 1 per slot */
	/* bytes of IPA unmapped per chunk; on the machine a multiple of 2 MiB
	 * (a block mapping is never split) */
	uint64_t unmap_bytes;
};
#define HC_CHUNK_REVOKE_STEPS 64u
#define HC_CHUNK_ZERO_BYTES (32u * 1024u)
#define HC_CHUNK_REAP_UNITS 512u
#define HC_CHUNK_UNMAP_BYTES (2ull << 20)
extern struct hc_chunk hc_chunk;

/* The scheduler's epoch (cloison/vcpu.h), defined with the core. */
extern uint64_t sched_epoch_counter;

/* Per CPU in spirit (one CPU today): the call the current hypercall left
 * unfinished, if any. */
struct hc_restart {
	bool pending;
	uint64_t x0;
};
extern struct hc_restart hc_restart;

struct hc_ctx;
/* From an invoke: the call (op) is not finished; re-execute it. */
void hypercall_restart(struct hc_ctx *ctx, uint64_t op);

/* After a dispatch: if the call asked to be restarted, put x0 back (the
 * rest is back already) and return true. */
static inline bool hypercall_take_restart(uint64_t regs[8])
{
	if (!hc_restart.pending)
		return false;
	hc_restart.pending = false;
	regs[0] = hc_restart.x0;
	return true;
}

/*
 * Decode helpers shared by the per-object call files.
 * hypercall_lookup: the slot `slot` of the caller's CSpace, checked non-empty.
 * hypercall_dest: the empty destination slot (dest_cnode, dest_index); sets
 * *cross when it lies outside the caller's own CSpace.
 */
static inline uint64_t hypercall_lookup(struct hc_ctx *ctx, uint64_t slot, struct cte **out)
{
	struct cte *cte = cnode_slot(ctx->cspace, slot);

	if (!cte)
		return CLOISON_ERR_INVALID_SLOT;
	if (cte_is_empty(cte))
		return CLOISON_ERR_EMPTY_SLOT;
	*out = cte;
	return CLOISON_ERR_OK;
}
uint64_t hypercall_dest(struct hc_ctx *ctx, uint64_t dest_cnode, uint64_t dest_index,
			struct cte **out, bool *cross);

#endif

/* SPDX-License-Identifier: MIT */
#include <cloison/std/string.h>
#include <cloison/vgic.h>

void vgic_init(struct vgic *g)
{
	memset(g, 0, sizeof(*g));
	memset(g->priority, VGIC_DEFAULT_PRIORITY, sizeof(g->priority));
}

bool vgic_raise(struct vgic *g, uint32_t vintid)
{
	if (vintid >= VGIC_NR_IRQS)
		return false;
	/* Already waiting in an LR as pending: raising again merges, as an
	 * edge-triggered interrupt does on hardware. */
	g->pending |= 1ull << vintid;
	return true;
}

bool vgic_wants_attention(const struct vgic *g)
{
	return ((g->pending | g->in_lr) & g->enabled) != 0;
}

int vgic_next(const struct vgic *g)
{
	uint64_t cand = g->pending & g->enabled & ~g->in_lr;
	int best = -1;

	/* The set bits only, lowest first (a domain's vINTIDs sit up to 63:
	 * a walk over every bit cost ~250 instructions a call). */
	for (; cand; cand &= cand - 1) {
		int i = __builtin_ctzll(cand);

		/* Lower value = higher priority; ties go to the lower vINTID. */
		if (best < 0 || g->priority[i] < g->priority[best])
			best = i;
	}
	return best;
}

/* SPDX-License-Identifier: MIT */
/* CNodes: tables of capability slots. A domain's CSpace is one CNode. */
#ifndef CLOISON_CNODE_H
#define CLOISON_CNODE_H

#include <cloison/cap.h>
#include <cloison/object.h>

struct cnode {
	struct object obj;
	uint32_t nslots;
	/* Finalisation: slots below this index are already emptied (the
	 * progress of a finalisation done in chunks, object.c). */
	uint32_t finalise_next;
	struct cte *bound; /* the domain's cspace slot that names us, if any */
	struct cte slots[];
};

static inline uint64_t cnode_size(uint64_t nslots)
{
	return sizeof(struct cnode) + nslots * sizeof(struct cte);
}

/* The slot at index, or NULL when index is out of range. */
/* The slot `index` of cn, or NULL if out of range (inline: every
 * hypercall looks one up). */
static inline struct cte *cnode_slot(struct cnode *cn, uint64_t index)
{
	if (!cn || index >= cn->nslots)
		return (struct cte *)0;
	return &cn->slots[index];
}

/* Set up a freshly carved, zeroed CNode. */
void cnode_setup(struct cnode *cn, uint32_t nslots);

/*
 * Finalisation: delete the caps it holds, from slot finalise_next on, using
 * at most *budget units (8 per deleted cap, 1 per slot looked at). Returns
 * true when every slot is empty.
 */
bool cnode_finalise_step(struct cnode *cn, uint64_t *budget);

#endif

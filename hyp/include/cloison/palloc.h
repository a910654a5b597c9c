/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's own page allocator: 4 KiB pages from a range of RAM the
 * policy reserves for the core (stage-2 tables). Pages come back zeroed.
 */
#ifndef CLOISON_PALLOC_H
#define CLOISON_PALLOC_H

#include <cloison/types.h>

void palloc_init(paddr_t base, uint64_t size);
void *palloc_page(void);  /* NULL when exhausted */
void palloc_free(void *page);
uint64_t palloc_free_pages(void);
/* Pages the pool was given at palloc_init (free or not). */
uint64_t palloc_total_pages(void);

#endif

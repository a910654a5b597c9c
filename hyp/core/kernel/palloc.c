/* SPDX-License-Identifier: MIT */
/*
 * Free-list page allocator. Free pages are chained through their first word;
 * a page is zeroed when handed out so no table ever starts with stale
 * entries (and no data leaks between domains through table pages).
 */
#include <arch/mem.h>
#include <cloison/palloc.h>
#include <cloison/panic.h>
#include <cloison/std/string.h>

static void *free_list;
static uint64_t free_pages, total_pages;

void palloc_init(paddr_t base, uint64_t size)
{
	free_list = NULL;
	free_pages = 0;
	total_pages = 0;
	CHECK(IS_ALIGNED(pa_addr(base), PAGE_SIZE));
	for (uint64_t off = 0; off + PAGE_SIZE <= size; off += PAGE_SIZE)
		palloc_free(arch_mem_ptr(pa_add(base, off), PAGE_SIZE));
	total_pages = free_pages;
}

void *palloc_page(void)
{
	void *p = free_list;

	if (!p)
		return NULL;
	free_list = *(void **)p;
	free_pages--;
	memset(p, 0, PAGE_SIZE);
	return p;
}

void palloc_free(void *page)
{
	*(void **)page = free_list;
	free_list = page;
	free_pages++;
}

uint64_t palloc_free_pages(void)
{
	return free_pages;
}

uint64_t palloc_total_pages(void)
{
	return total_pages;
}

/* SPDX-License-Identifier: MIT */
/*
 * sbrk() for picolibc's malloc. picolibc's own sbrk takes the heap bounds
 * from link-time symbols, but a domain's RAM size is only known at run
 * time (start-info page): the heap runs from the end of the image to the
 * guard page below the stack (runtime.h).
 */
#include <errno.h>
#include <unistd.h>

#include "internal.h"

/* Declared by <unistd.h> only outside strict C11. */
void *sbrk(ptrdiff_t incr);

static uintptr_t brk_start, brk_cur, brk_end;

void heap_init(uintptr_t start, uintptr_t end)
{
	brk_start = start;
	brk_cur = start;
	brk_end = end;
}

void *sbrk(ptrdiff_t incr)
{
	uintptr_t old = brk_cur;

	if (incr < 0 ? (uintptr_t)-incr > old - brk_start
		     : (uintptr_t)incr > brk_end - old) {
		errno = ENOMEM;
		return (void *)-1;
	}
	brk_cur = old + (uintptr_t)incr;
	return (void *)old;
}

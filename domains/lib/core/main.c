/* SPDX-License-Identifier: MIT */
/*
 * runtime_start for an image on the core alone (the picolibc layer has
 * its own, picolibc/runtime.c, which adds the MMU, TLS and heap before
 * calling domain_main). Nothing runs before domain_main that the domain
 * did not ask for: the MMU stays off, so domain memory is Device memory
 * (code is built -mstrict-align for it).
 */
#include "internal.h"

void runtime_start(const struct cloison_start_info *si)
{
	runtime_enter(si);
	runtime_init();
	runtime_exit(domain_main(si));
}

/* SPDX-License-Identifier: MIT */
#include <domain/runtime.h>

int domain_main(const struct cloison_start_info *si)
{
	(void)si;
	return 0;
}

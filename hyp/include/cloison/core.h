/* SPDX-License-Identifier: MIT */
/* Entry into the generic core once the arch layer has the machine ready. */
#ifndef CLOISON_CORE_H
#define CLOISON_CORE_H

#include <cloison/types.h>

struct platform;

#define CLOISON_VERSION "0.1.0"

NORETURN void core_main(const struct platform *plat);

#endif

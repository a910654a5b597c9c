/* SPDX-License-Identifier: MIT */
/* The page the disk owner and its controller share in devstop.toml. */
#ifndef DEVSTOP_H
#define DEVSTOP_H

#include <stdint.h>

#define DEVSTOP_WEDGED 1u       /* owner: SPI active, interrupts masked */
#define DEVSTOP_RESUMED 2u      /* controller: stopped and resumed you */
#define DEVSTOP_WEDGED_AGAIN 3u /* owner: wedged again, destroy me */

struct devstop_page {
	uint32_t phase; /* written by the controller */
	uint32_t state; /* written by the owner */
};

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The uplink: port 0, the NIC (drivers/virtio/net.h). Frames received are
 * parsed in place in the NIC's receive buffers (in net-dom's private
 * memory) and switched; a buffer whose frame the NIC still has to send
 * (net-dom's own answers) is reposted at that send's completion.
 */
#ifndef NETDOM_UPLINK_H
#define NETDOM_UPLINK_H

#include <stdbool.h>
#include <stdint.h>

#include "virtio/net.h"

extern struct vnet nic;

/* Drive the NIC named by the table's uplink entry; false with *why. */
bool uplink_init(const char **why);
/* Take up to `budget` received frames into the switch, and the NIC's
 * transmit completions. True if anything was done. */
bool uplink_poll(uint32_t budget);

/* What a frame sent to the NIC holds until it is sent (the tag). */
#define TAG_NONE 0ull
#define TAG_GUEST(port, id) (1ull << 56 | (uint64_t)(port) << 32 | (id))
#define TAG_RXBUF(handle) (2ull << 56 | (handle))

#endif

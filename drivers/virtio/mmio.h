/* SPDX-License-Identifier: MIT */
/*
 * virtio-mmio transport, version 2 (virtio 1.x spec, §4.2 "Virtio Over
 * MMIO"). Freestanding: no runtime call, no allocation; the caller maps
 * the registers (a device cap) and passes their address.
 */
#ifndef DRIVERS_VIRTIO_MMIO_H
#define DRIVERS_VIRTIO_MMIO_H

#include <stdbool.h>
#include <stdint.h>

/* Register offsets, §4.2.2 (table "MMIO Device Register Layout"). */
#define VIRTIO_MMIO_MAGIC 0x000            /* "virt", 0x74726976 */
#define VIRTIO_MMIO_VERSION 0x004          /* 2 for virtio 1.x (1 = legacy) */
#define VIRTIO_MMIO_DEVICE_ID 0x008        /* §5: 2 = block device */
#define VIRTIO_MMIO_DEVICE_FEATURES 0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES 0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_QUEUE_SEL 0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX 0x034
#define VIRTIO_MMIO_QUEUE_NUM 0x038
#define VIRTIO_MMIO_QUEUE_READY 0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY 0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS 0x060
#define VIRTIO_MMIO_INTERRUPT_ACK 0x064
#define VIRTIO_MMIO_STATUS 0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW 0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH 0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW 0x090  /* the available ring */
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH 0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW 0x0a0  /* the used ring */
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH 0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION 0x0fc
#define VIRTIO_MMIO_CONFIG 0x100            /* device-specific configuration */

#define VIRTIO_MMIO_MAGIC_VALUE 0x74726976u

/* Device status bits, §2.1. */
#define VIRTIO_STATUS_ACKNOWLEDGE 1u
#define VIRTIO_STATUS_DRIVER 2u
#define VIRTIO_STATUS_DRIVER_OK 4u
#define VIRTIO_STATUS_FEATURES_OK 8u
#define VIRTIO_STATUS_NEEDS_RESET 64u
#define VIRTIO_STATUS_FAILED 128u

/* InterruptStatus bits, §4.2.2. */
#define VIRTIO_MMIO_INT_VRING 1u
#define VIRTIO_MMIO_INT_CONFIG 2u

/* Reserved feature bits, §6. */
#define VIRTIO_F_INDIRECT_DESC 28
#define VIRTIO_F_EVENT_IDX 29
#define VIRTIO_F_VERSION_1 32
#define VIRTIO_F_ACCESS_PLATFORM 33

struct virtio_mmio {
	volatile uint8_t *base;
	uint64_t features; /* negotiated */
};

uint32_t virtio_mmio_read(const struct virtio_mmio *d, uint32_t off);
void virtio_mmio_write(const struct virtio_mmio *d, uint32_t off, uint32_t v);

/*
 * Reset the device and take it through ACKNOWLEDGE and DRIVER (§3.1.1
 * steps 1-3), after checking it is a version-2 transport of device type
 * `device_id`. Returns false with *why set otherwise (a legacy transport:
 * QEMU needs -global virtio-mmio.force-legacy=false).
 */
bool virtio_mmio_probe(struct virtio_mmio *d, volatile void *base, uint32_t device_id,
		       const char **why);

/*
 * Feature negotiation (§3.1.1 steps 4-6): every bit of `required` must be
 * offered, the driver accepts `required | (offered & optional)`, sets
 * FEATURES_OK and checks the device kept it. False with *why otherwise
 * (the device is then marked FAILED).
 */
bool virtio_mmio_negotiate(struct virtio_mmio *d, uint64_t required, uint64_t optional,
			   const char **why);

/* Queue `index` at the physical addresses given (§4.2.3.2); false with
 * *why if the device offers no such queue or fewer than `num` entries. */
bool virtio_mmio_queue(struct virtio_mmio *d, uint32_t index, uint32_t num, uint64_t desc_pa,
		       uint64_t avail_pa, uint64_t used_pa, const char **why);

/* Set DRIVER_OK (§3.1.1 step 8). */
void virtio_mmio_ready(struct virtio_mmio *d);
/* Mark the device FAILED (§3.1.1: the driver gives up). */
void virtio_mmio_fail(struct virtio_mmio *d);

/* Tell the device queue `index` has new buffers. */
void virtio_mmio_notify(struct virtio_mmio *d, uint32_t index);
/* Read and acknowledge InterruptStatus; returns the bits. */
uint32_t virtio_mmio_ack(struct virtio_mmio *d);

/* Device configuration, read consistently (§4.2.3.4: ConfigGeneration). */
uint64_t virtio_mmio_config64(const struct virtio_mmio *d, uint32_t off);
uint32_t virtio_mmio_config32(const struct virtio_mmio *d, uint32_t off);

#endif

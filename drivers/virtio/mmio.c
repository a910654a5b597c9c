/* SPDX-License-Identifier: MIT */
/* virtio-mmio transport, version 2 (virtio 1.x §4.2); see mmio.h. */
#include "mmio.h"

static void barrier(void)
{
	__asm__ volatile("dmb sy" ::: "memory");
}

uint32_t virtio_mmio_read(const struct virtio_mmio *d, uint32_t off)
{
	uint32_t v = *(volatile uint32_t *)(d->base + off);

	barrier();
	return v;
}

void virtio_mmio_write(const struct virtio_mmio *d, uint32_t off, uint32_t v)
{
	barrier();
	*(volatile uint32_t *)(d->base + off) = v;
}

static void set_status(struct virtio_mmio *d, uint32_t bits)
{
	virtio_mmio_write(d, VIRTIO_MMIO_STATUS, virtio_mmio_read(d, VIRTIO_MMIO_STATUS) | bits);
}

bool virtio_mmio_probe(struct virtio_mmio *d, volatile void *base, uint32_t device_id,
		       const char **why)
{
	d->base = base;
	d->features = 0;
	if (virtio_mmio_read(d, VIRTIO_MMIO_MAGIC) != VIRTIO_MMIO_MAGIC_VALUE) {
		*why = "no virtio-mmio transport there (bad magic value)";
		return false;
	}
	if (virtio_mmio_read(d, VIRTIO_MMIO_VERSION) != 2) {
		*why = "legacy virtio-mmio transport (version 1): virtio 1.x needed "
		       "(QEMU: -global virtio-mmio.force-legacy=false)";
		return false;
	}
	if (virtio_mmio_read(d, VIRTIO_MMIO_DEVICE_ID) != device_id) {
		*why = virtio_mmio_read(d, VIRTIO_MMIO_DEVICE_ID) == 0
			       ? "no device behind this virtio-mmio transport"
			       : "wrong virtio device type";
		return false;
	}
	/* §3.1.1: reset, then ACKNOWLEDGE, then DRIVER. Writing 0 resets;
	 * the reset is complete when Status reads 0 (§4.2.3.1). */
	virtio_mmio_write(d, VIRTIO_MMIO_STATUS, 0);
	for (uint32_t i = 0; virtio_mmio_read(d, VIRTIO_MMIO_STATUS) != 0; i++) {
		if (i == 1000000) {
			*why = "device does not finish its reset";
			return false;
		}
	}
	set_status(d, VIRTIO_STATUS_ACKNOWLEDGE);
	set_status(d, VIRTIO_STATUS_DRIVER);
	return true;
}

static uint64_t device_features(struct virtio_mmio *d)
{
	uint64_t f;

	virtio_mmio_write(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	f = (uint64_t)virtio_mmio_read(d, VIRTIO_MMIO_DEVICE_FEATURES) << 32;
	virtio_mmio_write(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	return f | virtio_mmio_read(d, VIRTIO_MMIO_DEVICE_FEATURES);
}

bool virtio_mmio_negotiate(struct virtio_mmio *d, uint64_t required, uint64_t optional,
			   const char **why)
{
	uint64_t offered = device_features(d);
	uint64_t want;

	if ((offered & required) != required) {
		*why = (required & ~offered & (1ull << VIRTIO_F_VERSION_1))
			       ? "device does not offer VIRTIO_F_VERSION_1 (a legacy device)"
			       : "device lacks a feature this driver requires";
		virtio_mmio_fail(d);
		return false;
	}
	/* ACCESS_PLATFORM offered means the device sits behind an IOMMU and
	 * wants bus addresses (§6.1): this driver hands it physical
	 * addresses, so it cannot drive such a device. */
	if (offered & (1ull << VIRTIO_F_ACCESS_PLATFORM) &&
	    !(required & (1ull << VIRTIO_F_ACCESS_PLATFORM))) {
		*why = "device requires VIRTIO_F_ACCESS_PLATFORM (IOMMU), not supported";
		virtio_mmio_fail(d);
		return false;
	}
	want = required | (offered & optional);
	virtio_mmio_write(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	virtio_mmio_write(d, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(want >> 32));
	virtio_mmio_write(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	virtio_mmio_write(d, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)want);
	set_status(d, VIRTIO_STATUS_FEATURES_OK);
	if (!(virtio_mmio_read(d, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK)) {
		*why = "device refused the negotiated features (FEATURES_OK cleared)";
		virtio_mmio_fail(d);
		return false;
	}
	d->features = want;
	return true;
}

bool virtio_mmio_queue(struct virtio_mmio *d, uint32_t index, uint32_t num, uint64_t desc_pa,
		       uint64_t avail_pa, uint64_t used_pa, const char **why)
{
	uint32_t max;

	virtio_mmio_write(d, VIRTIO_MMIO_QUEUE_SEL, index);
	if (virtio_mmio_read(d, VIRTIO_MMIO_QUEUE_READY) != 0) {
		*why = "virtqueue already in use after reset";
		return false;
	}
	max = virtio_mmio_read(d, VIRTIO_MMIO_QUEUE_NUM_MAX);
	if (max == 0 || max < num) {
		*why = max == 0 ? "device has no such virtqueue" : "virtqueue smaller than needed";
		return false;
	}
	virtio_mmio_write(d, VIRTIO_MMIO_QUEUE_NUM, num);
	virtio_mmio_write(d, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)desc_pa);
	virtio_mmio_write(d, VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(desc_pa >> 32));
	virtio_mmio_write(d, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)avail_pa);
	virtio_mmio_write(d, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(avail_pa >> 32));
	virtio_mmio_write(d, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)used_pa);
	virtio_mmio_write(d, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(used_pa >> 32));
	virtio_mmio_write(d, VIRTIO_MMIO_QUEUE_READY, 1);
	return true;
}

void virtio_mmio_ready(struct virtio_mmio *d)
{
	set_status(d, VIRTIO_STATUS_DRIVER_OK);
}

void virtio_mmio_fail(struct virtio_mmio *d)
{
	set_status(d, VIRTIO_STATUS_FAILED);
}

void virtio_mmio_notify(struct virtio_mmio *d, uint32_t index)
{
	virtio_mmio_write(d, VIRTIO_MMIO_QUEUE_NOTIFY, index);
}

uint32_t virtio_mmio_ack(struct virtio_mmio *d)
{
	uint32_t st = virtio_mmio_read(d, VIRTIO_MMIO_INTERRUPT_STATUS);

	if (st)
		virtio_mmio_write(d, VIRTIO_MMIO_INTERRUPT_ACK, st);
	return st;
}

uint32_t virtio_mmio_config32(const struct virtio_mmio *d, uint32_t off)
{
	uint32_t gen, v;

	do {
		gen = virtio_mmio_read(d, VIRTIO_MMIO_CONFIG_GENERATION);
		v = virtio_mmio_read(d, VIRTIO_MMIO_CONFIG + off);
	} while (gen != virtio_mmio_read(d, VIRTIO_MMIO_CONFIG_GENERATION));
	return v;
}

uint64_t virtio_mmio_config64(const struct virtio_mmio *d, uint32_t off)
{
	uint32_t gen, lo, hi;

	/* Two 32-bit reads (§4.2.2: the config space is read in widths the
	 * field allows), retried if the generation moved between them. */
	do {
		gen = virtio_mmio_read(d, VIRTIO_MMIO_CONFIG_GENERATION);
		lo = virtio_mmio_read(d, VIRTIO_MMIO_CONFIG + off);
		hi = virtio_mmio_read(d, VIRTIO_MMIO_CONFIG + off + 4);
	} while (gen != virtio_mmio_read(d, VIRTIO_MMIO_CONFIG_GENERATION));
	return (uint64_t)hi << 32 | lo;
}

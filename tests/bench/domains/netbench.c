/* SPDX-License-Identifier: MIT */
/*
 * Network benchmarks (tests/bench/systems/net.toml): frames of 64 and 1500
 * bytes, guest to uplink and guest to guest, through the virtio-net driver
 * run directly in this domain ("direct", the baseline: it holds three NICs
 * of its own) and through net-dom with the network front end ("front": it
 * holds three ports). Direct runs first and then wakes the front over the
 * "go" channel, so the windows never overlap.
 *  - guest to uplink: direct sends on a NIC alone on its QEMU hub; front
 *    sends from port "c" (VLAN 1, with the uplink only) to a MAC nobody
 *    has, which net-dom sends to its uplink NIC;
 *  - guest to guest: direct sends on one NIC and receives on another of
 *    the same QEMU hub; front sends from port "a" to port "b"'s MAC (both
 *    VLAN 10), receiving on "b" (net-dom's one copy).
 * Each window ends when every frame is acknowledged (TX done) and, guest
 * to guest, received. Per window: instructions (instructions retired,
 * EL2 and every domain included), EL2 entries, switches, vIRQs (from
 * system_stats), and the notifications each way: direct, the device
 * kicks and its interrupts (guest to guest: both NICs'); front, the
 * channel signals to net-dom and the channel interrupts from it, of the
 * busier port (guest to guest: "a" sends, "b" posts its buffers back). The frames are written into the buffers
 * before the window (the application's part, equal for both).
 */
#include <domain/core.h>

#include "netfront.h"
#include "virtio/net.h"

#define FRAMES 512u
#define NIC_VIRQ 40u     /* +0 +1 +2: the direct NICs */
#define PORT_VIRQ 48u    /* +0 +1 +2: the front's ports */

struct sample {
	uint64_t el2, switches, virqs, hc;
	uint32_t instr;
};

struct port {
	struct netfront f;
	uint64_t slot;
	uint64_t irqs;
};

static uint64_t sys;
static bool direct;
static struct vnet nic[3];             /* direct: 0 sends, 1 receives (one hub), 2 alone */
static _Alignas(4096) uint8_t dma[3][VNET_DMA_SIZE];
static _Alignas(64) uint8_t frame_buf[2048];
static struct port ports[3];           /* front: c, a, b */
static uint64_t received;

void irq_handler(uint32_t vintid)
{
	if (direct && vintid >= NIC_VIRQ && vintid < NIC_VIRQ + 3)
		vnet_interrupt(&nic[vintid - NIC_VIRQ]);
	else if (!direct && vintid >= PORT_VIRQ && vintid < PORT_VIRQ + 3)
		ports[vintid - PORT_VIRQ].irqs++;
}

/* Instructions retired (PMEVCNTR0_EL0, event 0x08, EL2 counted). */
static uint32_t instructions(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, pmevcntr0_el0" : "=r"(v));
	return (uint32_t)v;
}

static void pmu_start(void)
{
	/* PMEVTYPER0_EL0: INST_RETIRED (0x08), NSH (bit 27): EL2 counted too. */
	__asm__ volatile("msr pmevtyper0_el0, %0" : : "r"(0x08ull | 1ull << 27));
	__asm__ volatile("msr pmcr_el0, %0" : : "r"(0x3ull));
	__asm__ volatile("msr pmcntenset_el0, %0; isb" : : "r"(1ull));
}

static void sample(struct sample *s)
{
	cloison_system_stats(sys, &s->el2, &s->switches, &s->virqs, &s->hc);
	s->instr = instructions();
}

/* An Ethernet + IPv4 + UDP frame of len bytes from src_mac/src_ip. */
static void make_frame(uint8_t *f, uint32_t len, const uint8_t *dst, const uint8_t *src,
		       uint8_t src_ip_last)
{
	uint32_t ip_len = len - 14, s = 0;

	memset(f, 0x5a, len);
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	f[14] = 0x45;
	f[15] = 0;
	f[16] = (uint8_t)(ip_len >> 8);
	f[17] = (uint8_t)ip_len;
	f[18] = f[19] = 0;
	f[20] = 0x40; /* DF */
	f[21] = 0;
	f[22] = 64;
	f[23] = 17;
	f[24] = f[25] = 0;
	f[26] = 10;
	f[27] = 0;
	f[28] = src_ip_last == 30 ? 2 : 0;
	f[29] = src_ip_last;
	f[30] = 10;
	f[31] = 0;
	f[32] = 2;
	f[33] = 99;
	for (uint32_t i = 14; i < 34; i += 2)
		s += (uint32_t)f[i] << 8 | f[i + 1];
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	f[24] = (uint8_t)(~s >> 8);
	f[25] = (uint8_t)~s;
	f[34] = 0x13;
	f[35] = 0x88;
	f[36] = 0x13;
	f[37] = 0x89;
	f[38] = (uint8_t)((ip_len - 20) >> 8);
	f[39] = (uint8_t)(ip_len - 20);
	f[40] = f[41] = 0; /* no UDP checksum */
}

static void report(const char *name, uint32_t len, const struct sample *a, const struct sample *b,
		   uint64_t tx, uint64_t rx, bool ok)
{
	print("BENCH %s_%u ops=%u instructions=%lu el2_entries=%lu switches=%lu virqs=%lu "
	      "bytes=%lu notify_tx=%lu notify_rx=%lu ok=%d\n",
	      name, len, FRAMES, (uint64_t)(uint32_t)(b->instr - a->instr), b->el2 - a->el2,
	      b->switches - a->switches, b->virqs - a->virqs, (uint64_t)FRAMES * len, tx, rx, ok);
}

/* -- direct ----------------------------------------------------------------- */

static void direct_sleep(void)
{
	irq_mask();
	if (!vnet_arm(&nic[0]) && !vnet_arm(&nic[1]) && !vnet_arm(&nic[2]))
		__asm__ volatile("wfi");
	irq_unmask();
}

/* FRAMES frames of len bytes out of nic[k]; guest to guest, received on
 * nic[1] too. The header in the TX scratch, the rest from frame_buf. */
static bool direct_window(struct vnet *t, struct vnet *r, uint32_t len, bool g2g,
			  struct sample *a, struct sample *b)
{
	uint32_t sent = 0, done = 0, got = 0;

	sample(a);
	while (done < FRAMES || (g2g && got < FRAMES)) {
		bool progress = false;
		uint64_t tag;
		uint8_t *s;

		while (sent < FRAMES && (s = vnet_tx_scratch(t)) != NULL) {
			memcpy(s, frame_buf, 14);
			if (!vnet_tx(t, 14, si_ram_pa(frame_buf) + 14, len - 14, sent))
				break;
			sent++;
		}
		vnet_kick(t);
		while (vnet_tx_done(t, &tag)) {
			done++;
			progress = true;
		}
		if (g2g) {
			const uint8_t *fr;
			uint32_t l, h;

			while (vnet_rx(r, &fr, &l, &h)) {
				got += l == len;
				vnet_rx_release(r, h);
				progress = true;
			}
			vnet_kick(r);
		}
		if (!progress)
			direct_sleep();
	}
	sample(b);
	return !g2g || got == FRAMES;
}

/* The window again (at most 3 more times) while another domain ran during
 * it: the other domains start while the direct runs go on (net-dom sets up
 * its NIC and ports, the front end waits), when is up to the host's timing
 * of the NICs, and their instructions would count against the baseline
 * (once about 4,500 a frame instead of 312, and the ratio "met"). */
static void direct_run(const char *name, uint32_t k, uint32_t len, bool g2g)
{
	struct vnet *t = &nic[k], *r = &nic[1];
	uint64_t n0, i0;
	struct sample a, b;
	bool ok;

	make_frame(frame_buf, len, (const uint8_t[6]){ 2, 0, 0, 0, 0x99, 0x99 }, t->mac, 30);
	for (uint32_t tries = 0;; tries++) {
		n0 = t->notifies + (g2g ? r->notifies : 0);
		i0 = t->interrupts + (g2g ? r->interrupts : 0);
		ok = direct_window(t, r, len, g2g, &a, &b);
		if (b.switches == a.switches || tries == 3)
			break;
	}
	report(name, len, &a, &b, t->notifies + (g2g ? r->notifies : 0) - n0,
	       t->interrupts + (g2g ? r->interrupts : 0) - i0, ok);
}

/* -- through net-dom ----------------------------------------------------------- */

static void notify(void *arg)
{
	cloison_channel_signal(((struct port *)arg)->slot);
}

static void count_rx(void *arg, const volatile uint8_t *frame, uint32_t len)
{
	(void)arg;
	(void)frame;
	(void)len;
	received++;
}

static void attach(struct port *p, const char *name, uint32_t vintid)
{
	const struct cloison_start_info_cap *c = si_find(name);
	const char *why = "";

	if (!c || c->ipa == ~0ull)
		runtime_panic("no channel %s", name);
	p->slot = c->slot;
	if (cloison_channel_bind(p->slot, vintid) != CLOISON_ERR_OK ||
	    irq_enable(vintid, 0x90) != CLOISON_ERR_OK)
		runtime_panic("cannot bind %s", name);
	if (!netfront_setup(&p->f, (void *)(uintptr_t)c->ipa,
			    (volatile uint8_t *)(uintptr_t)(c->ipa + NETIF_DATA_OFFSET),
			    (uint32_t)(c->size - NETIF_DATA_OFFSET), 0, notify, p, &why))
		runtime_panic("%s: %s", name, why);
	while (!p->f.info) {
		if (netfront_poll(&p->f, NULL, NULL, RING_SLOTS) < 0)
			runtime_panic("%s: %s", name, p->f.why);
		irq_mask();
		if (!p->f.info && !netfront_arm(&p->f))
			__asm__ volatile("wfi");
		irq_unmask();
	}
}

/* Write the frame into every TX buffer of p (before the window). */
static void prefill(struct port *p, const uint8_t *dst, uint32_t len, uint8_t ip_last)
{
	make_frame(frame_buf, len, dst, p->f.mac, ip_last);
	for (uint32_t i = p->f.rx_bufs; i < p->f.nbufs; i++)
		for (uint32_t j = 0; j < len; j++)
			p->f.data[i * NETFRONT_BUF_SIZE + j] = frame_buf[j];
}

/* Notifications each way of the busiest port: to net-dom (its signals),
 * from net-dom (its channel interrupts). */
static uint64_t most(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static void front_run(const char *name, struct port *t, struct port *r, uint32_t len)
{
	uint64_t tx0 = t->f.st.tx_done, tn = t->f.st.notifies, ti = t->irqs;
	uint64_t rn = r ? r->f.st.notifies : 0, ri = r ? r->irqs : 0;
	uint32_t sent = 0;
	struct sample a, b;

	received = 0;
	sample(&a);
	while (t->f.st.tx_done - tx0 < FRAMES || (r && received < FRAMES)) {
		uint32_t buf;
		int n;

		/* Guest to guest, at most a ring's worth of frames in flight:
		 * the receiver's response ring holds that many, and frames
		 * beyond it would be dropped (docs/net-protocol.md, RX_POST),
		 * a TXV carrying six to a ring message. */
		while (sent < FRAMES &&
		       (!r || t->f.st.tx - t->f.st.tx_done - t->f.st.tx_dropped < RING_SLOTS) &&
		       netfront_tx_begin(&t->f, &buf) && netfront_tx_commit(&t->f, buf, len, false))
			sent++;
		netfront_kick(&t->f);
		n = netfront_poll(&t->f, count_rx, NULL, RING_SLOTS);
		if (r)
			n += netfront_poll(&r->f, count_rx, NULL, RING_SLOTS);
		if (t->f.dead || (r && r->f.dead))
			runtime_panic("port dead: %s", t->f.dead ? t->f.why : r->f.why);
		if (n > 0)
			continue;
		irq_mask();
		if (!netfront_arm(&t->f) && !(r && netfront_arm(&r->f)))
			__asm__ volatile("wfi");
		irq_unmask();
	}
	sample(&b);
	report(name, len, &a, &b, most(t->f.st.notifies - tn, r ? r->f.st.notifies - rn : 0),
	       most(t->irqs - ti, r ? r->irqs - ri : 0), !r || received == FRAMES);
}

int domain_main(const struct cloison_start_info *si)
{
	static const uint32_t lens[] = { 64, 1500 };
	const struct cloison_start_info_cap *dev = si_find("nics");
	uint64_t go = si_cap("go"), word;
	const char *why = "";

	(void)si;
	sys = si_cap("system");
	direct = dev != NULL;
	if (direct) {
		pmu_start();
		static const char *const irqs[] = { "nic0-irq", "nic1-irq", "nic2-irq" };

		for (uint32_t k = 0; k < 3; k++) {
			if (!vnet_init(&nic[k], (volatile void *)(uintptr_t)(dev->ipa + k * 0x200), dma[k],
				       si_ram_pa(dma[k]), &why))
				runtime_panic("NIC %u: %s", k, why);
			cloison_irq_bind(si_cap(irqs[k]), NIC_VIRQ + k);
			irq_enable(NIC_VIRQ + k, 0x80);
		}
		irq_unmask();
		print("BENCH-BASELINE direct_g2u_1500\n");
		/* A window nobody compares: the other domains start meanwhile
		 * (net-dom sets its ports up), and every instruction counts. */
		direct_run("warmup_g2u", 2, lens[0], false);
		for (uint32_t l = 0; l < 2; l++) {
			direct_run("direct_g2u", 2, lens[l], false);
			direct_run("direct_g2g", 0, lens[l], true);
		}
		cloison_channel_signal(go);
		runtime_park();
	}
	cloison_channel_wait(go, &word); /* the direct runs are done */
	pmu_start(); /* not before: it resets the counter the direct runs read */
	irq_unmask();
	attach(&ports[0], "c", PORT_VIRQ);
	attach(&ports[1], "a", PORT_VIRQ + 1);
	attach(&ports[2], "b", PORT_VIRQ + 2);
	print("front: ports attached\n");
	for (uint32_t l = 0; l < 2; l++) {
		prefill(&ports[0], (const uint8_t[6]){ 2, 0, 0, 0, 0x99, 0x99 }, lens[l], 30);
		front_run("netdom_g2u", &ports[0], NULL, lens[l]);
		prefill(&ports[1], ports[2].f.mac, lens[l], 1);
		front_run("netdom_g2g", &ports[1], &ports[2], lens[l]);
	}
	print("BENCH-DONE\n");
	runtime_park();
}

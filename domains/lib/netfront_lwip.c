/* SPDX-License-Identifier: MIT */
/* lwIP on the network front end (netfront_lwip.h). */
#include <domain/irq.h>
#include <domain/runtime.h>
#include <string.h>

#include "lwip/etharp.h"
#include "lwip/pbuf.h"
#include "lwip/timeouts.h"
#include "netfront_lwip.h"
#include "netif/ethernet.h"

#define CONFIG_MAGIC "CLNGCFG1"
#define CONFIG_VERSION 1u
#define RX_BUDGET 32u

struct config_header {
	char magic[8];
	uint32_t version;
	uint32_t count;
};

/* A guest made at run time has no page at the end of its RAM (the core
 * loads only its image; docs/dynamic-guests.md): the toolstack's store
 * writes the same page, with the one entry of its run-time port, into this
 * slot of the image instead, found by its mark (toolstack/cloison/store.py,
 * NETGUEST_SLOT_MARK). */
static const struct {
	char mark[16];
	uint8_t page[sizeof(struct config_header) + sizeof(struct netguest_config)];
} runtime_slot __attribute__((used, aligned(16))) = { "CLNGSLOT-empty", { 0 } };

/* The page of a guest of the description, else the run-time slot. */
static const uint8_t *config_page(void)
{
	const struct cloison_start_info *si = si_get();
	const uint8_t *page = runtime_slot.page;

	if (si->mem_size >= NETGUEST_CONFIG_OFFSET &&
	    memcmp((const void *)(uintptr_t)(si->mem_ipa + si->mem_size - NETGUEST_CONFIG_OFFSET),
		   CONFIG_MAGIC, 8) == 0)
		return (const uint8_t *)(uintptr_t)(si->mem_ipa + si->mem_size -
						    NETGUEST_CONFIG_OFFSET);
	/* The slot's bytes are the store's, not the initialiser's: keep the
	 * compiler from folding its reads. */
	__asm__("" : "+r"(page));
	return page;
}

bool netguest_config_read(const char *cap, struct netguest_config *out, const char **why)
{
	const uint8_t *page = config_page();
	struct config_header h;

	memcpy(&h, page, sizeof(h));
	if (memcmp(h.magic, CONFIG_MAGIC, 8) != 0 || h.version != CONFIG_VERSION) {
		*why = "no network configuration page (no [[netport]] names this guest's channel?)";
		return false;
	}
	if (h.count > (page == runtime_slot.page ? 1u : NETGUEST_CONFIG_MAX)) {
		*why = "network configuration: bad count";
		return false;
	}
	for (uint32_t i = 0; i < h.count; i++) {
		memcpy(out, page + sizeof(h) + i * sizeof(*out), sizeof(*out));
		if (out->cap[sizeof(out->cap) - 1] != 0 || strcmp(out->cap, cap) != 0)
			continue;
		if (out->prefix > 32 || out->ip == 0) {
			*why = "network configuration: bad address or prefix";
			return false;
		}
		return true;
	}
	*why = "network configuration: no entry for this channel";
	return false;
}

static struct netfront_lwip *the_port; /* the IRQ handler's only business */

/* The channel's interrupt only ends a sleep (vtimer_wait_us): the loop
 * finds the work on the ring. */
void irq_handler(uint32_t intid)
{
	if (!the_port || intid != the_port->vintid)
		runtime_panic("unexpected virtual interrupt %u", intid);
}

static void notify(void *arg)
{
	struct netfront_lwip *n = arg;

	cloison_channel_signal(n->slot);
}

/* One received frame, copied once into a pbuf chain, into lwIP. */
static void rx(void *arg, const volatile uint8_t *frame, uint32_t len)
{
	struct netfront_lwip *n = arg;
	struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL), *q;
	uint32_t off = 0;

	if (!p) {
		n->rx_nomem++;
		return;
	}
	for (q = p; q; q = q->next) {
		uint8_t *d = q->payload;

		for (uint32_t i = 0; i < q->len; i++)
			d[i] = frame[off + i];
		off += q->len;
	}
	if (n->netif.input(p, &n->netif) != ERR_OK)
		pbuf_free(p);
}

/* lwIP's output: the frame (a pbuf chain) copied into a TX buffer. The
 * kick waits for the end of the loop's turn (one notification a batch). */
static err_t linkoutput(struct netif *netif, struct pbuf *p)
{
	struct netfront_lwip *n = netif->state;
	uint32_t b, off = 0;
	volatile uint8_t *d;

	if (p->tot_len > NETIF_FRAME_MAX)
		return ERR_VAL;
	d = netfront_tx_begin(&n->nf, &b);
	if (!d)
		return ERR_MEM;
	for (struct pbuf *q = p; q; q = q->next) {
		const uint8_t *s = q->payload;

		for (uint32_t i = 0; i < q->len; i++)
			d[off + i] = s[i];
		off += q->len;
	}
	return netfront_tx_commit(&n->nf, b, off, false) ? ERR_OK : ERR_MEM;
}

static err_t netif_setup(struct netif *netif)
{
	struct netfront_lwip *n = netif->state;

	netif->name[0] = 'c';
	netif->name[1] = 'n';
	netif->output = etharp_output;
	netif->linkoutput = linkoutput;
	netif->mtu = n->nf.mtu;
	netif->hwaddr_len = ETH_HWADDR_LEN;
	memcpy(netif->hwaddr, n->nf.mac, ETH_HWADDR_LEN);
	netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET |
		       NETIF_FLAG_LINK_UP;
	return ERR_OK;
}

static void ip4(ip4_addr_t *a, uint32_t host)
{
	ip4_addr_set_u32(a, lwip_htonl(host));
}

bool netfront_lwip_attach(struct netfront_lwip *n, const struct netguest_config *cfg,
			  uint32_t vintid, const char **why)
{
	/* Mapped by the toolstack for a guest of the description, here for
	 * one made at run time (the core maps nothing into it for a channel
	 * domain_connect made). */
	const struct cloison_start_info_cap *c = si_find_mapped(cfg->cap);
	uint64_t badge = ~0ull;
	ip4_addr_t ip, mask, gw;
	bool said = false;

	memset(n, 0, sizeof(*n));
	if (!c || c->type != CLOISON_TYPE_CHANNEL || c->ipa == ~0ull ||
	    c->size <= NETIF_DATA_OFFSET) {
		*why = "no mapped network channel of that name";
		return false;
	}
	if (cloison_cap_identify(c->slot, NULL, NULL, &badge) != CLOISON_ERR_OK ||
	    badge != NETIF_FRONTEND_END) {
		*why = "the channel's front-end end is held by the back end";
		return false;
	}
	n->slot = c->slot;
	n->vintid = vintid;
	the_port = n;
	if (cloison_channel_bind(n->slot, vintid) != CLOISON_ERR_OK ||
	    irq_enable(vintid, 0x90) != CLOISON_ERR_OK) {
		*why = "cannot bind the channel to its virtual interrupt";
		return false;
	}
	if (!netfront_setup(&n->nf, (void *)(uintptr_t)c->ipa,
			    (volatile uint8_t *)(uintptr_t)(c->ipa + NETIF_DATA_OFFSET),
			    (uint32_t)(c->size - NETIF_DATA_OFFSET), 0, notify, n, why))
		return false;
	/* The back end may start after us: wait for INFO as long as it takes. */
	for (uint32_t waited = 0; !n->nf.info; ) {
		if (netfront_poll(&n->nf, NULL, NULL, RING_SLOTS) < 0) {
			*why = n->nf.why;
			return false;
		}
		if (n->nf.info || netfront_arm(&n->nf))
			continue;
		if (vtimer_wait_us(1000000u) && ++waited == 5 && !said) {
			printf("netfront: %s: waiting for the back end to answer INFO\n", cfg->cap);
			said = true;
		}
	}
	ip4(&ip, cfg->ip);
	ip4(&mask, cfg->prefix ? ~0u << (32 - cfg->prefix) : 0);
	ip4(&gw, cfg->gateway);
	if (!netif_add(&n->netif, &ip, &mask, &gw, n, netif_setup, ethernet_input)) {
		*why = "lwIP refused the interface";
		return false;
	}
	netif_set_default(&n->netif);
	netif_set_up(&n->netif);
	return true;
}

bool netfront_lwip_step(struct netfront_lwip *n, uint32_t max_ms)
{
	int got = netfront_poll(&n->nf, rx, n, RX_BUDGET);
	u32_t sleep;

	if (got < 0)
		return false;
	sys_check_timeouts();
	netfront_kick(&n->nf);
	if (got > 0 || netfront_arm(&n->nf))
		return true;
	sleep = sys_timeouts_sleeptime();
	if (sleep > max_ms)
		sleep = max_ms;
	vtimer_wait_us((uint64_t)sleep * 1000u);
	return true;
}

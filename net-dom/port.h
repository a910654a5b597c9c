/* SPDX-License-Identifier: MIT */
/*
 * A port of the switch: the uplink (port 0, the NIC) or a guest port (a
 * channel, docs/net-protocol.md). Everything about a port lives here: its
 * configuration, its ring end, the receive buffers its guest posted, its
 * TX credit and its counters by drop reason.
 */
#ifndef NETDOM_PORT_H
#define NETDOM_PORT_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "netif.h"
#include "ring.h"

#define MAX_PORTS CONFIG_MAX_PORTS
#define UPLINK 0u
#define POSTED_MAX 64u      /* receive buffers a guest may have posted */
#define TX_HELD_MAX 64u     /* a guest's frames held until the NIC sent them */

/* Why a frame was dropped (docs/net-dom.md, "Counters"). */
enum drop {
	DROP_SPOOF_MAC,
	DROP_SPOOF_IP,
	DROP_SPOOF_ARP,
	DROP_ETHERTYPE,
	DROP_VLAN,
	DROP_LEN,
	DROP_QUEUE_FULL,
	DROP_RATE,
	DROP_ARP_PENDING,
	DROP_FRAGMENT,
	DROP_NAT_QUOTA,
	DROP_NO_MAPPING,
	DROP_TTL,
	DROP_NO_ROUTE,
	DROP_DISABLED,
	DROP_NAT_PROTO,     /* NAT: not TCP, UDP or ICMP echo / error */
	DROP_TOO_BIG,       /* NAT: DF set, larger than the uplink MTU (ICMP 3/4 sent) */
	DROP_REASONS
};

extern const char *const drop_names[DROP_REASONS];

struct posted {
	uint32_t id;        /* the front end's tag */
	uint64_t offset;
	uint32_t len;
};

struct port {
	uint32_t index;
	struct config_port cfg;
	bool guest;
	bool disabled;          /* the guest broke the protocol: served no more */
	const char *why;        /* why it was disabled */
	/* guest port */
	uint64_t slot;          /* channel cap */
	uint32_t vintid;
	struct ring_end ring;
	volatile uint8_t *data; /* the data area, mapped */
	uint64_t data_pa, data_size;
	struct posted posted[POSTED_MAX]; /* FIFO of receive buffers */
	uint32_t posted_head, posted_n;
	uint32_t tx_held;       /* TX buffers waiting for the NIC (TX_DONE owed) */
	/* TX_DONEs gathered for one response (netif.h: up to 8 ids of one
	 * status), sent when full, when the status changes, or at the end of
	 * the round; while some wait, one response slot is kept for them. */
	uint32_t done_id[NETIF_TX_DONE_MORE + 1];
	uint32_t done_n, done_status;
	/* Frames delivered into posted buffers, gathered for one RXV
	 * (netif.h: up to 7), sent when full or at the end of the round;
	 * while some wait, one response slot is kept for them. */
	struct netif_rxd rx_done[NETIF_RXV_MAX];
	uint32_t rx_n;
	bool notify;            /* signal the guest after this round */
	/* TX credit (Xen's rate=BYTES/s@INTERVAL) */
	uint32_t credit;
	uint64_t credit_next;   /* counter ticks at which it is replenished */
	uint64_t credit_ticks;
	/* counters */
	uint64_t drops[DROP_REASONS];
	uint64_t in_frames, in_bytes;   /* taken in from the port (past the checks) */
	uint64_t out_frames, out_bytes; /* sent out of the port */
	uint64_t hdr_copied, payload_copied; /* bytes net-dom copied into out */
	uint64_t first_in, last_in;     /* clock at the first and last frame taken in */
};

extern struct port ports[MAX_PORTS];
extern uint32_t n_ports;
/* Bumped whenever a port is attached or reset: what depends on the ports'
 * configuration (the bridge's decision cache) is made again. */
extern uint32_t ports_gen;

/* Count a dropped frame. */
static inline void port_drop(struct port *p, enum drop why)
{
	p->drops[why]++;
}

/* Set a guest port up from its table entry: its channel mapped, end 0,
 * bound to vintid. False (with a message printed) if it cannot be. */
bool port_attach(struct port *p, const struct config_port *c, uint32_t index, uint32_t vintid);
/* Disable a guest port for breaking the protocol: it is served no more
 * and every frame for it is dropped; the other ports go on. */
void port_disable(struct port *p, const char *why);
/* Forget the posted buffers and held state (attach, test reset). */
void port_reset_state(struct port *p);
/* Counters and TX credit back to their start (attach, test reset). */
void port_reset_counters(struct port *p);

/* Take requests from a guest: RX_POST and INFO answered here, at most
 * `budget` TX frames handed to the switch. True if anything was done. */
bool port_serve(struct port *p, uint32_t budget);
/* Send a response, marking the guest for a signal if it asked. */
void port_respond(struct port *p, uint32_t op, uint32_t id, uint32_t status, uint32_t len);
/* Room for `n` more responses beyond those owed for held TX buffers and
 * the gathered TX_DONEs. */
bool port_resp_room(struct port *p, uint32_t n);
/* A request waits and there is room for every response it may need (a
 * TXV's frames, else one) beyond those owed (docs/net-protocol.md). */
bool port_can_take(struct port *p);
/* A TX buffer is the guest's again: its TX_DONE is gathered with others
 * (port_flush sends them). */
void port_tx_done(struct port *p, uint32_t id, uint32_t status);
/* A frame of `len` bytes is in the posted buffer `id`: gathered with
 * others into one RXV (port_flush sends them). Room for it: one response
 * (port_resp_room; the gathered ones have their slot kept). */
void port_rx_done(struct port *p, uint32_t id, uint32_t len);
/* Send the gathered TX_DONEs and RXV (end of a round). */
void port_flush(struct port *p);

/* The TX credit: true if `len` bytes may go now (and take them). */
bool port_credit(struct port *p, uint32_t len);

/* Is `vid` one of the port's VLANs? */
bool port_has_vid(const struct port *p, uint16_t vid);
/* Is the IPv4 address (network order) one of the port's? */
bool port_has_ip(const struct port *p, const uint8_t ip[4]);

#endif

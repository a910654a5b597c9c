/* SPDX-License-Identifier: MIT */
/*
 * NAPT on the uplink address: net-dom's NAT mode (docs/net-nat.md). A pure
 * module: no hypercalls, no allocation, no clock of its own,
 * so it runs the same in net-dom and in the host unit tests
 * (tests/unit/test_nat.c).
 *
 * What it does, by RFC requirement:
 *  - endpoint-independent mapping: one external port per (protocol, inside
 *    address, inside port) for every destination (RFC 4787 REQ-1, 5382 REQ-1);
 *  - no port overloading, the inside port preserved when free, the
 *    0-1023 / 1024-65535 range kept (4787 REQ-3);
 *  - ICMP echo identifiers translated like ports (5508 REQ-1);
 *  - address-dependent inbound filtering by default, endpoint-independent
 *    selectable (4787 REQ-8, REQ-11); an unsolicited inbound packet is
 *    dropped silently (a SYN gets no answer at all: 5382 REQ-4);
 *  - timeouts configurable, defaults at or above the RFC minima (4787
 *    REQ-5, 5382 REQ-5, 5508 REQ-2); TCP state from SYN, FIN and RST;
 *  - ICMP errors translated back with their embedded header (5508 REQ-4,
 *    5382 REQ-9); ICMP never creates, refreshes or deletes a mapping;
 *  - per-guest mapping quotas and a bounded table, ICMP 3/13 to the guest
 *    when a new flow is refused (6888 REQ-4, 5508 REQ-8);
 *  - static port forwards (uplink port -> guest address and port);
 *  - DF set on a packet larger than the uplink MTU: ICMP 3/4 with the MTU
 *    (4787 REQ-13);
 *  - hairpinning: TCP or UDP from a guest to the uplink address and a
 *    mapped or forwarded port goes to the guest behind it, its source
 *    translated as if it had gone out (4787 REQ-9, 5382 REQ-8);
 *  - fragments in order: the fragments after a translated first fragment
 *    follow it, outbound datagrams get an identification unique per remote
 *    (4787 REQ-14).
 * Not done (a deviation, docs/net-nat.md): a non-first fragment that comes
 * before its first (out of order) is dropped.
 *
 * The caller (net-dom) copies the start of the IPv4 packet into private
 * memory, NAT_HDR_MAX bytes or the whole packet if shorter, and passes that
 * copy: every field read or rewritten lies in it, so a guest changing the
 * shared buffer afterwards cannot change what was checked. Checksums are
 * updated incrementally (RFC 1624), so the payload left in the shared
 * buffer is never read. NAT does not decrement the TTL (the caller's
 * routing step does that, as in router mode) and does not look at
 * Ethernet headers.
 *
 * Addresses in struct nat_config, struct nat_forward and the API are host
 * byte order (10.0.2.15 is 0x0a00020f); packets are network byte order.
 * Times are milliseconds of any monotonic clock the caller keeps.
 */
#ifndef CLOISON_NETDOM_NAT_H
#define CLOISON_NETDOM_NAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes of the IPv4 packet the caller must copy before calling (or all of
 * it when shorter): an IPv4 header with options (60), an ICMP header (8),
 * the embedded IPv4 header of an ICMP error (60) and its TCP header (20). */
#define NAT_HDR_MAX 148u

#define NAT_MAPPINGS 512u /* dynamic mappings, all guests together */
#define NAT_PEERS 4u      /* remote endpoints tracked per mapping */
#define NAT_FORWARDS 16u  /* static port forwards */
#define NAT_REPLY_MAX 96u /* an ICMP error: 20 + 8 + 60 + 8 */
#define NAT_FRAGS 32u     /* fragmented datagrams followed at once */
#define NAT_FRAG_MS 30000ull /* a datagram's record lives this long after its last fragment */

/* RFC minima (4787 REQ-5: UDP 2 min, 300 s recommended; 5382 REQ-5:
 * established 2 h 4 min, transitory 4 min; 5508 REQ-1: ICMP query 60 s). */
#define NAT_DEFAULT_UDP_MS 300000ull
#define NAT_DEFAULT_TCP_EST_MS 7440000ull
#define NAT_DEFAULT_TCP_TRANS_MS 240000ull
#define NAT_DEFAULT_ICMP_MS 60000ull
#define NAT_DEFAULT_QUOTA 128u

enum nat_filter {
	NAT_FILTER_ADDRESS = 0, /* address-dependent (default, RECOMMENDED) */
	NAT_FILTER_ENDPOINT,    /* endpoint-independent */
};

struct nat_config {
	uint32_t uplink_ip;   /* the one outside address */
	uint32_t gateway_ip;  /* net-dom's inside address: source of ICMP sent to guests */
	uint16_t uplink_mtu;  /* NAT-12; 0 means 1500 */
	enum nat_filter filter;
	bool inbound_refresh; /* inbound packets refresh a mapping (outbound always do) */
	uint64_t udp_ms, tcp_est_ms, tcp_trans_ms, icmp_ms; /* 0: the default */
	uint32_t default_quota; /* mappings per guest when nat_guest.quota is 0; 0: default */
};

/* One per guest port in NAT mode, owned by the caller, registered with
 * nat_guest_init. */
struct nat_guest {
	unsigned port;    /* the caller's port number; nat never interprets it */
	uint32_t quota;   /* mappings this guest may hold; 0: the config's default */
	uint32_t used;    /* mappings it holds now */
	uint64_t refused; /* new flows refused (quota or full table) */
};

#define NAT_PROTO_TCP 6u
#define NAT_PROTO_UDP 17u

/* uplink_ip:ext_port -> inside_ip:inside_port, TCP or UDP (NAT-11). */
struct nat_forward {
	uint8_t proto;
	uint16_t ext_port;
	uint32_t inside_ip;
	uint16_t inside_port;
	struct nat_guest *guest;
};

enum nat_verdict {
	NAT_FORWARD = 0, /* rewritten in place: send it on, to res.to if set (inbound, and
			    an outbound packet hairpinned to another guest), else to
			    the uplink */
	NAT_DROP,        /* drop it and count res.reason */
	NAT_REPLY,       /* drop it, count res.reason, and send res.reply to the sender */
	NAT_LOCAL,       /* not NAT's business: net-dom's own (an ICMP echo request to
			    the uplink address; outbound: anything else to the uplink or
			    inside gateway address that is not hairpinned), multicast,
			    or inbound not addressed to the uplink address */
};

/* Names are the per-port counter names of the spec (C-7) where one fits. */
enum nat_reason {
	NAT_OK = 0,
	NAT_R_LEN,        /* "len": truncated or inconsistent IPv4/L4 header */
	NAT_R_FRAGMENT,   /* "fragment": a non-first fragment without its first before it */
	NAT_R_NO_MAPPING, /* "no-mapping": inbound without a mapping, forward, or a
			     filtered remote; an ICMP error for no mapping */
	NAT_R_QUOTA,      /* "nat-quota": new flow refused, the guest or the table full */
	NAT_R_PROTO,      /* "nat-proto": not TCP, UDP or ICMP (echo / errors) */
	NAT_R_TOO_BIG,    /* "too-big": DF set and larger than the uplink MTU */
	NAT_R_COUNT
};

struct nat_result {
	enum nat_reason reason;
	struct nat_guest *to;        /* NAT_FORWARD to a guest: which (else NULL: the uplink) */
	uint32_t to_ip;              /* its inside address (host order) */
	size_t reply_len;            /* NAT_REPLY: an IPv4 packet for the sender */
	uint8_t reply[NAT_REPLY_MAX];
};

struct nat_peer {
	uint32_t ip;      /* 0: free slot */
	uint16_t port;    /* 0 for ICMP */
	uint8_t tcp;      /* TCP state bits (nat.c) */
	uint64_t expires;
};

struct nat_mapping {
	uint8_t proto;    /* 0: free */
	uint16_t in_port, ext_port;
	uint32_t in_ip;
	struct nat_guest *guest;
	uint16_t next_in, next_ext; /* hash chains (index + 1; 0 ends) */
	struct nat_peer peer[NAT_PEERS];
};

#define NAT_HASH 256u

/* A fragmented datagram whose first fragment was translated (nat.c). */
struct nat_frag {
	uint8_t proto;      /* 0: free */
	bool out;           /* from a guest (else from the outside) */
	uint16_t id;        /* its IP identification as it arrived */
	uint16_t new_id;    /* out: the identification it leaves with */
	uint32_t a;         /* out: the guest's address */
	uint32_t remote;    /* the outside address */
	uint32_t in_ip;     /* in: the guest's address */
	struct nat_guest *guest;
	uint64_t expires;
};

struct nat {
	struct nat_config cfg;
	uint32_t count;            /* mappings in use */
	uint32_t forwards;
	struct nat_forward fwd[NAT_FORWARDS];
	uint16_t head_in[NAT_HASH], head_ext[NAT_HASH];
	struct nat_mapping map[NAT_MAPPINGS];
	struct nat_frag frag[NAT_FRAGS];
	uint64_t expired;          /* mappings that timed out */
	uint32_t reserved;         /* the registered guests' quotas, summed (<= NAT_MAPPINGS) */
	uint32_t guests;           /* guests registered */
};

/* Set up with a configuration (zero fields take the defaults). False when
 * the configuration is unusable (no uplink address). */
bool nat_init(struct nat *n, const struct nat_config *cfg);

/* Register a guest (zeroes its counters). Its quota (0: the config's
 * default) is reserved in the table: false, and nothing registered, when
 * the guests' quotas would add up to more than NAT_MAPPINGS, so that a guest
 * below its quota always finds a free mapping whatever the others hold.
 * The fragment records are shared the same way: a guest holds at most
 * NAT_FRAGS / guests of them (at least 1), its oldest one giving way. */
bool nat_guest_init(struct nat *n, struct nat_guest *g, unsigned port, uint32_t quota);

/* Add a static forward. False if the table is full, the external port is
 * already forwarded, or a field is zero. */
bool nat_add_forward(struct nat *n, const struct nat_forward *f);

/* A packet from guest g to the outside. pkt: the private copy of the
 * packet's first min(pkt_len, NAT_HDR_MAX) bytes (copied = that count),
 * starting at the IPv4 header; pkt_len: the whole IPv4 packet's length in
 * the frame. On NAT_FORWARD, the copy's bytes are the new header. */
enum nat_verdict nat_outbound(struct nat *n, struct nat_guest *g, uint8_t *pkt, size_t copied,
			      size_t pkt_len, uint64_t now, struct nat_result *res);

/* A packet from the uplink. On NAT_FORWARD, res->to is the guest and
 * res->to_ip its address (the new destination). */
enum nat_verdict nat_inbound(struct nat *n, uint8_t *pkt, size_t copied, size_t pkt_len,
			     uint64_t now, struct nat_result *res);

/* Forget every mapping of a guest (port attach / re-attach, AS-7). */
void nat_flush_guest(struct nat *n, struct nat_guest *g);

/* Forget every mapping (test builds' reset); keeps config and forwards. */
void nat_reset(struct nat *n);

/* Free expired mappings now (lookups also expire lazily); returns how many. */
uint32_t nat_expire(struct nat *n, uint64_t now);

/* The counter name of a reason ("no-mapping", ...). */
const char *nat_reason_name(enum nat_reason r);

/* Internet checksum helpers (RFC 1071, RFC 1624), for the caller's router
 * path too. Checksums and words in network byte order as read with
 * (p[0] << 8 | p[1]). */
uint16_t nat_csum(const uint8_t *p, size_t len, uint32_t sum);       /* folded, complemented */
uint16_t nat_csum_update16(uint16_t csum, uint16_t old, uint16_t new_); /* RFC 1624 eq. 3 */
uint16_t nat_csum_update32(uint16_t csum, uint32_t old, uint32_t new_);

#endif

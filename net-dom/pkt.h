/* SPDX-License-Identifier: MIT */
/*
 * A frame in flight through the switch. Only its headers are copied into
 * private memory (hdr, in untagged form: the 802.1Q tag, if any, is taken
 * out into vid/pcp); the rest stays where it arrived (a guest's data area
 * or a NIC receive buffer) and goes out from there: by scatter-gather to
 * the NIC, by one copy into a guest's receive buffer. Every decision is
 * taken on the private copy, so a guest rewriting its buffer meanwhile
 * changes nothing that was checked.
 */
#ifndef NETDOM_PKT_H
#define NETDOM_PKT_H

#include <stdbool.h>
#include <stdint.h>

struct port;

#define ETH_HLEN 14u
#define PKT_HDR_MAX 176u /* Ethernet + what NAT rewrites (NAT_HDR_MAX, 148) */
#define ETH_P_IP 0x0800u
#define ETH_P_ARP 0x0806u
#define ETH_P_8021Q 0x8100u
#define ETH_P_8021AD 0x88a8u
#define ETH_P_IPV6 0x86ddu
#define ETH_P_BARRIER 0x88b5u /* IEEE local experimental: the test rig's */

struct pkt {
	_Alignas(8) uint8_t hdr[PKT_HDR_MAX]; /* private: dst, src, type, then L3 headers */
	uint32_t hdr_len;
	const volatile uint8_t *rest; /* the bytes after the copied headers */
	uint64_t rest_pa;
	uint32_t rest_len;
	uint16_t type;                /* EtherType after any tag */
	uint16_t vid;                 /* 0 until classified */
	uint8_t pcp;
	bool tagged;                  /* arrived with an 802.1Q tag */
	bool bad_tag;                 /* 802.1ad, VID 4095, or a tag after a tag */
	bool reflect;                 /* an answer: may leave by its ingress port */
	struct port *in;
	/* where the frame came from, for its release once sent */
	uint32_t src_id;              /* guest TX id, or NIC receive handle */
};

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline uint32_t pkt_len(const struct pkt *k)
{
	return k->hdr_len + k->rest_len;
}

static inline const uint8_t *pkt_dst(const struct pkt *k)
{
	return k->hdr;
}

static inline const uint8_t *pkt_src(const struct pkt *k)
{
	return k->hdr + 6;
}

static inline bool mac_eq(const uint8_t *a, const uint8_t *b)
{
	for (int i = 0; i < 6; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static inline bool mac_multicast(const uint8_t *m)
{
	return m[0] & 1;
}

/* A MAC at a 2-aligned address (a frame's in k->hdr, at 0 and 6; a
 * port's configured one) as one 48-bit number, to compare in one go. */
static inline uint64_t mac_key(const uint8_t *m)
{
	const uint16_t *h = (const uint16_t *)(const void *)m;

	return (uint64_t)h[0] | (uint64_t)h[1] << 16 | (uint64_t)h[2] << 32;
}

/* An IPv4 address at a 2-aligned address, likewise. */
static inline uint32_t ip_key(const uint8_t *ip)
{
	const uint16_t *h = (const uint16_t *)(const void *)ip;

	return (uint32_t)h[0] | (uint32_t)h[1] << 16;
}

/*
 * Take a frame of `len` bytes at `frame` (physical address `pa`): copy the
 * Ethernet header and the headers the switch checks (802.1Q tag taken
 * out, the IPv4 header, an ARP packet) into k->hdr; the rest is left in
 * place. False if the frame is too short for what its headers announce.
 */
bool pkt_parse(struct pkt *k, const volatile uint8_t *frame, uint64_t pa, uint32_t len);

/* Copy up to n more bytes of the frame into k->hdr (as far as the frame
 * and PKT_HDR_MAX allow): headers NAT reads or rewrites. */
void pkt_pull(struct pkt *k, uint32_t n);

/* Byte offset of the L3 header in hdr (always ETH_HLEN: the tag is out). */
#define L3 ETH_HLEN

/* Length of the frame as it leaves a port, tagged or not. */
static inline uint32_t pkt_out_len(const struct pkt *k, bool tag)
{
	return pkt_len(k) + (tag ? 4u : 0u);
}

/* Write the frame's headers as they leave (a tag with k->vid/pcp inserted
 * when `tag`) at out; returns the bytes written (hdr_len or hdr_len + 4). */
uint32_t pkt_write_hdr(const struct pkt *k, uint8_t *out, bool tag);

#endif

/* SPDX-License-Identifier: MIT */
/* Frame headers into private memory, and back out (pkt.h). */
#include <domain/core.h>

#include "pkt.h"

/* Copy n more bytes of the frame, from src, to the end of the private
 * headers: 8 at a time where both sides are aligned alike (the MMU is off:
 * every access is Device memory, -mstrict-align), each shared byte read
 * once. */
static void pull(struct pkt *k, const volatile uint8_t *src, uint32_t n)
{
	uint8_t *dst = k->hdr + k->hdr_len;

	k->hdr_len += n;
	if ((((uintptr_t)dst ^ (uintptr_t)src) & 7) == 0) {
		for (; n && ((uintptr_t)dst & 7); n--)
			*dst++ = *src++;
		for (; n >= 8; n -= 8, dst += 8, src += 8)
			*(uint64_t *)(void *)dst = *(const volatile uint64_t *)(const volatile void *)src;
	}
	while (n--)
		*dst++ = *src++;
}

/*
 * The frame's headers are read once, into hdr, and every field is taken
 * from that private copy (a guest rewriting its buffer meanwhile changes
 * nothing: the EtherType that chose the checks is the one sent). A tag is
 * read with them and then taken out of hdr (its VID and PCP kept apart).
 */
bool pkt_parse(struct pkt *k, const volatile uint8_t *frame, uint64_t pa, uint32_t len)
{
	uint32_t off = ETH_HLEN;
	uint8_t *h = k->hdr;

	k->hdr_len = 0;
	k->tagged = k->bad_tag = k->reflect = false;
	k->vid = 0;
	k->pcp = 0;
	/* The common frame, untagged IPv4 without options and not ICMP, from
	 * an 8-aligned buffer (a guest's, NETFRONT_BUF_SIZE apart): its 34
	 * bytes of headers as five word loads (40 bytes, all inside the
	 * frame), the same copy the general path below makes byte for byte
	 * (the 6 bytes past hdr_len are not part of the headers). Anything
	 * else is read again, from the start, by that path: every decision is
	 * still taken on one private copy. */
	if (((uintptr_t)frame & 7) == 0 && len >= 40) {
		const volatile uint64_t *src = (const volatile uint64_t *)(const volatile void *)frame;
		uint64_t *dst = (uint64_t *)(void *)h;

		for (uint32_t i = 0; i < 5; i++)
			dst[i] = src[i];
		k->type = get16(h + 12);
		if (k->type == ETH_P_IP && (h[ETH_HLEN] & 0xfu) == 5 && h[ETH_HLEN + 9] != 1) {
			k->hdr_len = ETH_HLEN + 20;
			k->rest = frame + ETH_HLEN + 20;
			k->rest_pa = pa + ETH_HLEN + 20;
			k->rest_len = len - ETH_HLEN - 20;
			return true;
		}
	}
	if (len < ETH_HLEN)
		return false;
	pull(k, frame, ETH_HLEN);
	k->type = get16(h + 12);
	if (k->type == ETH_P_8021Q || k->type == ETH_P_8021AD) {
		uint16_t tci;

		if (len < ETH_HLEN + 4)
			return false;
		pull(k, frame + ETH_HLEN, 4);
		tci = get16(h + 14);
		k->bad_tag = k->type == ETH_P_8021AD || (tci & 0xfff) == 0xfff;
		k->tagged = true;
		k->vid = tci & 0xfff;
		k->pcp = (uint8_t)(tci >> 13);
		k->type = get16(h + 16);
		/* A second tag (802.1ad/Q-in-Q, or the hopping attack's inner
		 * tag) is never switched: VLAN-4, VLAN-7. */
		if (k->type == ETH_P_8021Q || k->type == ETH_P_8021AD)
			k->bad_tag = true;
		/* hdr holds the frame untagged: the type where the tag was. */
		h[12] = h[16];
		h[13] = h[17];
		k->hdr_len = ETH_HLEN;
		off += 4;
	}
	if (k->type == ETH_P_IP && len >= off + 20) {
		uint32_t ihl;

		pull(k, frame + off, 20);
		ihl = (h[ETH_HLEN] & 0xfu) * 4u;
		if (ihl < 20 || len < off + ihl)
			return false;
		if (ihl > 20)
			pull(k, frame + off + 20, ihl - 20);
		off += ihl;
		/* ICMP's header too: echo is answered by rewriting it (C-6). */
		if (h[ETH_HLEN + 9] == 1 && len >= off + 8) {
			pull(k, frame + off, 8);
			off += 8;
		}
	} else if (k->type == ETH_P_ARP && len >= off + 28) {
		pull(k, frame + off, 28);
		off += 28;
	}
	k->rest = frame + off;
	k->rest_pa = pa + off;
	k->rest_len = len - off;
	return true;
}

void pkt_pull(struct pkt *k, uint32_t n)
{
	if (n > k->rest_len)
		n = k->rest_len;
	if (n > PKT_HDR_MAX - k->hdr_len)
		n = PKT_HDR_MAX - k->hdr_len;
	pull(k, k->rest, n);
	k->rest += n;
	k->rest_pa += n;
	k->rest_len -= n;
}

/* n bytes from the private headers to out (a NIC scratch buffer after the
 * 12-byte virtio header, or a stack buffer): 4 at a time when both are
 * 4-aligned, as they are there (the library's memcpy goes by bytes unless
 * both are 8-aligned). */
static void put_bytes(uint8_t *out, const uint8_t *in, uint32_t n)
{
	if ((((uintptr_t)out | (uintptr_t)in) & 3) == 0) {
		uint32_t *o = (uint32_t *)(void *)out;
		const uint32_t *i = (const uint32_t *)(const void *)in;

		/* Four words a turn: the common 34 bytes in two turns, a
		 * word and a halfword. */
		for (; n >= 16; n -= 16, o += 4, i += 4) {
			o[0] = i[0];
			o[1] = i[1];
			o[2] = i[2];
			o[3] = i[3];
		}
		for (; n >= 4; n -= 4)
			*o++ = *i++;
		out = (uint8_t *)o;
		in = (const uint8_t *)i;
		if (n >= 2) {
			*(uint16_t *)(void *)out = *(const uint16_t *)(const void *)in;
			out += 2;
			in += 2;
			n -= 2;
		}
	}
	while (n--)
		*out++ = *in++;
}

uint32_t pkt_write_hdr(const struct pkt *k, uint8_t *out, bool tag)
{
	if (!tag) {
		put_bytes(out, k->hdr, k->hdr_len);
		return k->hdr_len;
	}
	put_bytes(out, k->hdr, 12);
	put16(out + 12, ETH_P_8021Q);
	put16(out + 14, (uint16_t)(k->pcp << 13 | k->vid));
	put_bytes(out + 16, k->hdr + 12, k->hdr_len - 12);
	return k->hdr_len + 4;
}

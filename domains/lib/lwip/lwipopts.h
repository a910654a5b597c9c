/* SPDX-License-Identifier: MIT */
/*
 * lwIP's options for Cloison's network guests (docs/net-guests.md): the raw
 * API without an OS (NO_SYS: one thread, the guest's event loop calls
 * lwIP), IPv4 with ARP, ICMP, UDP and TCP; no sockets, netconn, IPv6, DHCP
 * or DNS (the address is static, from the guest's configuration). Every
 * option not set here keeps lwIP's default (lwip/opt.h).
 */
#ifndef CLOISON_LWIPOPTS_H
#define CLOISON_LWIPOPTS_H

#define NO_SYS 1
#define SYS_LIGHTWEIGHT_PROT 0 /* no threads, and the IRQ handler never calls lwIP */
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0
#define LWIP_IPV4 1
#define LWIP_IPV6 0
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define LWIP_ICMP 1
#define LWIP_RAW 1 /* the ping client */
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_DHCP 0
#define LWIP_DNS 0
#define LWIP_IGMP 0
#define LWIP_AUTOIP 0
#define IP_REASSEMBLY 0 /* a web server's requests fit one segment */
#define IP_FRAG 0       /* TCP segments never exceed the MTU */

/* Memory: lwIP's own heap and pools, static in the image. */
#define MEM_ALIGNMENT 8
#define MEM_SIZE (512 * 1024)
#define PBUF_POOL_SIZE 128 /* received frames waiting for TCP: a burst of every RX buffer, twice */
#define PBUF_POOL_BUFSIZE 1536
#define MEMP_NUM_PBUF 256 /* references to static data: one per answer queued */
#define MEMP_NUM_RAW_PCB 2
#define MEMP_NUM_UDP_PCB 4
#define MEMP_NUM_TCP_PCB 128 /* TIME_WAIT ones are reclaimed when short */
#define MEMP_NUM_TCP_PCB_LISTEN 4
#define MEMP_NUM_TCP_SEG 256
#define ARP_TABLE_SIZE 16
#define ARP_QUEUEING 1

/* TCP: a full-size segment, a window of a few. */
#define TCP_MSS 1460
#define TCP_WND (8 * TCP_MSS)
#define TCP_SND_BUF (8 * TCP_MSS)
#define TCP_SND_QUEUELEN (4 * TCP_SND_BUF / TCP_MSS)
#define TCP_LISTEN_BACKLOG 1
#define LWIP_TCP_KEEPALIVE 0

/* Checksums in software both ways (the back end does not offload them). */
#define CHECKSUM_GEN_IP 1
#define CHECKSUM_GEN_UDP 1
#define CHECKSUM_GEN_TCP 1
#define CHECKSUM_GEN_ICMP 1
#define CHECKSUM_CHECK_IP 1
#define CHECKSUM_CHECK_UDP 1
#define CHECKSUM_CHECK_TCP 1
#define CHECKSUM_CHECK_ICMP 1

#define LWIP_NETIF_STATUS_CALLBACK 0
#define LWIP_NETIF_LINK_CALLBACK 0
#define LWIP_STATS 1 /* the guest prints counters on request */
#define LWIP_STATS_DISPLAY 0
#define LWIP_DEBUG 0

#endif

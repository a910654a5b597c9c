/* SPDX-License-Identifier: MIT */
/*
 * The switch's port table, written by the toolstack from the [[uplink]]
 * and [[netport]] tables of the system description
 * (toolstack/cloison/netports.py) into NET_CONFIG_SIZE bytes at
 * NET_CONFIG_OFFSET below the end of net-dom's RAM, read-only; layout in
 * docs/net-dom.md. Entry 0 is the uplink.
 */
#ifndef NETDOM_CONFIG_H
#define NETDOM_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

struct cloison_start_info;

#define NET_CONFIG_OFFSET 16384u
#define NET_CONFIG_SIZE 8192u
#define CONFIG_NAME_LEN 32u
#define CONFIG_MAX_IPS 4u
#define CONFIG_MAX_RANGES 12u
#define CONFIG_MAX_PORTS 47u
#define CONFIG_NAT_OFFSET 7680u /* struct config_nat, in the table */
#define CONFIG_NAT_FORWARDS 16u

enum port_mode { MODE_BRIDGE = 0, MODE_ROUTER = 1, MODE_NAT = 2 };

#define CFG_F_HAS_MAC 1u
#define CFG_F_DHCP 2u
#define CFG_F_IPV6 4u
#define CFG_V_TRUNK 1u
#define CFG_V_PVID_UNTAGGED 2u
/* A run-time port's cap field: this mark, then its number in decimal
 * (net-dom/connect.c serves it to a guest made at run time). */
#define CFG_RUNTIME_MARK '@'


struct config_port {
	char cap[CONFIG_NAME_LEN];     /* uplink: the NIC's cap; guest: the channel's */
	char irq_cap[CONFIG_NAME_LEN]; /* uplink: the NIC's IRQ cap */
	uint8_t mac[6];
	uint8_t mode;                  /* enum port_mode */
	uint8_t flags;                 /* CFG_F_* */
	uint8_t n_ip;
	uint8_t n_ranges;
	uint16_t pvid;                 /* 0: no native VLAN */
	uint16_t vflags;               /* CFG_V_* */
	uint16_t quota;                /* NAT: mappings the guest may hold; 0: default */
	uint8_t ip[CONFIG_MAX_IPS][4]; /* network order */
	uint32_t rate_bytes;           /* credit per interval; 0: unlimited */
	uint32_t rate_us;
	uint8_t gateway[4];            /* 0.0.0.0: the default */
	uint32_t ageing_s;             /* uplink: the learning table's ageing */
	struct {
		uint16_t lo, hi;
	} ranges[CONFIG_MAX_RANGES];   /* allowed VIDs */
};

_Static_assert(sizeof(struct config_port) == 160, "net config entry");
_Static_assert(__builtin_offsetof(struct config_port, mac) % 2 == 0 &&
		       __builtin_offsetof(struct config_port, ip) % 2 == 0,
	       "a port's MAC and addresses are read by halfwords (pkt.h mac_key, ip_key)");

/* NAT mode's settings (docs/net-nat.md) and the connect inbox's size, one
 * block for the switch. */
struct config_nat {
	uint8_t n_forwards;
	uint8_t filter;                /* enum nat_filter */
	uint8_t inbound_refresh;
	uint8_t pad;
	uint16_t mtu;                  /* the uplink's, for NAT-12 */
	uint16_t connect_inbox;        /* the switch's connect inbox: its CSpace's last slots */
	uint32_t udp_s, tcp_est_s, tcp_trans_s, icmp_s;
	uint8_t gateway[4];            /* the inside gateway every NAT port shares */
	struct {
		uint8_t proto;         /* 6 TCP, 17 UDP */
		uint8_t port;          /* the guest port's index in the table */
		uint16_t ext_port, inside_port, pad;
	} fwd[CONFIG_NAT_FORWARDS];
};

_Static_assert(sizeof(struct config_nat) == 28 + 8 * CONFIG_NAT_FORWARDS, "nat config");
_Static_assert(16 + CONFIG_MAX_PORTS * sizeof(struct config_port) <= CONFIG_NAT_OFFSET &&
		       CONFIG_NAT_OFFSET + sizeof(struct config_nat) <= NET_CONFIG_SIZE,
	       "net config layout");

/* Read and check the table (magic, version, count, names terminated, VIDs
 * and counts in range, the uplink first, NAT forwards naming NAT ports).
 * Fills out[], *n and *nat; false with
 * *why otherwise. */
bool config_read(const struct cloison_start_info *si, struct config_port *out, uint32_t *n,
		 struct config_nat *nat, const char **why);

#endif

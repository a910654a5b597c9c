/* SPDX-License-Identifier: MIT */
/*
 * Example network guest (docs/net-guests.md): lwIP on the network front end
 * of its port "net", with the address its configuration page gives. It
 * serves a small static page over HTTP on port 80 (one request per
 * connection, HTTP/1.0 style: what `ab` without keep-alive sends) and its
 * front end's counters at /stats, answers ping (lwIP's ICMP), and pings the
 * address the configuration names (the uplink's gateway) three times at
 * start, printing how many replies came back. A guest holding a cap named
 * "heartbeat" (toolstack/systems/default-verbose.toml) also prints each
 * reply and every hundredth request served; without it the guest stays
 * quiet after start, as the default system's guests do.
 */
#include <domain/runtime.h>
#include <stdlib.h>
#include <string.h>

#include "lwip/init.h"
#include "lwip/inet_chksum.h"
#include "lwip/ip4.h"
#include "lwip/prot/icmp.h"
#include "lwip/raw.h"
#include "lwip/sys.h"
#include "lwip/tcp.h"
#include "netfront_lwip.h"

#define NET_VIRQ 40u
#define HTTP_PORT 80u
#define REQ_MAX 1024u
#define PINGS 3u
#define PING_ID 0xc10du
#define PING_INTERVAL_MS 1000u

static const char page[] =
	"<!DOCTYPE html>\n<html><head><title>Cloison</title></head>\n"
	"<body><h1>Hello from a Cloison guest</h1>\n"
	"<p>lwIP on the network front end, through net-dom.</p></body></html>\n";

/* The whole 200 answer, header and page, made once: one write, one
 * segment, a reference to static data (no copy). */
static char ok_answer[160 + sizeof(page)];
static const char not_found[] =
	"HTTP/1.0 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n"
	"Connection: close\r\n\r\nnot found\n";
static const char bad_request[] =
	"HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n"
	"Connection: close\r\n\r\nbad request\n";

static struct netfront_lwip port;
static uint64_t served, refused_conns;
static bool chatty; /* holds a "heartbeat" cap */

struct conn {
	uint32_t len;
	bool answered;
	char req[REQ_MAX];
};

static void conn_free(struct tcp_pcb *pcb, struct conn *c)
{
	if (pcb) {
		tcp_arg(pcb, NULL);
		tcp_recv(pcb, NULL);
		tcp_err(pcb, NULL);
		tcp_poll(pcb, NULL, 0);
	}
	free(c);
}

/* Close, or abort when lwIP has no memory to queue the FIN. */
static err_t conn_close(struct tcp_pcb *pcb, struct conn *c)
{
	conn_free(pcb, c);
	if (tcp_close(pcb) != ERR_OK) {
		tcp_abort(pcb);
		return ERR_ABRT;
	}
	return ERR_OK;
}

static err_t answer(struct tcp_pcb *pcb, struct conn *c)
{
	bool get = strncmp(c->req, "GET ", 4) == 0;
	const char *path = c->req + 4;
	err_t e;

	c->answered = true;
	if (get && strncmp(path, "/stats ", 7) == 0) {
		/* The front end's counters, as text (copied: the buffer is the
		 * connection's). */
		char body[256], all[400];
		int n = snprintf(body, sizeof(body),
				 "served %llu\ntx %llu\ntx_done %llu\nrx %llu\nnotifies %llu\n"
				 "interrupts %llu\n",
				 (unsigned long long)served, (unsigned long long)port.nf.st.tx,
				 (unsigned long long)port.nf.st.tx_done,
				 (unsigned long long)port.nf.st.rx,
				 (unsigned long long)port.nf.st.notifies,
				 (unsigned long long)irq_count());
		int m = snprintf(all, sizeof(all),
				 "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n"
				 "Content-Length: %d\r\nConnection: close\r\n\r\n%s", n, body);

		e = tcp_write(pcb, all, (u16_t)m, TCP_WRITE_FLAG_COPY);
	} else {
		const char *r = !get ? bad_request
				: strncmp(path, "/ ", 2) == 0 || strncmp(path, "/index.html ", 12) == 0
				? ok_answer : not_found;

		e = tcp_write(pcb, r, (u16_t)strlen(r), 0);
	}
	if (e != ERR_OK) {
		tcp_abort(pcb);
		conn_free(NULL, c);
		return ERR_ABRT;
	}
	if (++served % 100 == 0 && chatty)
		printf("web: %llu requests served\n", (unsigned long long)served);
	return conn_close(pcb, c); /* the FIN follows the queued answer */
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct conn *c = arg;

	if (!p) /* the client closed before asking */
		return c ? conn_close(pcb, c) : ERR_OK;
	if (!c || err != ERR_OK || c->answered) {
		tcp_recved(pcb, p->tot_len);
		pbuf_free(p);
		return ERR_OK;
	}
	tcp_recved(pcb, p->tot_len);
	c->len += pbuf_copy_partial(p, c->req + c->len, (u16_t)(REQ_MAX - 1 - c->len), 0);
	pbuf_free(p);
	c->req[c->len] = 0;
	if (strstr(c->req, "\r\n\r\n") || strstr(c->req, "\n\n") || c->len == REQ_MAX - 1)
		return answer(pcb, c);
	return ERR_OK;
}

static void on_err(void *arg, err_t err)
{
	free(arg); /* the pcb is already gone */
}

/* A connection idle for 30 s (lwIP polls every 60 x 500 ms): long enough
 * for a few of the peer's retransmissions with backoff. */
static err_t on_poll(void *arg, struct tcp_pcb *pcb)
{
	struct conn *c = arg;

	tcp_abort(pcb);
	conn_free(NULL, c);
	return ERR_ABRT;
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct conn *c;

	if (err != ERR_OK || !pcb)
		return ERR_VAL;
	c = calloc(1, sizeof(*c));
	if (!c) {
		refused_conns++;
		tcp_abort(pcb);
		return ERR_ABRT;
	}
	tcp_arg(pcb, c);
	tcp_recv(pcb, on_recv);
	tcp_err(pcb, on_err);
	tcp_poll(pcb, on_poll, 60);
	return ERR_OK;
}

static void http_start(void)
{
	struct tcp_pcb *pcb = tcp_new();

	snprintf(ok_answer, sizeof(ok_answer),
		 "HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: %u\r\n"
		 "Connection: close\r\n\r\n%s", (unsigned)(sizeof(page) - 1), page);
	if (!pcb || tcp_bind(pcb, IP_ANY_TYPE, HTTP_PORT) != ERR_OK)
		runtime_panic("web: cannot bind port %u", HTTP_PORT);
	pcb = tcp_listen(pcb);
	if (!pcb)
		runtime_panic("web: cannot listen");
	tcp_accept(pcb, on_accept);
}

/* Ping: ICMP echo requests on a raw pcb, replies matched by id and seq. */
static struct raw_pcb *ping_pcb;
static uint16_t ping_seq, ping_replies;
static uint32_t ping_sent_ms[PINGS + 1];

static u8_t ping_recv(void *arg, struct raw_pcb *pcb, struct pbuf *p, const ip_addr_t *addr)
{
	struct icmp_echo_hdr h;
	uint16_t hlen;
	uint8_t vhl, ttl;

	if (pbuf_copy_partial(p, &vhl, 1, 0) != 1)
		return 0;
	hlen = (uint16_t)((vhl & 0xfu) * 4u);
	if (pbuf_copy_partial(p, &ttl, 1, 8) != 1 ||
	    pbuf_copy_partial(p, &h, sizeof(h), hlen) != sizeof(h) || h.type != ICMP_ER ||
	    lwip_ntohs(h.id) != PING_ID)
		return 0; /* not ours: lwIP goes on with it */
	uint16_t seq = lwip_ntohs(h.seqno);

	if (seq >= 1 && seq <= PINGS) {
		ping_replies++;
		if (chatty)
			printf("web: ping %s: reply seq=%u ttl=%u time=%u ms\n", ipaddr_ntoa(addr),
			       seq, ttl, (unsigned)(sys_now() - ping_sent_ms[seq]));
	}
	pbuf_free(p);
	return 1;
}

static void ping_send(const ip_addr_t *to)
{
	struct pbuf *p = pbuf_alloc(PBUF_IP, sizeof(struct icmp_echo_hdr) + 32, PBUF_RAM);
	struct icmp_echo_hdr *h;

	if (!p)
		return;
	h = p->payload;
	memset(h, 0, p->len);
	h->type = ICMP_ECHO;
	h->id = lwip_htons(PING_ID);
	h->seqno = lwip_htons(++ping_seq);
	for (uint32_t i = sizeof(*h); i < p->len; i++)
		((uint8_t *)p->payload)[i] = (uint8_t)i;
	h->chksum = inet_chksum(h, p->len);
	ping_sent_ms[ping_seq] = sys_now();
	raw_sendto(ping_pcb, p, to);
	pbuf_free(p);
}

int domain_main(const struct cloison_start_info *si)
{
	struct netguest_config cfg;
	const char *why = "";
	ip_addr_t target;
	uint32_t next_ping = 0;

	chatty = si_find("heartbeat") != NULL;
	if (!netguest_config_read("net", &cfg, &why))
		runtime_panic("web: %s", why);
	lwip_init();
	if (!netfront_lwip_attach(&port, &cfg, NET_VIRQ, &why))
		runtime_panic("web: port net: %s", why);
	http_start();
	printf("web: %s on port net (mac %02x:%02x:%02x:%02x:%02x:%02x), serving http on port %u\n",
	       ip4addr_ntoa(netif_ip4_addr(&port.netif)), port.nf.mac[0], port.nf.mac[1],
	       port.nf.mac[2], port.nf.mac[3], port.nf.mac[4], port.nf.mac[5], HTTP_PORT);
	if (cfg.ping) {
		ip_addr_set_ip4_u32(&target, lwip_htonl(cfg.ping));
		ping_pcb = raw_new(IP_PROTO_ICMP);
		if (!ping_pcb)
			runtime_panic("web: no raw pcb for ping");
		raw_recv(ping_pcb, ping_recv, NULL);
		next_ping = sys_now();
	}
	for (;;) {
		if (ping_pcb && ping_seq < PINGS && (int32_t)(sys_now() - next_ping) >= 0) {
			ping_send(&target);
			next_ping = sys_now() + PING_INTERVAL_MS;
		} else if (ping_pcb && ping_seq == PINGS &&
			   (int32_t)(sys_now() - next_ping) >= 0) {
			printf("web: ping %s: %u/%u replies\n", ipaddr_ntoa(&target), ping_replies,
			       PINGS);
			raw_remove(ping_pcb);
			ping_pcb = NULL;
		}
		if (!netfront_lwip_step(&port, ping_pcb ? 100u : 1000u))
			runtime_panic("web: the back end broke the protocol: %s", port.nf.why);
	}
}

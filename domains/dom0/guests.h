/* SPDX-License-Identifier: MIT */
/*
 * dom0's guests made at run time (guests.c, docs/dynamic-guests.md): the
 * shell's create / list / destroy / console for them, from the store packed
 * into dom0's memory (store.c), and the machine-readable mode
 * `toolstack/bin/cloison ctl` drives (docs/dom0.md, "Scripting from the
 * host").
 */
#ifndef DOM0_GUESTS_H
#define DOM0_GUESTS_H

#include <domain/core.h>

#include "ring.h"

/* The store (store.c): guest configs and their flat images. */
struct store_guest {
	char name[32], image[32], disk[32];
	uint64_t memory, image_off, image_size;
	uint32_t budget_us, period_us, priority;
	uint16_t net_port, net_vlan;
};
_Static_assert(sizeof(struct store_guest) == 136, "the toolstack's ENTRY (cloison/store.py)");

/* The store's entry count (0: no store), entry i, an image's first byte's
 * IPA in dom0's RAM. */
uint32_t store_open(const struct cloison_start_info *si);
const struct store_guest *store_guest(uint32_t i);
uint64_t store_image_ipa(const struct store_guest *g);

void guests_init(const struct cloison_start_info *si);
/* One command of the shell's: true if it was one of ours (done, errors
 * printed), false to let the shell try its own. */
bool guests_execute(char **w, unsigned n);
/* The run-time guests' lines of `list`. */
void guests_list(void);
/* dom0's cap to the run-time guest `name`, or CLOISON_SLOT_NONE. */
uint64_t guests_slot(const char *name);
void guests_help(void);
/* A line from `cloison ctl` ("@SEQ command..."): runs the command with
 * execute between "@SEQ begin" and "@SEQ end ok|error"; false if the line is
 * not one. */
bool guests_ctl(char *line, void (*execute)(char *));
/* A refusal or mistake of the shell's command being run: printed, and
 * `cloison ctl`'s end line for the command says "error". */
void fail(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* For disks.c: dom0's pool. */
uint64_t guests_pool(void);

/* A driver domain's control channel (drvctl.c): storage-dom's disk
 * protocol (diskctl.h) and net-dom's port protocol (netctl.h) share their
 * requests' numbers and the start of their answers. */
#define DRVCTL_READY 2u
#define DRVCTL_DETACH 3u
#define DRVCTL_LIST 4u
#define DRVCTL_MSG_MAX 56u /* RING_DATA */

struct drvctl_head {
	uint32_t status; /* 0: ok */
	uint32_t slot;   /* the driver's inbox slot */
	uint64_t value;  /* ATTACH: the channel's bytes */
};

struct drvctl {
	const char *driver;                   /* "storage-dom", for messages */
	uint32_t req_len, rsp_len;            /* the protocol's messages */
	uint64_t channel_max;                 /* the largest channel it may ask for */
	const char *(*status_name)(uint32_t);
	struct ring_end ring;
	uint64_t slot;                        /* dom0's end 0; CLOISON_SLOT_NONE: none */
	uint64_t dom;                         /* dom0's cap (connect) to the driver */
	uint32_t next_id;
	const char *why;                      /* the last ask's failure */
};

/* The channel dom0's cap `ctl_cap` is end 0 of, and the driver's domain
 * cap `dom_cap` (either CLOISON_SLOT_NONE if absent). */
void drvctl_open(struct drvctl *c, const char *ctl_cap, const char *dom_cap);
/* One request and its answer (rsp_len bytes), waiting a bounded time;
 * false with c->why if none came or the channel broke. */
bool drvctl_ask(struct drvctl *c, const void *req, uint32_t req_len, void *rsp,
		uint32_t rsp_len);
/* For `create GUEST`, `what` naming the disk or port in messages:
 * ATTACH (the protocol's request `attach`): the driver's inbox slot and
 * the channel's size, refusals reported; then domain_connect (end 1 in
 * the guest's guest_slot, named cap_name) and READY; DETACH (reported,
 * not failed: the core takes the end with the guest anyway). */
bool drvctl_reserve(struct drvctl *c, const char *guest, const char *what, const void *attach,
		    uint32_t *inbox, uint64_t *size);
bool drvctl_connect(struct drvctl *c, const char *guest, const char *what, uint64_t dom,
		    uint32_t guest_slot, const char *cap_name, uint32_t inbox, uint64_t size);
void drvctl_detach(struct drvctl *c, const char *guest, uint32_t inbox);
/* LIST index: the answer in rsp (rsp_len bytes); *end past the last. */
bool drvctl_list(struct drvctl *c, uint32_t index, void *rsp, bool *end);

/* A guest's virtual disk (disks.c) and switch port (nets.c), over the
 * control channels "storage-ctl" and "net-ctl": reserved before the guest
 * is made (true if the config has none; *inbox: the driver's slot, 0 for
 * none), connected while it is built (refusals reported; the caller
 * detaches), detached on any error and before the guest is destroyed;
 * `disks` and `ports`: the drivers' run-time clients. */
void disks_init(const struct cloison_start_info *si);
bool disk_reserve(const struct store_guest *g, uint32_t *inbox);
bool disk_connect(const struct store_guest *g, uint64_t dom, uint32_t inbox);
void disk_disconnect(const char *guest, uint32_t inbox);
void disks_list(void);
void nets_init(const struct cloison_start_info *si);
bool net_reserve(const struct store_guest *g, uint32_t *inbox);
bool net_connect(const struct store_guest *g, uint64_t dom, uint32_t inbox);
void net_disconnect(const char *guest, uint32_t inbox);
void nets_list(void);

#endif

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

/* A guest's virtual disk (disks.c): the control channel to storage-dom; the
 * config's disk reserved before the guest is made (true if it has none;
 * *inbox: storage-dom's slot, 0 for none), connected while it is built
 * (refusals reported; the caller detaches), detached on any error and before
 * the guest is destroyed; `disks`: storage-dom's run-time clients. */
void disks_init(const struct cloison_start_info *si);
bool disk_reserve(const struct store_guest *g, uint32_t *inbox);
bool disk_connect(const struct store_guest *g, uint64_t dom, uint32_t inbox);
void disk_disconnect(const char *guest, uint32_t inbox);
void disks_list(void);

#endif

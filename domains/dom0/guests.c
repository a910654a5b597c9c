/* SPDX-License-Identifier: MIT */
/*
 * Guests made at run time (docs/dynamic-guests.md): `create CONFIG` builds a
 * guest from a config of the store with the core's build calls, `list`
 * shows each with its memory, budget and image hash, `destroy NAME` ends it
 * and gives its memory back to dom0's pool. dom0 holds, for each, only its
 * domain cap: after start that cap's build right is refused everything, and
 * dom0 never had a cap to the guest's memory or kept one to its CSpace.
 *
 * Every refusal is reported naming what was refused, and a create that
 * fails part way deletes what it made, so nothing is left half-built.
 *
 * Lines starting "@SEQ " are from `toolstack/bin/cloison ctl`: the rest of
 * the line runs as a command between "@SEQ begin" and "@SEQ end ok|error"
 * lines, which the host reads back (docs/dom0.md, "Scripting from the host").
 */
#include "guests.h"

#define MAX_GUESTS 16
#define GUEST_CSPACE_SLOTS 16
#define NONE CLOISON_SLOT_NONE

static struct guest {
	const struct store_guest *cfg;
	uint64_t slot; /* dom0's cap to it; 0: unused entry */
	uint32_t disk; /* storage-dom's inbox slot for its disk; 0: none */
	uint32_t net;  /* net-dom's inbox slot for its port; 0: none */
} guests[MAX_GUESTS];
static uint64_t pool, guest_console;
static uint32_t nstore;
static bool failed; /* the command being run reported an error (ctl's end line) */

void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
	failed = true;
}

void guests_init(const struct cloison_start_info *si)
{
	pool = si_cap_or_none("pool");
	guest_console = si_cap_or_none("guest-console");
	nstore = store_open(si);
	disks_init(si);
	nets_init(si);
}

uint64_t guests_pool(void)
{
	return pool;
}

static const struct store_guest *config(const char *name)
{
	size_t n = strlen(name);

	/* `create web1` or `create web1.toml`: a config is named by its guest. */
	if (n > 5 && strcmp(name + n - 5, ".toml") == 0)
		n -= 5;
	for (uint32_t i = 0; i < nstore; i++) {
		const struct store_guest *g = store_guest(i);

		if (strlen(g->name) == n && memcmp(g->name, name, n) == 0)
			return g;
	}
	return NULL;
}

static struct guest *guest(const char *name)
{
	for (unsigned i = 0; i < MAX_GUESTS; i++)
		if (guests[i].slot && strcmp(guests[i].cfg->name, name) == 0)
			return &guests[i];
	return NULL;
}

uint64_t guests_slot(const char *name)
{
	const struct guest *gu = guest(name);

	return gu ? gu->slot : NONE;
}

static uint64_t pool_free(void)
{
	uint64_t size = 0, free = 0;

	cloison_untyped_query(pool, &size, &free);
	return free;
}

/* The steps after the domain exists; the first refusal is reported. disk,
 * net: the inbox slots storage-dom and net-dom reserved for its disk and
 * port (0: none). */
static bool build(const struct store_guest *g, uint64_t dom, uint32_t disk, uint32_t net)
{
	uint64_t name[4] = { 0 }, con = 0, err, loaded = 0;

	memcpy(name, g->name, sizeof(g->name));
	err = cloison_domain_set_memory(dom, pool, g->memory, name[0], name[1], name[2], name[3]);
	if (err) {
		fail("create %s: memory: %lu MiB %s (%s; dom0's pool has %lu KiB free)\n", g->name,
		     g->memory >> 20, err == CLOISON_ERR_NO_MEMORY ? "does not fit" : "refused",
		     cloison_err_name(err), pool_free() >> 10);
		return false;
	}
	for (uint64_t off = 0, len; off < g->image_size; off += len) {
		len = g->image_size - off < CLOISON_LOAD_MAX ? g->image_size - off : CLOISON_LOAD_MAX;
		err = cloison_domain_load(dom, store_image_ipa(g) + off, len, &loaded);
		if (err) {
			fail("create %s: image: loading '%s' refused at byte %lu (%s)\n", g->name,
			     g->image, off, cloison_err_name(err));
			return false;
		}
	}
	err = cloison_domain_set_sched(dom, g->budget_us, g->period_us, g->priority);
	if (err) {
		fail("create %s: budget_us %u, period_us %u, priority %u: refused (%s): more than "
		     "the policy lets dom0 give (its own priority and CPU share)\n",
		     g->name, g->budget_us, g->period_us, g->priority, cloison_err_name(err));
		return false;
	}
	memcpy(&con, "console", 7);
	if (guest_console != NONE &&
	    (err = cloison_domain_install(dom, guest_console, 1,
					  CLOISON_RIGHT_CONSOLE_WRITE | CLOISON_RIGHT_CONSOLE_INPUT,
					  con, 0))) {
		fail("create %s: its console cap: refused (%s)\n", g->name, cloison_err_name(err));
		return false;
	}
	if (!disk_connect(g, dom, disk) || !net_connect(g, dom, net))
		return false;
	if ((err = cloison_domain_finish_build(dom)) || (err = cloison_domain_start(dom))) {
		fail("create %s: start refused (%s)\n", g->name, cloison_err_name(err));
		return false;
	}
	return true;
}

static void create(const char *name)
{
	const struct store_guest *g = config(name);
	struct guest *slot = NULL;
	uint64_t cn, dom, err;

	if (!g) {
		fail("create: no config named '%s' in the store (%u config%s; list shows them)\n",
		     name, nstore, nstore == 1 ? "" : "s");
		return;
	}
	if (guest(g->name)) {
		fail("create %s: a guest of that name exists (destroy it first)\n", g->name);
		return;
	}
	if (pool == NONE) {
		fail("create %s: dom0 holds no pool cap named 'pool' (the description gives it "
		     "none)\n", g->name);
		return;
	}
	for (unsigned i = 0; i < MAX_GUESTS && !slot; i++)
		if (!guests[i].slot)
			slot = &guests[i];
	cn = si_free_slot(0);
	dom = cn ? si_free_slot(cn) : 0;
	if (!slot || !dom) {
		fail("create %s: dom0 has no room for another guest (%u at most)\n", g->name,
		     MAX_GUESTS);
		return;
	}
	/* Its disk and port first: one a driver refuses costs nothing. */
	if (!disk_reserve(g, &slot->disk))
		return;
	if (!net_reserve(g, &slot->net)) {
		disk_disconnect(g->name, slot->disk);
		return;
	}
	/* Its CSpace and the domain: dom0 lets go of the CSpace's CNode at
	 * once (the core would refuse finish_build while it held it). */
	err = cloison_untyped_retype(pool, CLOISON_TYPE_CNODE, GUEST_CSPACE_SLOTS, NONE, cn);
	if (!err) {
		err = cloison_untyped_retype(pool, CLOISON_TYPE_DOMAIN, 0, NONE, dom);
		if (!err)
			err = cloison_domain_set_cspace(dom, cn);
		cloison_cap_delete(cn);
	}
	if (err) {
		cloison_cap_delete(dom);
		net_disconnect(g->name, slot->net);
		disk_disconnect(g->name, slot->disk);
		fail("create %s: its CSpace and domain object: %s (%s; dom0's pool has %lu "
		     "bytes free)\n", g->name,
		     err == CLOISON_ERR_NO_MEMORY ? "the pool is exhausted" : "refused",
		     cloison_err_name(err), pool_free());
		return;
	}
	if (!build(g, dom, slot->disk, slot->net)) {
		/* Nothing half-built, undone in order: net-dom and
		 * storage-dom forget the port and the disk, then the domain
		 * goes with its cap (the core takes the channels) and the
		 * core zeroes what it was given. */
		net_disconnect(g->name, slot->net);
		disk_disconnect(g->name, slot->disk);
		cloison_cap_delete(dom);
		return;
	}
	slot->cfg = g;
	slot->slot = dom;
	print("create %s: running\n", g->name);
}

static void destroy(struct guest *gu)
{
	uint64_t err;

	/* net-dom and storage-dom first let go of the port and the disk
	 * (nothing of them left at the devices), then the core takes the
	 * channels with the guest. */
	net_disconnect(gu->cfg->name, gu->net);
	disk_disconnect(gu->cfg->name, gu->disk);
	gu->disk = gu->net = 0;
	err = cloison_domain_destroy(gu->slot);

	if (err && err != CLOISON_ERR_BAD_STATE) {
		fail("destroy %s: %s\n", gu->cfg->name, cloison_err_name(err));
		return;
	}
	cloison_cap_delete(gu->slot);
	print("destroy %s: ok (its memory is zeroed and back in dom0's pool)\n", gu->cfg->name);
	gu->slot = 0;
}

void guests_list(void)
{
	for (unsigned i = 0; i < MAX_GUESTS; i++) {
		struct guest *gu = &guests[i];
		uint64_t state = 0, id = 0, t = 0, mem = 0, loaded, h[4] = { 0 };
		const uint8_t *b = (const uint8_t *)h;
		char hex[65];

		if (!gu->slot)
			continue;
		if (cloison_domain_query(gu->slot, &state, &id, &t) ||
		    cloison_domain_build_query(gu->slot, &mem, &loaded, &h[0], &h[1], &h[2], &h[3])) {
			fail("%-8s state unknown\n", gu->cfg->name);
			continue;
		}
		for (unsigned j = 0; j < 32; j++)
			print_to_buf(&hex[2 * j], 3, "%02x", b[j]);
		print("%-8s domain %lu, %-9s cpu %4lu ms, memory %lu MiB, budget %u/%u us, "
		      "priority %u, image sha256 %s\n",
		      gu->cfg->name, id - 1, cloison_domain_state_name(state),
		      t / (vtimer_freq() / 1000), mem >> 20, gu->cfg->budget_us,
		      gu->cfg->period_us, gu->cfg->priority, hex);
	}
	if (nstore) {
		print("store:");
		for (uint32_t i = 0; i < nstore; i++)
			print(" %s", store_guest(i)->name);
		print(" (create NAME)\n");
	}
}

void guests_help(void)
{
	print("guests made at run time: create CONFIG, destroy NAME (list shows the store), "
	      "disks (storage-dom's run-time clients), ports (net-dom's run-time ports); "
	      "stats: the core's objects and pages, dom0's pool\n");
}

/* The core's census (system cap, audit right) and dom0's pool: what a run
 * of creations and destructions must leave as it found. */
static void stats(void)
{
	uint64_t objs = 0, free = 0, total = 0, err;
	uint64_t size = 0, pfree = 0;

	err = cloison_system_census(si_cap_or_none("system"), &objs, &free, &total);
	if (err) {
		fail("stats: not permitted (%s): dom0 holds no system cap with the audit right\n",
		     cloison_err_name(err));
		return;
	}
	cloison_untyped_query(pool, &size, &pfree);
	print("stats: core %lu objects, %lu of %lu pages free; pool %lu of %lu bytes free\n",
	      objs, free, total, pfree, size);
}

/* start, stop, resume of a guest made at run time. */
static void lifecycle(const char *cmd, struct guest *gu)
{
	uint64_t err;

	if (strcmp(cmd, "start") == 0)
		err = cloison_domain_start(gu->slot);
	else if (strcmp(cmd, "stop") == 0)
		err = cloison_domain_stop(gu->slot);
	else
		err = cloison_domain_resume(gu->slot);
	if (err)
		fail("%s %s: refused (%s)\n", cmd, gu->cfg->name, cloison_err_name(err));
	else
		print("%s %s: ok\n", cmd, gu->cfg->name);
}

static bool run(char **w, unsigned n)
{
	struct guest *gu;

	if (strcmp(w[0], "create") == 0) {
		if (n != 2)
			fail("create: usage: create CONFIG (a config of the store: list shows them)\n");
		else
			create(w[1]);
		return true;
	}
	if (strcmp(w[0], "stats") == 0 && n == 1) {
		stats();
		return true;
	}
	if (strcmp(w[0], "disks") == 0 && n == 1) {
		disks_list();
		return true;
	}
	if (strcmp(w[0], "ports") == 0 && n == 1) {
		nets_list();
		return true;
	}
	if (n != 2 || !(gu = guest(w[1])))
		return false; /* not one of ours: the shell's own commands */
	if (strcmp(w[0], "destroy") == 0)
		destroy(gu);
	else if (strcmp(w[0], "start") == 0 || strcmp(w[0], "stop") == 0 ||
		 strcmp(w[0], "resume") == 0)
		lifecycle(w[0], gu);
	else
		return false;
	return true;
}

bool guests_execute(char **w, unsigned n)
{
	failed = false;
	return run(w, n);
}

bool guests_ctl(char *line, void (*execute)(char *))
{
	char *p = line + 1;

	if (line[0] != '@' || *p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p != ' ')
		return false;
	*p++ = '\0';
	print("@%s begin\n", line + 1);
	failed = false;
	execute(p);
	console_flush();
	print("@%s end %s\n", line + 1, failed ? "error" : "ok");
	return true;
}

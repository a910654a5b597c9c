/* SPDX-License-Identifier: MIT */
/*
 * A guest that keeps a persistent log on its virtual disk (served by
 * storage-dom, docs/block-protocol.md): at each boot it reads the log from
 * the first 4 KiB of its disk, prints what earlier boots wrote, appends an
 * entry, writes it back and flushes. The disk is a host file that survives
 * QEMU restarts (toolstack/run), so a second boot finds the first's entry.
 */
#include <domain/core.h>

#include "blkfront.h"

#define LOG_MAGIC "CLOISLOG"
#define LOG_VERSION 1u
#define LOG_ENTRIES 63u
#define LOG_ENTRY 64u
#define LOG_BYTES 4096u

struct disk_log {
	char magic[8];
	uint32_t version;
	uint32_t count;     /* entries written since the disk was blank */
	char entry[LOG_ENTRIES][LOG_ENTRY];
};

_Static_assert(sizeof(struct disk_log) <= LOG_BYTES, "the log fits 4 KiB");

static struct blkfront f;
static struct disk_log log;

/* Small decimal formatter: the entry text is built in private memory. */
static uint32_t put_text(char *out, uint32_t at, const char *s)
{
	while (*s && at < LOG_ENTRY - 1)
		out[at++] = *s++;
	return at;
}

static uint32_t put_uint(char *out, uint32_t at, uint64_t v)
{
	char digits[20];
	uint32_t n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n && at < LOG_ENTRY - 1)
		out[at++] = digits[--n];
	return at;
}

int domain_main(const struct cloison_start_info *si)
{
	const char *why = "";
	uint32_t first, shown, at = 0;
	char *e;

	if (!blkfront_init(&f, "disk", &why))
		runtime_panic("no disk: %s", why);
	if (blkfront_io(&f, BLKIF_OP_READ, 0, 0, LOG_BYTES, NULL) != BLKIF_OK)
		runtime_panic("cannot read the log");
	memcpy(&log, (const void *)(uintptr_t)blkfront_data(&f), sizeof(log));
	if (memcmp(log.magic, LOG_MAGIC, 8) != 0 || log.version != LOG_VERSION) {
		print("disklog: no log on this disk (%lu sectors): starting one\n", f.sectors);
		memset(&log, 0, sizeof(log));
		memcpy(log.magic, LOG_MAGIC, 8);
		log.version = LOG_VERSION;
	} else {
		shown = log.count < LOG_ENTRIES ? log.count : LOG_ENTRIES;
		first = log.count - shown;
		print("disklog: %u entries from earlier boots\n", log.count);
		for (uint32_t i = first; i < log.count; i++) {
			log.entry[i % LOG_ENTRIES][LOG_ENTRY - 1] = 0;
			print("disklog: [%u] %s\n", i + 1, log.entry[i % LOG_ENTRIES]);
		}
	}
	e = log.entry[log.count % LOG_ENTRIES];
	memset(e, 0, LOG_ENTRY);
	at = put_text(e, at, "boot ");
	at = put_uint(e, at, log.count + 1);
	at = put_text(e, at, " of ");
	put_text(e, at, si->name);
	log.count++;
	memcpy((void *)(uintptr_t)blkfront_data(&f), &log, sizeof(log));
	if (blkfront_io(&f, BLKIF_OP_WRITE, 0, 0, LOG_BYTES, NULL) != BLKIF_OK ||
	    blkfront_io(&f, BLKIF_OP_FLUSH, 0, 0, 0, NULL) != BLKIF_OK)
		runtime_panic("cannot write the log");
	print("disklog: wrote entry %u (\"%s\"), flushed\n", log.count, e);
	runtime_park();
}

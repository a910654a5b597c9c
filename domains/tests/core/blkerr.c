/* SPDX-License-Identifier: MIT */
/*
 * Device errors reach the guest (tests/system/scenarios/storage-errors.toml):
 * QEMU fails every read and write of the first sector of this guest's
 * extent (blkdebug); storage-dom must answer those IOERR, and the other
 * sectors keep working.
 */
#include <domain/core.h>
#include <domain/result.h>

#include "blkfront.h"

static struct blkfront f;

int domain_main(const struct cloison_start_info *si)
{
	const char *why = "";
	bool up;

	(void)si;
	test_begin("vderr");
	up = blkfront_init(&f, "disk", &why);
	test_report("vderr.connect", up, "%s", why);
	if (up) {
		TEST_REPORT_ERR("vderr.write_error", blkfront_io(&f, BLKIF_OP_WRITE, 0, 0, 512, NULL),
				BLKIF_IOERR);
		TEST_REPORT_ERR("vderr.read_error", blkfront_io(&f, BLKIF_OP_READ, 0, 0, 4096, NULL),
				BLKIF_IOERR);
		TEST_REPORT_ERR("vderr.other_sectors_work",
				blkfront_io(&f, BLKIF_OP_WRITE, 8, 0, 4096, NULL), BLKIF_OK);
		TEST_REPORT_ERR("vderr.read_back_works",
				blkfront_io(&f, BLKIF_OP_READ, 8, 0, 4096, NULL), BLKIF_OK);
		TEST_REPORT_ERR("vderr.flush_works", blkfront_io(&f, BLKIF_OP_FLUSH, 0, 0, 0, NULL),
				BLKIF_OK);
	}
	test_end();
	runtime_poweroff();
}

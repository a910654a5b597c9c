/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's boot bundle check as a host command, so that toolstack
 * output can be fed to the very code the loader runs:
 *     check_bundle BUNDLE RAM_BASE RAM_SIZE HYP_BASE BUNDLE_PA
 * (numbers in any C base) prints "ok" and exits 0, or prints the refusal
 * and exits 1. The platform's reserved regions are QEMU virt's (GICv3
 * distributor and redistributors, the PL011), as the loader sees them.
 */
#include <stdio.h>
#include <stdlib.h>

#include <cloison/policy_check.h>

int main(int argc, char **argv)
{
	struct policy_facts f = { 0 };
	struct policy_view v;
	char why[POLICY_WHY_LEN];
	uint8_t *buf;
	long size;
	FILE *in;

	if (argc != 6) {
		fprintf(stderr, "usage: %s BUNDLE RAM_BASE RAM_SIZE HYP_BASE BUNDLE_PA\n", argv[0]);
		return 2;
	}
	in = fopen(argv[1], "rb");
	if (!in || fseek(in, 0, SEEK_END) || (size = ftell(in)) < 0 || fseek(in, 0, SEEK_SET)) {
		perror(argv[1]);
		return 2;
	}
	buf = malloc((size_t)size + 1);
	if (!buf || fread(buf, 1, (size_t)size, in) != (size_t)size) {
		perror(argv[1]);
		return 2;
	}
	fclose(in);
	f.ram_base = strtoull(argv[2], NULL, 0);
	f.ram_size = strtoull(argv[3], NULL, 0);
	f.hyp_base = strtoull(argv[4], NULL, 0);
	f.bundle_pa = strtoull(argv[5], NULL, 0);
	f.reserved[0].base = 0x08000000;
	f.reserved[0].size = 0x10000;
	f.reserved[1].base = 0x080a0000;
	f.reserved[1].size = 0xf60000;
	f.reserved[2].base = 0x09000000;
	f.reserved[2].size = 0x1000;
	f.n_reserved = 3;
	if (policy_check(buf, (uint64_t)size, &f, &v, why) != POLICY_OK) {
		printf("refused: %s\n", why);
		return 1;
	}
	printf("ok\n");
	free(buf);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * The string functions of an image on the core alone, which has no C
 * library (picolibc provides them in the picolibc layer). GCC may emit
 * calls to memcpy and memset itself, so those names must exist. Plain
 * byte loops: the benchmarks' memcpy_per_KiB baseline measures this
 * memcpy, and every ratio is against it, so it stays as it is.
 */
#include <cloison/string.h>
#include <stdint.h>

void *memcpy(void *d, const void *s, size_t n)
{
	uint8_t *a = d;
	const uint8_t *b = s;

	while (n--)
		*a++ = *b++;
	return d;
}

void *memset(void *d, int c, size_t n)
{
	uint8_t *a = d;

	while (n--)
		*a++ = (uint8_t)c;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

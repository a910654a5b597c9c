/* SPDX-License-Identifier: MIT */
/*
 * The few C string/memory functions the hypervisor and the freestanding
 * domain runtime use (the shared library, hyp/abi/std/string.c); host
 * builds (unit tests, fuzzers) take libc's.
 */
#ifndef CLOISON_STD_STRING_H
#define CLOISON_STD_STRING_H

#include <stddef.h>

#if defined(CLOISON_HOST)
#include <string.h>
#else
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
#endif

#endif

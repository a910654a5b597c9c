/* SPDX-License-Identifier: MIT */
/*
 * A minimal printf, shared by the hypervisor and the domains (one
 * formatter in the whole system). One formatter writes through a sink so
 * the console and buffer variants share it; console output goes to
 * print_putc(), which each side defines. Not reentrant: callers on several
 * CPUs will need a console lock (none yet: uniprocessor).
 */
#include <cloison/std/print.h>
#include <stdbool.h>
#include <stdint.h>

struct print_sink {
	char *buf;      /* NULL: write to the console */
	size_t size;
	size_t len;     /* characters produced so far */
};

static void sink_put(struct print_sink *s, char c)
{
	if (!s->buf)
		print_putc(c);
	else if (s->len + 1 < s->size)
		s->buf[s->len] = c;
	s->len++;
}

static void sink_pad(struct print_sink *s, char c, int n)
{
	while (n-- > 0)
		sink_put(s, c);
}

static void put_number(struct print_sink *s, uint64_t v, unsigned base,
		       bool upper, bool negative, int width, bool zero,
		       bool left)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, len;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	len = n + (negative ? 1 : 0);
	if (!left && !zero)
		sink_pad(s, ' ', width - len);
	if (negative)
		sink_put(s, '-');
	if (!left && zero)
		sink_pad(s, '0', width - len);
	while (n)
		sink_put(s, tmp[--n]);
	if (left)
		sink_pad(s, ' ', width - len);
}

static void format(struct print_sink *s, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		bool zero = false, left = false, upper = false;
		int width = 0, longs = 0;
		const char *start = fmt;
		uint64_t u;
		int64_t d;

		if (*fmt != '%') {
			sink_put(s, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '0')
				zero = true;
			else if (*fmt == '-')
				left = true;
			else
				break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z') {
			longs += *fmt == 'z' ? 2 : 1;
			fmt++;
		}
		switch (*fmt) {
		case 'c':
			if (!left)
				sink_pad(s, ' ', width - 1);
			sink_put(s, (char)va_arg(ap, int));
			if (left)
				sink_pad(s, ' ', width - 1);
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			int len = 0;

			if (!str)
				str = "(null)";
			while (str[len])
				len++;
			if (!left)
				sink_pad(s, ' ', width - len);
			while (*str)
				sink_put(s, *str++);
			if (left)
				sink_pad(s, ' ', width - len);
			break;
		}
		case 'd':
		case 'i':
			d = longs ? va_arg(ap, int64_t) : va_arg(ap, int);
			u = d < 0 ? (uint64_t)0 - (uint64_t)d : (uint64_t)d;
			put_number(s, u, 10, false, d < 0, width, zero, left);
			break;
		case 'u':
		case 'x':
		case 'X':
			u = longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			upper = *fmt == 'X';
			put_number(s, u, *fmt == 'u' ? 10 : 16, upper, false,
				   width, zero, left);
			break;
		case 'p':
			sink_put(s, '0');
			sink_put(s, 'x');
			put_number(s, (uint64_t)(uintptr_t)va_arg(ap, void *),
				   16, false, false, width, zero, left);
			break;
		case '%':
			sink_put(s, '%');
			break;
		default:
			/* Unknown conversion: print it as written. */
			for (; start <= fmt && *start; start++)
				sink_put(s, *start);
			if (!*fmt)
				return;
			break;
		}
	}
}

void vprint(const char *fmt, va_list ap)
{
	struct print_sink s = { 0 };

	format(&s, fmt, ap);
}

void print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
}

size_t vprint_to_buf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct print_sink s = { .buf = buf, .size = size };

	format(&s, fmt, ap);
	if (size)
		buf[s.len < size ? s.len : size - 1] = '\0';
	return s.len;
}

size_t print_to_buf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = vprint_to_buf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

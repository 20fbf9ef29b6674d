/* NAME
 *	dict_src 3h
 * SUMMARY
 *	read the text source of a lookup table (postmap, postalias, texthash)
 * DESCRIPTION
 *	dict_src_read() reads fp (named origin in messages) and calls fn
 *	once per entry with its key, value and first line number. Blank
 *	lines and lines whose first non-blank character is "#" are skipped;
 *	a line that starts with whitespace continues the previous one (its
 *	text is appended as is, as Postfix does). Trailing whitespace is
 *	dropped.
 *
 *	Table syntax: "key whitespace value". With DICT_SRC_ALIAS, alias
 *	syntax: "name: value, value" (the name may be quoted: "a b": x);
 *	the value is normalised as Postfix's postalias stores it (one space
 *	between words, ", " between list members).
 *
 *	dict_src_lines() is the line layer alone, for tables with a syntax
 *	of their own (regexp, pcre, cidr): fn gets each logical line (which
 *	it may modify) and its first line number.
 *
 *	A bad line is skipped with a warning "origin, line N: ..." (Postfix's
 *	wording: "expected format: key whitespace value", "need name:value
 *	pair"). The result is 0, or -1 when reading failed (errno is set).
 */
#ifndef DICT_SRC_H
#define DICT_SRC_H

#include <stdio.h>

#define DICT_SRC_ALIAS  (1<<0)          /* name: value syntax */

typedef void (*DICT_SRC_FN) (const char *key, const char *value, int lineno,
                                     void *context);

typedef void (*DICT_SRC_LINE_FN) (char *text, int lineno, void *context);

extern int dict_src_lines(FILE *fp, const char *origin, DICT_SRC_LINE_FN fn,
                                  void *context);
extern int dict_src_read(FILE *fp, const char *origin, int flags,
                                 DICT_SRC_FN fn, void *context);

#endif

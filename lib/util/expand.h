/* NAME
 *	expand 3h
 * SUMMARY
 *	$name expansion in configuration values
 * DESCRIPTION
 *	Expands the main.cf value language:
 *	$name, ${name}, $(name): the value of name, itself expanded;
 *	${name?text}, ${name?{text}}: text when name is non-empty;
 *	${name:text}, ${name:{text}}: text when name is empty;
 *	${name?{text1}:{text2}}: one or the other;
 *	${{a} op {b} ? {text1} : {text2}}: a comparison, where op is one of
 *	== != < <= > >= (as numbers when both sides are all digits, else as
 *	strings) or the same with a "level" suffix (compatibility levels
 *	such as 3.6 compared part by part);
 *	$$: a literal dollar sign.
 *	The lookup function returns a name's raw value or NULL when the
 *	name is undefined; an undefined name expands to nothing and is
 *	reported to the optional undefined callback.
 */
#ifndef EXPAND_H
#define EXPAND_H

#include "buf.h"

typedef const char *(*EXPAND_LOOKUP_FN) (const char *name, void *context);
typedef void (*EXPAND_UNDEF_FN) (const char *name, void *context);

#define EXPAND_OK           0
#define EXPAND_ERROR        (-1)        /* syntax error, message in err */

extern int expand_text(const char *text, EXPAND_LOOKUP_FN lookup,
                       EXPAND_UNDEF_FN undef, void *context,
                       BUF *out, BUF *err);
extern int expand_refs(const char *text, void (*fn) (const char *, void *),
                       void *context);

#endif

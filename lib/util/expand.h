/* NAME
 *	expand 3h
 * SUMMARY
 *	$name expansion in configuration values
 * DESCRIPTION
 *	Expands the main.cf value language, as Postfix:
 *	$name, ${name}, $(name): the value of name, itself expanded;
 *	${name?text}, ${name?{text}}: text when name is non-empty;
 *	${name:text}, ${name:{text}}: text when name is empty or undefined;
 *	${name?{text1}:{text2}}, ${name?{text1}:text2}: one or the other;
 *	${{a} op {b}}, ${{a} op {b} ? {text1} : {text2}}: a relation, where
 *	op is one of == != < <= >= > (numbers when both sides are all
 *	digits, strings otherwise) or the same with a "level" suffix
 *	(compatibility levels such as 3.6, compared part by part); alone it
 *	expands to "true" or to nothing;
 *	$$: a literal dollar sign.
 *
 *	expand_text() looks names up with the lookup function, which returns
 *	a name's raw value or NULL when the name is undefined; an undefined
 *	name expands to nothing and is reported to the optional undef
 *	callback. expand_scan() expands nothing: it reports every name that
 *	a text refers to, in every branch and operand, to the ref callback,
 *	and checks the syntax. expand_refs() is expand_scan() without the
 *	syntax check; it returns the number of names.
 *
 *	Neither logs anything: on EXPAND_ERROR the first error, in Postfix's
 *	words ("truncated macro reference: ...", "unreasonable macro call
 *	nesting: ...", "malformed compatibility level syntax: ..."), is in
 *	the optional err buffer, and the output is incomplete.
 */
#ifndef EXPAND_H
#define EXPAND_H

#include "buf.h"

typedef const char *(*EXPAND_LOOKUP_FN) (const char *name, void *context);
typedef void (*EXPAND_NAME_FN) (const char *name, void *context);
typedef EXPAND_NAME_FN EXPAND_UNDEF_FN;

#define EXPAND_OK           0
#define EXPAND_ERROR        (-1)        /* syntax error, message in err */

extern int expand_text(const char *text, EXPAND_LOOKUP_FN lookup,
                       EXPAND_NAME_FN undef, void *context,
                       BUF *out, BUF *err);
extern int expand_scan(const char *text, EXPAND_NAME_FN ref, void *context,
                       BUF *err);
extern int expand_refs(const char *text, EXPAND_NAME_FN fn, void *context);

#endif

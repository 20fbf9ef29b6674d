/* NAME
 *	dict_pattern 3h
 * SUMMARY
 *	the file syntax shared by regexp: and pcre: tables
 * DESCRIPTION
 *	A pattern table is a list of rules, tried in order; the first that
 *	matches gives the result:
 *
 *	/pattern/flags result	matches when pattern matches the key;
 *	!/pattern/flags result	matches when it does not;
 *	if /pattern/flags	the rules up to the matching "endif" are
 *	(or if !/pattern/)	tried only when the key matches (does not);
 *	endif
 *
 *	Any non-alphanumeric character may replace "/" as the delimiter.
 *	In a result, $1..$9 (or ${1}) are replaced by what the numbered
 *	group matched, $$ by "$"; a negated pattern has no groups. Lines
 *	follow dict_src(3h) (comments, continuation). A bad line is
 *	skipped with a warning "type:file, line N: ..."; an "if" without
 *	"endif" is closed at the end of the file, with a warning.
 *
 *	A DICT_PATTERN_ENGINE compiles one pattern with its flag letters
 *	(returns NULL and a reason for bad ones), reports the number of
 *	groups, matches (1 and offsets, 0, or -1 on an error) and frees.
 *	dict_pattern_open() reads the file and makes the dict.
 */
#ifndef DICT_PATTERN_H
#define DICT_PATTERN_H

#include "dict.h"

#define DICT_PATTERN_MAXGROUP 9

typedef struct DICT_PATTERN_ENGINE {
    const char *type;
    void   *(*compile) (const char *pattern, const char *flags, int *ngroup_r,
                                BUF *why);
    /* ovector gets 2 * (DICT_PATTERN_MAXGROUP + 1) offsets, -1 if unset */
    int     (*match) (void *re, const char *subject, int *ovector);
    void    (*free) (void *re);
} DICT_PATTERN_ENGINE;

extern DICT *dict_pattern_open(const DICT_PATTERN_ENGINE *engine,
                                       const char *name, int flags, BUF *why);

#endif

/* NAME
 *	logical_line 3h
 * SUMMARY
 *	join physical lines into logical lines (main.cf, master.cf syntax)
 * DESCRIPTION
 *	A line whose first non-blank character is "#" is a comment, and a
 *	blank line is empty; both are skipped without ending the current
 *	logical line. A line that starts with whitespace continues the
 *	current logical line: it is appended after one space, its leading
 *	whitespace dropped. Any other line starts a new logical line.
 *	A continuation line with nothing to continue is skipped with a
 *	warning that names the origin (the file), or silently when flags
 *	has LOGICAL_LINE_QUIET (set it after logical_line_new()).
 *
 *	The joiner is incremental: feed one physical line at a time and a
 *	callback receives each logical line, with its first and last line
 *	numbers, as soon as it is known to be complete.
 */
#ifndef LOGICAL_LINE_H
#define LOGICAL_LINE_H

#include "buf.h"

typedef void (*LOGICAL_LINE_FN) (const char *text, int first, int last,
                                 void *context);

typedef struct LOGICAL_LINE {
    char   *origin;
    BUF    *text;
    int     first;                      /* 0 when nothing is pending */
    int     last;
    LOGICAL_LINE_FN fn;
    void   *context;
    int     flags;
} LOGICAL_LINE;

#define LOGICAL_LINE_QUIET  (1<<0)      /* skip a stray continuation silently */

extern LOGICAL_LINE *logical_line_new(const char *origin, LOGICAL_LINE_FN fn,
                                      void *context);
extern void logical_line_feed(LOGICAL_LINE *ll, const char *line, int lineno);
extern void logical_line_finish(LOGICAL_LINE *ll);
extern void logical_line_free(LOGICAL_LINE **llp);

#endif

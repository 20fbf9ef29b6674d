/* NAME
 *	main_cf 3h
 * SUMMARY
 *	main.cf reader and editor
 * DESCRIPTION
 *	A main.cf file is kept as its physical lines plus the logical
 *	entries ("name = value") parsed from them, each remembering the
 *	lines it spans. That lets postconf -e, -X and -# rewrite entries
 *	while every other line, comments included, stays as it was.
 *
 *	Syntax (as Postfix): "#" starts a comment line (leading whitespace
 *	allowed); blank lines are ignored; a line that starts with
 *	whitespace continues the previous logical line (joined with one
 *	space); "name = value" with whitespace around "=" optional; the
 *	last entry for a name wins.
 *
 *	The parser is fed one physical line at a time (main_cf_feed), and
 *	main_cf_read() reads with a line length limit, so it never buffers
 *	without bound. Syntax errors name file and line; with MAIN_CF_FATAL
 *	the first is fatal (as Postfix), otherwise each is reported with
 *	msg_error() and counted. A name set twice gets a warning. With
 *	MAIN_CF_QUIET nothing is reported (errors are still counted): an
 *	editor copies what it does not understand.
 *
 *	main_cf_set() and main_cf_remove() return the number of entries
 *	they edited.
 */
#ifndef MAIN_CF_H
#define MAIN_CF_H

#include <stddef.h>

#include "buf.h"
#include "logical_line.h"
#include "strv.h"

typedef struct MAIN_CF_ENTRY {
    char   *name;
    char   *value;
    int     first_line;                 /* 1-based */
    int     last_line;
} MAIN_CF_ENTRY;

typedef struct MAIN_CF {
    char   *path;
    STRV   *lines;                      /* physical lines, no newline */
    MAIN_CF_ENTRY *entries;
    size_t  count;
    size_t  cap;
    int     flags;
    int     errors;
    LOGICAL_LINE *joiner;
} MAIN_CF;

#define MAIN_CF_FATAL   (1<<0)          /* first syntax error is fatal */
#define MAIN_CF_QUIET   (1<<1)          /* no diagnostics (an editor) */

#define MAIN_CF_LINE_LIMIT (1024 * 1024)

extern MAIN_CF *main_cf_new(const char *path, int flags);
extern void main_cf_feed(MAIN_CF *cf, const char *line);
extern void main_cf_finish(MAIN_CF *cf);
extern MAIN_CF *main_cf_read(const char *path, int flags, int *missing_r);
extern const MAIN_CF_ENTRY *main_cf_find(const MAIN_CF *cf, const char *name);
extern int main_cf_split(const char *text, char **name_r, char **value_r,
                         const char **why_r);
extern int main_cf_set(MAIN_CF *cf, const char *name, const char *value);
extern int main_cf_remove(MAIN_CF *cf, const char *name, int comment_out);
extern int main_cf_write(const MAIN_CF *cf);
extern void main_cf_free(MAIN_CF **cfp);

#endif

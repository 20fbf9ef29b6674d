/* NAME
 *	logical_line 3
 * SUMMARY
 *	join physical lines into logical lines (main.cf, master.cf syntax)
 */
#include <ctype.h>
#include <string.h>

#include "logical_line.h"
#include "mem.h"
#include "msg.h"

LOGICAL_LINE *logical_line_new(const char *origin, LOGICAL_LINE_FN fn,
                               void *context)
{
    LOGICAL_LINE *ll = mem_calloc(1, sizeof(*ll));

    ll->origin = mem_strdup(origin);
    ll->text = buf_new(128);
    ll->fn = fn;
    ll->context = context;
    return (ll);
}

void    logical_line_finish(LOGICAL_LINE *ll)
{
    if (ll->first) {
        int     first = ll->first, last = ll->last;

        ll->first = ll->last = 0;
        ll->fn(ll->text->data, first, last, ll->context);
        buf_reset(ll->text);
    }
}

void    logical_line_feed(LOGICAL_LINE *ll, const char *line, int lineno)
{
    const char *cp = line;

    while (isspace((unsigned char) *cp))
        cp++;
    if (*cp == 0 || *cp == '#')
        return;
    if (cp == line) {
        logical_line_finish(ll);
        buf_puts(ll->text, line);
        ll->first = ll->last = lineno;
    } else if (ll->first == 0) {
        if (ll->flags & LOGICAL_LINE_QUIET)
            return;
        /* As Postfix: at most 30 characters of the line. */
        msg_warn("%s: logical line must not start with whitespace: \"%.30s%s\"",
                 ll->origin, line, strlen(line) > 30 ? "..." : "");
    } else {
        buf_putc(ll->text, ' ');
        buf_puts(ll->text, cp);
        ll->last = lineno;
    }
}

void    logical_line_free(LOGICAL_LINE **llp)
{
    if (*llp) {
        mem_free((*llp)->origin);
        buf_free(&(*llp)->text);
        mem_free(*llp);
        *llp = 0;
    }
}

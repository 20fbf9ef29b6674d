/* NAME
 *	domain_list 3
 * SUMMARY
 *	match a domain against a list of domain patterns
 * DESCRIPTION
 *	domain_list_new() turns the text into an array of patterns, each a
 *	lower-cased name, a table name, or a file that could not be read,
 *	with a flag for "!". /file/name patterns are read once, here, and
 *	their contents take the file's place in the array; files may name
 *	further files, up to DOMAIN_LIST_DEPTH deep (a loop ends there).
 *	domain_list_match() walks the array in order.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "domain_list.h"
#include "mem.h"
#include "msg.h"

#define DOMAIN_LIST_DEPTH   8           /* nested /file/name includes */
#define DOMAIN_LIST_DELIMS  ", \t\r\n"

#define DOMAIN_PAT_NAME     0           /* example.com or .example.com */
#define DOMAIN_PAT_TABLE    1           /* type:name */
#define DOMAIN_PAT_BROKEN   2           /* unreadable /file/name */

typedef struct DOMAIN_PAT {
    int     kind;
    int     match;                      /* 1, or 0 after an odd number of "!" */
    char   *text;                       /* name, table, or file name */
    char   *why;                        /* DOMAIN_PAT_BROKEN: the error */
} DOMAIN_PAT;

struct DOMAIN_LIST {
    DOMAIN_PAT *pats;
    size_t  count;
    size_t  cap;
    int     flags;
};

static void domain_list_parse(DOMAIN_LIST *list, const char *text, int match,
                              int depth);

/* domain_list_push - append one pattern */

static void domain_list_push(DOMAIN_LIST *list, int kind, int match,
                             const char *text, size_t len, const char *why)
{
    DOMAIN_PAT *pat;

    if (list->count >= list->cap) {
        list->cap = list->cap ? list->cap * 2 : 8;
        list->pats = mem_realloc(list->pats, list->cap * sizeof(*list->pats));
    }
    pat = list->pats + list->count++;
    pat->kind = kind;
    pat->match = match;
    pat->text = mem_strndup(text, len);
    pat->why = why ? mem_strdup(why) : 0;
}

/* domain_list_is_table - type:name, as opposed to a name or [literal] */

static int domain_list_is_table(const char *text, size_t len)
{
    return (text[0] != '[' && memchr(text, ':', len) != 0);
}

/* domain_list_file - patterns from a file, or a broken pattern */

static void domain_list_file(DOMAIN_LIST *list, const char *path, int match,
                             int depth)
{
    FILE   *fp;
    char   *line = 0;
    size_t  size = 0;
    BUF    *why;

    if (depth >= DOMAIN_LIST_DEPTH) {
        domain_list_push(list, DOMAIN_PAT_BROKEN, match, path, strlen(path),
                         "too many nested /file/name patterns");
        return;
    }
    if ((fp = fopen(path, "r")) == 0) {
        why = buf_new(64);
        buf_printf(why, "open: %s", strerror(errno));
        domain_list_push(list, DOMAIN_PAT_BROKEN, match, path, strlen(path),
                         why->data);
        buf_free(&why);
        return;
    }
    while (getline(&line, &size, fp) >= 0)
        if (line[0] != '#')
            domain_list_parse(list, line, match, depth + 1);
    if (ferror(fp) || !feof(fp))
        domain_list_push(list, DOMAIN_PAT_BROKEN, match, path, strlen(path),
                         "read error");
    free(line);
    fclose(fp);
}

/* domain_list_pattern - one pattern: "!"s, then file, table or name */

static void domain_list_pattern(DOMAIN_LIST *list, const char *tok, size_t len,
                                int match, int depth)
{
    char   *copy;
    size_t  i;

    for (; len > 0 && *tok == '!'; tok++, len--)
        match = !match;
    if (len == 0) {
        msg_warn("domain list: ignoring \"!\" with no pattern after it");
        return;
    }
    if (*tok == '/') {
        copy = mem_strndup(tok, len);
        domain_list_file(list, copy, match, depth);
        mem_free(copy);
    } else if (domain_list_is_table(tok, len)) {
        domain_list_push(list, DOMAIN_PAT_TABLE, match, tok, len, 0);
    } else {
        if (len > 1 && tok[len - 1] == '.')
            len--;
        domain_list_push(list, DOMAIN_PAT_NAME, match, tok, len, 0);
        copy = list->pats[list->count - 1].text;
        for (i = 0; copy[i]; i++)
            copy[i] = (char) tolower((unsigned char) copy[i]);
    }
}

/* domain_list_token_len - length of a token; {...} may hold delimiters */

static size_t domain_list_token_len(const char *cp)
{
    const char *start = cp;
    int     depth = 0;

    for (; *cp; cp++) {
        if (*cp == '{')
            depth++;
        else if (*cp == '}' && depth > 0)
            depth--;
        else if (depth == 0 && strchr(DOMAIN_LIST_DELIMS, *cp))
            break;
    }
    return ((size_t) (cp - start));
}

static void domain_list_parse(DOMAIN_LIST *list, const char *text, int match,
                              int depth)
{
    size_t  len;

    for (;;) {
        text += strspn(text, DOMAIN_LIST_DELIMS);
        if (*text == 0)
            break;
        len = domain_list_token_len(text);
        domain_list_pattern(list, text, len, match, depth);
        text += len;
    }
}

DOMAIN_LIST *domain_list_new(const char *patterns, int flags)
{
    DOMAIN_LIST *list = mem_calloc(1, sizeof(*list));

    list->flags = flags;
    domain_list_parse(list, patterns ? patterns : "", 1, 0);
    return (list);
}

void    domain_list_free(DOMAIN_LIST **listp)
{
    DOMAIN_LIST *list = *listp;

    if (list == 0)
        return;
    for (size_t i = 0; i < list->count; i++) {
        mem_free(list->pats[i].text);
        mem_free(list->pats[i].why);
    }
    mem_free(list->pats);
    mem_free(list);
    *listp = 0;
}

/* domain_list_name_match - a name pattern against a normalised domain */

static int domain_list_name_match(const DOMAIN_LIST *list, const char *domain,
                                  size_t dlen, const char *pat)
{
    size_t  plen = strlen(pat);
    const char *tail;

    if (strcmp(domain, pat) == 0)
        return (1);
    if (plen >= dlen)
        return (0);
    tail = domain + dlen - plen;
    if (strcmp(tail, pat) != 0)
        return (0);
    if (pat[0] == '.')
        return (1);
    return ((list->flags & DOMAIN_LIST_PARENT) && tail[-1] == '.');
}

/* domain_list_pattern_table - regexp-like tables get one lookup only */

static int domain_list_pattern_table(const char *table)
{
    static const char *types[] = {"regexp:", "pcre:", "cidr:", 0};

    if (strncmp(table, "proxy:", 6) == 0)
        table += 6;
    for (const char **tp = types; *tp; tp++)
        if (strncmp(table, *tp, strlen(*tp)) == 0)
            return (1);
    return (0);
}

/* domain_list_lookup - the domain, then its parents, in one table */

static int domain_list_lookup(const DOMAIN_LIST *list, const char *table,
                              const char *domain, DOMAIN_LIST_TABLE_FN fn,
                              void *context)
{
    const char *dot;
    int     status;

    if ((status = fn(table, domain, context)) != 0)
        return (status < 0 ? -1 : 1);
    if (domain_list_pattern_table(table))
        return (0);
    for (dot = strchr(domain + 1, '.'); dot && dot[1]; dot = strchr(dot + 1, '.'))
        if ((status = fn(table, (list->flags & DOMAIN_LIST_PARENT) ?
                         dot + 1 : dot, context)) != 0)
            return (status < 0 ? -1 : 1);
    return (0);
}

int     domain_list_match(const DOMAIN_LIST *list, const char *domain,
                          DOMAIN_LIST_TABLE_FN fn, void *context)
{
    char   *name;
    size_t  len = strlen(domain);
    int     status = 0;
    int     decided = 0;

    if (len > 0 && domain[len - 1] == '.')
        len--;
    if (len == 0)
        return (0);
    name = mem_strndup(domain, len);
    for (size_t i = 0; i < len; i++)
        name[i] = (char) tolower((unsigned char) name[i]);

    for (size_t i = 0; i < list->count && !decided; i++) {
        const DOMAIN_PAT *pat = list->pats + i;

        switch (pat->kind) {
        case DOMAIN_PAT_NAME:
            if (domain_list_name_match(list, name, len, pat->text))
                status = pat->match, decided = 1;
            break;
        case DOMAIN_PAT_TABLE:
            if (fn == 0)
                break;
            if ((status = domain_list_lookup(list, pat->text, name, fn,
                                             context)) < 0)
                decided = 1;
            else if (status > 0)
                status = pat->match, decided = 1;
            break;
        default:
            msg_warn("domain list: %s: %s", pat->text, pat->why);
            status = -1, decided = 1;
            break;
        }
    }
    mem_free(name);
    return (decided ? status : 0);
}

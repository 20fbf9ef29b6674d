/* NAME
 *	dict_cidr 3
 * SUMMARY
 *	cidr: tables, network address prefixes
 * DESCRIPTION
 *	"cidr:/etc/x" is a file of "prefix result" lines (comments and
 *	continuation lines as in dict_src(3h)); prefixes are written as in
 *	cidr(3h): 192.0.2.0/24, 192.0.2.1, 2001:db8::/32, [2001:db8::1].
 *	A key that is a numeric IPv4 or IPv6 address is compared with the
 *	prefixes in file order; the first that contains it gives the result.
 *	Any other key is not found. A bad line is skipped with a warning
 *	naming the file and line.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cidr.h"
#include "dict.h"
#include "dict_src.h"
#include "mem.h"
#include "msg.h"

typedef struct DICT_CIDR_RULE {
    CIDR_LIST *prefix;
    char   *result;
} DICT_CIDR_RULE;

typedef struct DICT_CIDR {
    DICT    dict;
    DICT_CIDR_RULE *rules;
    size_t  count;
    size_t  cap;
} DICT_CIDR;

static int dict_cidr_lookup(DICT *dict, const char *key, const char **value_r)
{
    DICT_CIDR *dc = (DICT_CIDR *) dict;
    size_t  i;

    for (i = 0; i < dc->count; i++) {
        if (cidr_list_match(dc->rules[i].prefix, key)) {
            *value_r = dc->rules[i].result;
            return DICT_FOUND;
        }
    }
    return DICT_NOTFOUND;
}

static int dict_cidr_close(DICT *dict)
{
    DICT_CIDR *dc = (DICT_CIDR *) dict;
    size_t  i;

    for (i = 0; i < dc->count; i++) {
        cidr_list_free(&dc->rules[i].prefix);
        mem_free(dc->rules[i].result);
    }
    mem_free(dc->rules);
    return 0;
}

/* dict_cidr_line - one "prefix result" line */

static void dict_cidr_line(char *text, int lineno, void *context)
{
    DICT_CIDR *dc = context;
    CIDR_LIST *prefix;
    BUF    *why;
    char   *cp = text;

    while (*cp && !isspace((unsigned char) *cp))
        cp++;
    if (*cp)
        *cp++ = 0;
    while (isspace((unsigned char) *cp))
        cp++;
    if (*cp == 0) {
        msg_warn("%s, line %d: expected format: network/mask result",
                 dc->dict.title, lineno);
        return;
    }
    prefix = cidr_list_new();
    why = buf_new(64);
    if (cidr_list_add(prefix, text, why) < 0) {
        msg_warn("%s, line %d: %s", dc->dict.title, lineno, BUF_STR(why));
        cidr_list_free(&prefix);
        buf_free(&why);
        return;
    }
    buf_free(&why);
    if (dc->count == dc->cap) {
        dc->cap = dc->cap ? 2 * dc->cap : 16;
        dc->rules = mem_realloc(dc->rules, dc->cap * sizeof(*dc->rules));
    }
    dc->rules[dc->count].prefix = prefix;
    dc->rules[dc->count].result = mem_strdup(cp);
    dc->count++;
}

DICT   *dict_cidr_open(const char *name, int flags, BUF *why)
{
    DICT_CIDR *dc;
    FILE   *fp;
    int     ret;

    if ((fp = fopen(name, "r")) == NULL) {
        buf_printf(why, "open %s: %s", name, strerror(errno));
        return NULL;
    }
    dc = (DICT_CIDR *) dict_alloc(sizeof(*dc), "cidr", name,
       (flags & ~(DICT_FLAG_CREATE | DICT_FLAG_WRITE)) | DICT_FLAG_PATTERN);
    dc->dict.lookup = dict_cidr_lookup;
    dc->dict.close = dict_cidr_close;
    ret = dict_src_lines(fp, dc->dict.title, dict_cidr_line, dc);
    fclose(fp);
    if (ret < 0) {
        buf_printf(why, "read %s: %s", name, strerror(errno));
        dict_close((DICT **) &dc);
        return NULL;
    }
    return &dc->dict;
}

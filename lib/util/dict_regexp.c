/* NAME
 *	dict_regexp 3
 * SUMMARY
 *	regexp: tables, POSIX regular expressions
 * DESCRIPTION
 *	The file syntax is dict_pattern(3h). Patterns are POSIX extended
 *	regular expressions matched without regard to case; the flags
 *	after the closing delimiter toggle that: "i" case sensitivity, "x"
 *	extended syntax (off: basic), "m" multi-line mode (REG_NEWLINE).
 */
#include <regex.h>
#include <string.h>

#include "dict_pattern.h"
#include "mem.h"

static void *dict_regexp_compile(const char *pattern, const char *flags,
                                         int *ngroup_r, BUF *why)
{
    int     cflags = REG_EXTENDED | REG_ICASE;
    regex_t *re;
    char    err[256];
    int     rc;

    for (; *flags; flags++) {
        switch (*flags) {
        case 'i':
            cflags ^= REG_ICASE;
            break;
        case 'x':
            cflags ^= REG_EXTENDED;
            break;
        case 'm':
            cflags ^= REG_NEWLINE;
            break;
        default:
            buf_printf(why, "unknown regexp option \"%c\"", *flags);
            return NULL;
        }
    }
    re = mem_alloc(sizeof(*re));
    if ((rc = regcomp(re, pattern, cflags)) != 0) {
        regerror(rc, re, err, sizeof(err));
        buf_printf(why, "regexp \"%s\": %s", pattern, err);
        mem_free(re);
        return NULL;
    }
    *ngroup_r = (int) re->re_nsub;
    return re;
}

static int dict_regexp_match(void *compiled, const char *subject, int *ov)
{
    regmatch_t pm[DICT_PATTERN_MAXGROUP + 1];
    int     rc;
    int     i;

    rc = regexec((regex_t *) compiled, subject, DICT_PATTERN_MAXGROUP + 1, pm, 0);
    if (rc == REG_NOMATCH)
        return 0;
    if (rc != 0)
        return -1;
    for (i = 0; i <= DICT_PATTERN_MAXGROUP; i++) {
        ov[2 * i] = (int) pm[i].rm_so;
        ov[2 * i + 1] = (int) pm[i].rm_eo;
    }
    return 1;
}

static void dict_regexp_free(void *compiled)
{
    regfree((regex_t *) compiled);
    mem_free(compiled);
}

static const DICT_PATTERN_ENGINE dict_regexp_engine = {
    "regexp", dict_regexp_compile, dict_regexp_match, dict_regexp_free,
};

DICT   *dict_regexp_open(const char *name, int flags, BUF *why)
{
    return dict_pattern_open(&dict_regexp_engine, name, flags, why);
}

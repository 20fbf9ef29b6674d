/* NAME
 *	dict_pcre 3
 * SUMMARY
 *	pcre: tables, Perl-compatible regular expressions (PCRE2)
 * DESCRIPTION
 *	The file syntax is dict_pattern(3h). Patterns are matched without
 *	regard to case by default; the flags after the closing delimiter
 *	are Postfix's: "i" toggles case sensitivity, "m" multi-line, "s"
 *	dot matches newline, "x" extended syntax, "A" anchored, "E" dollar
 *	matches only at the end, "U" ungreedy.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>

#include "dict_pattern.h"
#include "mem.h"

typedef struct DICT_PCRE_RE {
    pcre2_code *code;
    pcre2_match_data *md;
} DICT_PCRE_RE;

static void *dict_pcre_compile(const char *pattern, const char *flags,
                                       int *ngroup_r, BUF *why)
{
    uint32_t options = PCRE2_CASELESS;
    DICT_PCRE_RE *re;
    PCRE2_UCHAR err[256];
    PCRE2_SIZE erroff;
    uint32_t count;
    int     errcode;

    for (; *flags; flags++) {
        switch (*flags) {
        case 'i':
            options ^= PCRE2_CASELESS;
            break;
        case 'm':
            options ^= PCRE2_MULTILINE;
            break;
        case 's':
            options ^= PCRE2_DOTALL;
            break;
        case 'x':
            options ^= PCRE2_EXTENDED;
            break;
        case 'A':
            options ^= PCRE2_ANCHORED;
            break;
        case 'E':
            options ^= PCRE2_DOLLAR_ENDONLY;
            break;
        case 'U':
            options ^= PCRE2_UNGREEDY;
            break;
        default:
            buf_printf(why, "unknown pcre option \"%c\"", *flags);
            return NULL;
        }
    }
    re = mem_calloc(1, sizeof(*re));
    re->code = pcre2_compile((PCRE2_SPTR) pattern, PCRE2_ZERO_TERMINATED, options,
                             &errcode, &erroff, NULL);
    if (re->code == NULL) {
        pcre2_get_error_message(errcode, err, sizeof(err));
        buf_printf(why, "pcre \"%s\" at offset %lu: %s", pattern,
                   (unsigned long) erroff, (char *) err);
        mem_free(re);
        return NULL;
    }
    re->md = pcre2_match_data_create_from_pattern(re->code, NULL);
    if (re->md == NULL) {
        buf_printf(why, "pcre \"%s\": out of memory", pattern);
        pcre2_code_free(re->code);
        mem_free(re);
        return NULL;
    }
    (void) pcre2_pattern_info(re->code, PCRE2_INFO_CAPTURECOUNT, &count);
    *ngroup_r = (int) count;
    return re;
}

static int dict_pcre_match(void *compiled, const char *subject, int *ov)
{
    DICT_PCRE_RE *re = compiled;
    PCRE2_SIZE *pv;
    uint32_t n;
    uint32_t i;
    int     rc;

    rc = pcre2_match(re->code, (PCRE2_SPTR) subject, PCRE2_ZERO_TERMINATED, 0, 0,
                     re->md, NULL);
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc < 0)
        return -1;
    pv = pcre2_get_ovector_pointer(re->md);
    n = pcre2_get_ovector_count(re->md);
    for (i = 0; i <= DICT_PATTERN_MAXGROUP; i++) {
        if (i < n && i < (uint32_t) rc && pv[2 * i] != PCRE2_UNSET) {
            ov[2 * i] = (int) pv[2 * i];
            ov[2 * i + 1] = (int) pv[2 * i + 1];
        } else {
            ov[2 * i] = ov[2 * i + 1] = -1;
        }
    }
    return 1;
}

static void dict_pcre_free(void *compiled)
{
    DICT_PCRE_RE *re = compiled;

    pcre2_match_data_free(re->md);
    pcre2_code_free(re->code);
    mem_free(re);
}

static const DICT_PATTERN_ENGINE dict_pcre_engine = {
    "pcre", dict_pcre_compile, dict_pcre_match, dict_pcre_free,
};

DICT   *dict_pcre_open(const char *name, int flags, BUF *why)
{
    return dict_pattern_open(&dict_pcre_engine, name, flags, why);
}

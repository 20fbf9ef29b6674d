/* NAME
 *	dict_pattern 3
 * SUMMARY
 *	rule lists for regexp: and pcre: tables
 * DESCRIPTION
 *	See dict_pattern(3h). Rules are kept in file order; an "if" rule
 *	records the index of the rule after its "endif", so a failed test
 *	skips its whole block in one step.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dict_pattern.h"
#include "dict_src.h"
#include "mem.h"
#include "msg.h"

#define DICT_PATTERN_MATCH  0           /* /re/ result */
#define DICT_PATTERN_IF     1           /* if /re/ */

typedef struct DICT_PATTERN_RULE {
    int     kind;
    int     negate;
    void   *re;
    char   *result;                     /* DICT_PATTERN_MATCH */
    size_t  skip_to;                    /* DICT_PATTERN_IF: after endif */
    int     lineno;
} DICT_PATTERN_RULE;

typedef struct DICT_PATTERN {
    DICT    dict;
    const DICT_PATTERN_ENGINE *engine;
    DICT_PATTERN_RULE *rules;
    size_t  count;
    size_t  cap;
    size_t *open_ifs;                   /* while loading */
    size_t  depth;
    BUF    *value;
} DICT_PATTERN;

/* dict_pattern_subst - expand $n in a result */

static void dict_pattern_subst(BUF *out, const char *result, const char *subject,
                                       const int *ov)
{
    const char *cp;
    int     n;

    buf_reset(out);
    for (cp = result; *cp; cp++) {
        if (*cp != '$') {
            buf_putc(out, *cp);
            continue;
        }
        if (cp[1] == '$') {
            buf_putc(out, '$');
            cp++;
            continue;
        }
        if (cp[1] == '{' && isdigit((unsigned char) cp[2]) && cp[3] == '}') {
            n = cp[2] - '0';
            cp += 3;
        } else if (isdigit((unsigned char) cp[1])) {
            n = cp[1] - '0';
            cp += 1;
        } else {
            buf_putc(out, *cp);
            continue;
        }
        if (ov != NULL && ov[2 * n] >= 0)
            buf_append(out, subject + ov[2 * n], (size_t) (ov[2 * n + 1] - ov[2 * n]));
    }
}

/* dict_pattern_max_group - the highest $n a result uses */

static int dict_pattern_max_group(const char *result)
{
    const char *cp;
    int     max = 0;

    for (cp = result; *cp; cp++) {
        if (*cp != '$')
            continue;
        if (cp[1] == '$') {
            cp++;
        } else if (cp[1] == '{' && isdigit((unsigned char) cp[2]) && cp[3] == '}') {
            if (cp[2] - '0' > max)
                max = cp[2] - '0';
        } else if (isdigit((unsigned char) cp[1])) {
            if (cp[1] - '0' > max)
                max = cp[1] - '0';
        }
    }
    return max;
}

static int dict_pattern_lookup(DICT *dict, const char *key, const char **value_r)
{
    DICT_PATTERN *dp = (DICT_PATTERN *) dict;
    int     ov[2 * (DICT_PATTERN_MAXGROUP + 1)];
    DICT_PATTERN_RULE *rule;
    size_t  i = 0;
    int     m;

    while (i < dp->count) {
        rule = dp->rules + i;
        if ((m = dp->engine->match(rule->re, key, ov)) < 0) {
            msg_warn("%s, line %d: matching \"%s\" failed", dict->title,
                     rule->lineno, key);
            return DICT_ERROR;
        }
        if (rule->negate)
            m = !m;
        if (rule->kind == DICT_PATTERN_IF) {
            i = m ? i + 1 : rule->skip_to;
            continue;
        }
        if (m) {
            dict_pattern_subst(dp->value, rule->result, key,
                               rule->negate ? NULL : ov);
            *value_r = BUF_STR(dp->value);
            return DICT_FOUND;
        }
        i++;
    }
    return DICT_NOTFOUND;
}

static int dict_pattern_close(DICT *dict)
{
    DICT_PATTERN *dp = (DICT_PATTERN *) dict;
    size_t  i;

    for (i = 0; i < dp->count; i++) {
        dp->engine->free(dp->rules[i].re);
        mem_free(dp->rules[i].result);
    }
    mem_free(dp->rules);
    mem_free(dp->open_ifs);
    buf_free(&dp->value);
    return 0;
}

/* dict_pattern_parse - split "/re/flags" off the front of text */

static char *dict_pattern_parse(char **textp, char **flags_r, int *negate_r)
{
    char   *cp = *textp;
    char   *re;
    int     delim;

    *negate_r = 0;
    if (*cp == '!') {
        *negate_r = 1;
        cp++;
    }
    delim = (unsigned char) *cp;
    if (delim == 0 || isalnum(delim) || isspace(delim) || delim == '\\')
        return NULL;
    re = ++cp;
    while (*cp && *cp != delim) {
        if (*cp == '\\' && cp[1])
            cp++;
        cp++;
    }
    if (*cp != delim)
        return NULL;
    *cp++ = 0;
    *flags_r = cp;
    while (*cp && !isspace((unsigned char) *cp))
        cp++;
    if (*cp)
        *cp++ = 0;
    while (isspace((unsigned char) *cp))
        cp++;
    *textp = cp;
    return re;
}

/* dict_pattern_add - append a rule */

static DICT_PATTERN_RULE *dict_pattern_add(DICT_PATTERN *dp)
{
    if (dp->count == dp->cap) {
        dp->cap = dp->cap ? 2 * dp->cap : 16;
        dp->rules = mem_realloc(dp->rules, dp->cap * sizeof(*dp->rules));
        dp->open_ifs = mem_realloc(dp->open_ifs, dp->cap * sizeof(*dp->open_ifs));
    }
    memset(dp->rules + dp->count, 0, sizeof(*dp->rules));
    return dp->rules + dp->count++;
}

/* dict_pattern_line - one logical line of the file */

static void dict_pattern_line(char *text, int lineno, void *context)
{
    DICT_PATTERN *dp = context;
    const char *title = dp->dict.title;
    DICT_PATTERN_RULE *rule;
    BUF    *why;
    char   *re;
    char   *flags;
    int     negate;
    int     kind = DICT_PATTERN_MATCH;
    int     ngroup = 0;
    void   *compiled;

    if (strcmp(text, "endif") == 0) {
        if (dp->depth == 0)
            msg_warn("%s, line %d: ignoring ENDIF without matching IF",
                     title, lineno);
        else
            dp->rules[dp->open_ifs[--dp->depth]].skip_to = dp->count;
        return;
    }
    if (strncasecmp(text, "if", 2) == 0 && isspace((unsigned char) text[2])) {
        kind = DICT_PATTERN_IF;
        for (text += 2; isspace((unsigned char) *text); text++)
             /* void */ ;
    }
    if ((re = dict_pattern_parse(&text, &flags, &negate)) == NULL) {
        msg_warn("%s, line %d: ignoring unrecognized request", title, lineno);
        return;
    }
    if (kind == DICT_PATTERN_IF && *text) {
        msg_warn("%s, line %d: ignoring extra text after IF condition: \"%s\"",
                 title, lineno, text);
    } else if (kind == DICT_PATTERN_MATCH && *text == 0) {
        msg_warn("%s, line %d: no replacement text: using empty string",
                 title, lineno);
    }
    why = buf_new(64);
    if ((compiled = dp->engine->compile(re, flags, &ngroup, why)) == NULL) {
        msg_warn("%s, line %d: %s", title, lineno, BUF_STR(why));
        buf_free(&why);
        return;
    }
    buf_free(&why);
    if (kind == DICT_PATTERN_MATCH
        && dict_pattern_max_group(text) > (negate ? 0 : ngroup)) {
        msg_warn("%s, line %d: out of range replacement index \"%d\"",
                 title, lineno, dict_pattern_max_group(text));
        dp->engine->free(compiled);
        return;
    }
    rule = dict_pattern_add(dp);
    rule->kind = kind;
    rule->negate = negate;
    rule->re = compiled;
    rule->lineno = lineno;
    if (kind == DICT_PATTERN_MATCH)
        rule->result = mem_strdup(text);
    else
        dp->open_ifs[dp->depth++] = dp->count - 1;
}

DICT   *dict_pattern_open(const DICT_PATTERN_ENGINE *engine, const char *name,
                                  int flags, BUF *why)
{
    DICT_PATTERN *dp;
    FILE   *fp;
    int     ret;

    if ((fp = fopen(name, "r")) == NULL) {
        buf_printf(why, "open %s: %s", name, strerror(errno));
        return NULL;
    }
    dp = (DICT_PATTERN *) dict_alloc(sizeof(*dp), engine->type, name,
       (flags & ~(DICT_FLAG_CREATE | DICT_FLAG_WRITE)) | DICT_FLAG_PATTERN);
    dp->engine = engine;
    dp->value = buf_new(128);
    dp->dict.lookup = dict_pattern_lookup;
    dp->dict.close = dict_pattern_close;
    ret = dict_src_lines(fp, dp->dict.title, dict_pattern_line, dp);
    fclose(fp);
    if (ret < 0) {
        buf_printf(why, "read %s: %s", name, strerror(errno));
        dict_close((DICT **) &dp);
        return NULL;
    }
    while (dp->depth > 0) {
        msg_warn("%s, line %d: IF has no matching ENDIF", dp->dict.title,
                 dp->rules[dp->open_ifs[dp->depth - 1]].lineno);
        dp->rules[dp->open_ifs[--dp->depth]].skip_to = dp->count;
    }
    return &dp->dict;
}

/* NAME
 *	postconf_edit 3
 * SUMMARY
 *	edit main.cf: postconf -e, -X and -#
 * DESCRIPTION
 *	postconf_edit_main() checks every argument first ("name=value" for
 *	-e, a bare name for -X and -#; a later request for the same name
 *	wins, with a warning), then edits main.cf as Postfix does: every
 *	entry for a name is replaced, removed or commented out, a name not
 *	found gets a new entry at the end (in name order, where Postfix 3.7
 *	uses the order of its hash table), and every other
 *	line stays as it is. main.cf is read without complaints, since it
 *	is only copied, and replaced by rename(2), keeping its mode.
 *
 *	Unlike Postfix 3.7, a main.cf whose last line has no newline gets
 *	one before a new entry, instead of the two being glued together.
 */
#include <stdlib.h>
#include <string.h>

#include "main_cf.h"
#include "mem.h"
#include "msg.h"
#include "postconf.h"

typedef struct POSTCONF_EDIT {
    char   *name;
    char   *value;                      /* -e only */
} POSTCONF_EDIT;

/* postconf_edit_request - one checked argument; fatal when it is bad */

static void postconf_edit_request(const char *arg, POSTCONF_EDIT *req)
{
    const char *cp = arg + strspn(arg, POSTCONF_BLANKS);
    const char *why;

    if (strchr(arg, '\n'))
        msg_fatal("-e, -X, or -# accepts no multi-line input");
    if (*cp == '#')
        msg_fatal("-e, -X, or -# accepts no comment input");
    if (postconf_mode & POSTCONF_EDIT_CONF) {
        if (main_cf_split(cp, &req->name, &req->value, &why) < 0)
            msg_fatal("%s: \"%s\"", why, cp);
        return;
    }
    if (*cp == 0)
        msg_fatal("-X or -# requires non-blank parameter names");
    if (strchr(cp, '='))
        msg_fatal("-X or -# requires parameter names without value");
    req->name = mem_strndup(cp, strcspn(cp, POSTCONF_BLANKS));
    req->value = 0;
}

static int postconf_edit_cmp(const void *a, const void *b)
{
    return (strcmp(((const POSTCONF_EDIT *) a)->name, ((const POSTCONF_EDIT *) b)->name));
}

void    postconf_edit_main(const char *dir, char **args)
{
    BUF    *path = buf_new(256);
    POSTCONF_EDIT *reqs;
    size_t  count = 0, n = 0;
    MAIN_CF *cf;
    int     missing;

    while (args[count])
        count++;
    reqs = mem_calloc(count + 1, sizeof(*reqs));
    for (size_t i = 0; i < count; i++) {
        POSTCONF_EDIT req;

        postconf_edit_request(args[i], &req);
        for (size_t j = 0; j < n; j++) {
            if (strcmp(reqs[j].name, req.name) == 0) {
                if (reqs[j].value)
                    msg_warn("ignoring earlier request: '%s = %s'", reqs[j].name,
                             reqs[j].value);
                else
                    msg_warn("ignoring earlier request: '%s'", reqs[j].name);
                mem_free(reqs[j].name);
                mem_free(reqs[j].value);
                reqs[j] = reqs[--n];
                break;
            }
        }
        reqs[n++] = req;
    }

    /* New entries go at the end in name order (Postfix 3.7: hash order). */
    qsort(reqs, n, sizeof(*reqs), postconf_edit_cmp);
    buf_printf(path, "%s/main.cf", dir);
    cf = main_cf_read(path->data, MAIN_CF_QUIET, &missing);
    if (missing)
        msg_fatal("open %s for reading: No such file or directory", path->data);
    for (size_t i = 0; i < n; i++) {
        int     hits;

        if (postconf_mode & POSTCONF_EDIT_CONF)
            hits = main_cf_set(cf, reqs[i].name, reqs[i].value);
        else
            hits = main_cf_remove(cf, reqs[i].name,
                                  (postconf_mode & POSTCONF_COMMENT_OUT) != 0);
        if (hits > 1)
            msg_warn("%s: multiple entries for \"%s\"", path->data, reqs[i].name);
        mem_free(reqs[i].name);
        mem_free(reqs[i].value);
    }
    if (main_cf_write(cf) < 0)
        msg_fatal("cannot update %s", path->data);
    main_cf_free(&cf);
    mem_free(reqs);
    buf_free(&path);
}

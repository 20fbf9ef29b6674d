/* NAME
 *	postconf_main 3
 * SUMMARY
 *	print main.cf parameters
 * DESCRIPTION
 *	postconf_main_show() prints the named parameters, in the order
 *	given, or every known one of the selected classes, sorted: as
 *	"name = value", the value only (-h) or the name only (-H); the
 *	main.cf setting or the default, only main.cf settings (-n) or only
 *	defaults (-d); raw or expanded (-x).
 *
 *	postconf_main_print_line() prints one line as Postfix does: each
 *	run of blanks becomes one space, and with -f a word that would
 *	reach column 80 starts a new line indented by 4.
 */
#include <stdio.h>
#include <string.h>

#include "msg.h"
#include "param.h"
#include "postconf.h"

void    postconf_main_print_line(int mode, const char *text)
{
    BUF    *out = buf_new(256);
    size_t  line_len = 0;
    const char *cp = text;

    while (*(cp += strspn(cp, POSTCONF_BLANKS)) != 0) {
        size_t  word_len = strcspn(cp, POSTCONF_BLANKS);

        if (line_len > 0) {
            if (!(mode & POSTCONF_FOLD_LINE)
                || line_len + word_len < POSTCONF_LINE_LIMIT) {
                buf_putc(out, ' ');
                line_len += 1;
            } else {
                buf_puts(out, "\n" POSTCONF_INDENT);
                line_len = strlen(POSTCONF_INDENT);
            }
        }
        buf_append(out, cp, word_len);
        line_len += word_len;
        cp += word_len;
    }
    buf_putc(out, '\n');
    fwrite(out->data, 1, out->len, stdout);
    buf_free(&out);
}

static void postconf_main_print(const char *name, const POSTCONF_PARAM *param)
{
    const char *value = postconf_param_lookup(postconf_mode, name, 0);
    BUF    *line, *expanded;

    if (value == 0)
        return;
    if (postconf_mode & POSTCONF_HIDE_VALUE) {
        postconf_main_print_line(postconf_mode, name);
        return;
    }
    line = buf_new(256);
    expanded = buf_new(256);
    if ((postconf_mode & POSTCONF_SHOW_EVAL) && !(param->param_flags & PARAM_RAW))
        value = postconf_param_expand(value, 0, expanded);
    if (postconf_mode & POSTCONF_HIDE_NAME)
        buf_puts(line, value);
    else
        buf_printf(line, "%s = %s", name, value);
    postconf_main_print_line(postconf_mode, line->data);
    buf_free(&expanded);
    buf_free(&line);
}

void    postconf_main_show(char **names, int classes)
{
    if (*names == 0) {
        STRV   *all = postconf_param_list(classes);

        for (size_t i = 0; i < all->argc; i++)
            postconf_main_print(all->argv[i], postconf_param_find(all->argv[i]));
        strv_free(&all);
        return;
    }
    for (; *names; names++) {
        const POSTCONF_PARAM *param = postconf_param_find(*names);

        if (param == 0)
            msg_warn("%s: unknown parameter", *names);
        else
            postconf_main_print(*names, param);
    }
}

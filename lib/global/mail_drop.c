/* NAME
 *	mail_drop 3
 * SUMMARY
 *	leave a locally submitted message in maildrop/
 * DESCRIPTION
 *	See mail_drop.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "mail_connect.h"
#include "mail_drop.h"
#include "main_cf.h"
#include "master_proto.h"
#include "msg.h"
#include "param.h"
#include "queue_file.h"
#include "strv.h"

int     mail_drop_write(const char *sender, const char *full_name,
                        const STRV *rcpts, const char *data, size_t len,
                        char id_r[QUEUE_ID_SIZE])
{
    QUEUE_FILE *qf;
    struct timeval now;
    char    path[QUEUE_ID_SIZE + 20];
    char    wakeup = MASTER_TRIGGER_WAKEUP;
    int     dir_fd;
    int     saved;

    if ((dir_fd = open(config_str(P_QUEUE_DIRECTORY), O_RDONLY | O_DIRECTORY)) < 0)
        return (-1);
    if (fchdir(dir_fd) != 0) {
        saved = errno;
        close(dir_fd);
        errno = saved;
        return (-1);
    }
    close(dir_fd);
    if ((qf = queue_file_create("maildrop")) == 0)
        return (-1);
    gettimeofday(&now, 0);
    if (queue_file_add_time(qf, &now) < 0
        || queue_file_add_sender(qf, sender) < 0
        || (full_name && queue_file_add_attr(qf, "full_name", full_name) < 0))
        goto error;
    for (size_t i = 0; i < rcpts->argc; i++)
        if (queue_file_add_rcpt(qf, rcpts->argv[i], 0) < 0)
            goto error;
    if (queue_file_begin_content(qf) < 0
        || queue_file_write_content(qf, data, len) < 0
        || queue_file_end_content(qf) < 0)
        goto error;
    if (queue_file_commit(qf, id_r) < 0)
        return (-1);
    snprintf(path, sizeof(path), "maildrop/%s", id_r);
    if (chmod(path, 0644) != 0)
        return (-1);
    (void) mail_trigger("public", "pickup", &wakeup, 1);
    return (0);

error:
    saved = errno;
    queue_file_abort(&qf);
    errno = saved;
    return (-1);
}

/*
 * mail_drop_config_allowed - is dir the default configuration directory,
 * or one that the default main.cf lists in alternate_config_directories?
 * (What the administrator allowed; never what the user's own main.cf
 * says.)
 */
static int mail_drop_config_allowed(const char *dir)
{
    const char *def = param_find("config_directory")->def;
    char    want[PATH_MAX];
    char    have[PATH_MAX];
    const MAIN_CF_ENTRY *entry;
    MAIN_CF *cf;
    BUF    *path;
    STRV   *list;
    int     missing;
    int     allowed = 0;

    if (realpath(dir, want) == 0)
        return (0);
    if (realpath(def, have) != 0 && strcmp(want, have) == 0)
        return (1);
    path = buf_new(128);
    buf_printf(path, "%s/main.cf", def);
    cf = main_cf_read(path->data, 0, &missing);
    buf_free(&path);
    if (cf == 0)
        return (0);
    if ((entry = main_cf_find(cf, "alternate_config_directories")) != 0) {
        list = strv_split(entry->value, ", \t");
        for (size_t i = 0; i < list->argc && !allowed; i++)
            allowed = realpath(list->argv[i], have) != 0 && strcmp(want, have) == 0;
        strv_free(&list);
    }
    main_cf_free(&cf);
    return (allowed);
}

void    mail_drop_setgid(const char *dir)
{
    if (dir == 0)
        dir = getenv("MAIL_CONFIG");
    if (getegid() != getgid() && getuid() != 0 && dir != 0
        && !mail_drop_config_allowed(dir) && setgid(getgid()) < 0)
        msg_fatal("setgid: %m");
}

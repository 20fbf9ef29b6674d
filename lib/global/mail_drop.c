/* NAME
 *	mail_drop 3
 * SUMMARY
 *	leave a locally submitted message in maildrop/
 * DESCRIPTION
 *	See mail_drop.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "config.h"
#include "mail_connect.h"
#include "mail_drop.h"
#include "master_proto.h"
#include "msg.h"
#include "queue_file.h"

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

void    mail_drop_setgid(const char *dir)
{
    if (getegid() != getgid() && getuid() != 0
        && (dir != 0 || getenv("MAIL_CONFIG") != 0)
        && setgid(getgid()) < 0)
        msg_fatal("setgid: %m");
}

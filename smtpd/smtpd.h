/* NAME
 *	smtpd 3h
 * SUMMARY
 *	smtpd's own types
 * DESCRIPTION
 *	One SMTPD_SESSION per client connection, all on one event loop.
 *	The state is kept small (buffers grow only when a client sends a
 *	lot) so that one process can hold thousands of mostly idle
 *	sessions.
 */
#ifndef SMTPD_H
#define SMTPD_H

#include <netinet/in.h>
#include <stddef.h>
#include <sys/time.h>

#include "buf.h"
#include "events.h"
#include "mail_log.h"
#include "queue_file.h"
#include "smtp_data.h"
#include "strv.h"

typedef enum SMTPD_STATE {
    SMTPD_STATE_COMMAND,                /* reading commands */
    SMTPD_STATE_DATA,                   /* reading message content */
    SMTPD_STATE_COMMIT,                 /* waiting for the queue file commit */
    SMTPD_STATE_SLEEP,                  /* error sleep before the next reply */
    SMTPD_STATE_CLOSING,                /* replies written, then close */
} SMTPD_STATE;

typedef struct SMTPD_SESSION {
    int     fd;
    SMTPD_STATE state;
    char    addr[INET6_ADDRSTRLEN];
    char    port[8];
    char   *name;                       /* client host name, or "unknown" */
    char   *helo;                       /* HELO/EHLO argument, or NULL */
    const char *protocol;               /* "SMTP" or "ESMTP" */
    BUF    *in;                         /* unprocessed input */
    size_t  in_off;                     /* first unprocessed byte */
    BUF    *out;                        /* replies not yet written */
    int     discard_line;               /* skipping the rest of a too long line */
    EVENTS_TIMER *timer;                /* idle timeout or error sleep */
    const char *where;                  /* last command, for logging */
    int     errors;                     /* for soft/hard error limits */
    int     peer_closed;                /* read end-of-file */
    char   *access_denied;              /* client rejected at connect */
    /* Mail transaction. */
    char   *sender;                     /* NULL: no MAIL FROM yet */
    STRV   *rcpts;
    QUEUE_FILE *qf;
    char    queue_id[32];
    SMTP_DATA *data;
    struct REWRITE_HEADER *headers;     /* header rewriting, local clients */
    int     data_error;                 /* errno of a content write error */
    long    declared_size;              /* MAIL FROM SIZE= */
    struct timeval arrival;
    /* Actions of access tables, for this message. */
    int     action_hold;                /* commit into hold/ */
    int     action_discard;             /* say 250, keep nothing */
    STRV   *prepend;                    /* headers to add */
    char   *redirect;                   /* the only recipient, or NULL */
    MAIL_LOG_COUNTS counts;
} SMTPD_SESSION;

/* smtpd_session.c */
extern void smtpd_session_accept(int fd);
extern void smtpd_reply(SMTPD_SESSION *s, const char *fmt,...)
            __attribute__((format(printf, 2, 3)));
extern void smtpd_session_resume(SMTPD_SESSION *s);
extern void smtpd_session_close(SMTPD_SESSION *s);
extern void smtpd_session_sleep(SMTPD_SESSION *s, long seconds);
extern void smtpd_transaction_reset(SMTPD_SESSION *s);

/* smtpd_cmd.c */
extern void smtpd_command(SMTPD_SESSION *s, char *line, size_t len);
extern void smtpd_data_input(SMTPD_SESSION *s);

/* smtpd_check.c */
extern void smtpd_check_init(void);
extern int smtpd_check_rcpt(SMTPD_SESSION *s, const char *rcpt, BUF *reply);
extern int smtpd_check_data(SMTPD_SESSION *s, BUF *reply);
extern int smtpd_check_connect(SMTPD_SESSION *s, BUF *reply);
extern int smtpd_check_helo(SMTPD_SESSION *s, BUF *reply);
extern int smtpd_check_mail(SMTPD_SESSION *s, BUF *reply);

/* smtpd_commit.c */
extern void smtpd_commit_init(void);
extern void smtpd_commit_start(SMTPD_SESSION *s);
extern void smtpd_commit_done(SMTPD_SESSION *s, int err, const char *queue_id);

/* Parameters, read once at start-up (smtpd.c). */
extern long smtpd_timeout;
extern long smtpd_message_size_limit;
extern long smtpd_line_limit;
extern long smtpd_recipient_limit;
extern long smtpd_soft_error_limit;
extern long smtpd_hard_error_limit;
extern long smtpd_error_sleep;
extern int smtpd_helo_required;
extern int smtpd_vrfy_disabled;
extern int smtpd_bare_lf;
extern const char *smtpd_hostname;

#endif

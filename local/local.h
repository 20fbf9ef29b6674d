/* NAME
 *	local 3h
 * SUMMARY
 *	the local delivery agent's own types
 * DESCRIPTION
 *	A delivery goes through three steps, one file each:
 *
 *	local_claim.c: no two local processes deliver the same recipient
 *	at once (qmgr may ask again after a crash while an attempt runs).
 *
 *	local_recipient.c: an address becomes a LOCAL_RCPT (local part
 *	folded to lower case, user and extension split at
 *	recipient_delimiter), then a LOCAL_TARGET (where the mail goes and
 *	with whose rights) or a final LOCAL_RESULT (unknown user, mail
 *	loop).
 *
 *	local_alias.c: before that, alias_maps and ~/.forward expand a
 *	recipient into mailboxes, files, commands and addresses elsewhere
 *	(forwarded in a new queue file), each delivered as above.
 *
 *	local_deliver.c: a Maildir target is delivered in the local process
 *	with the recipient's file system identity (local_fsid.c); other
 *	targets in a forked child that takes on the recipient's identity,
 *	whose LOCAL_RESULT comes back over a pipe. local_groups.c caches
 *	supplementary groups for both.
 *
 *	local_maildir.c, local_mbox.c, local_command.c: one delivery method
 *	each; local_message.c writes the message
 *	with its envelope headers for all three; local_result.c turns
 *	errors into delivery results.
 */
#ifndef LOCAL_H
#define LOCAL_H

#include <stdarg.h>
#include <sys/time.h>
#include <sys/types.h>

#include "buf.h"
#include "queue_file.h"
#include "strv.h"

/* The message of the current request. */
typedef struct LOCAL_MESSAGE {
    QUEUE_FILE *qf;
    const char *queue_id;
    const char *sender;                 /* "" for the null sender */
    struct timeval arrival;             /* from the request */
    int     retry;                      /* the request's retry flag */
    STRV   *delivered;                  /* Delivered-To: values, lower case */
    int     claim_fd;                   /* the queue file, for local_claim */
} LOCAL_MESSAGE;

/* One recipient, parsed. */
typedef struct LOCAL_RCPT {
    const char *address;                /* as in the request */
    const char *orig;                   /* original recipient, never "" */
    char   *local;                      /* local part, lower case */
    char   *domain;                     /* domain, lower case; "" if none */
    char   *user;                       /* local part minus extension */
    char   *extension;                  /* NULL when there is none */
} LOCAL_RCPT;

/* An account, from getpwnam(). */
typedef struct LOCAL_USER {
    char   *name;
    uid_t   uid;
    gid_t   gid;
    char   *home;
    char   *shell;
} LOCAL_USER;

#define LOCAL_TARGET_MAILDIR    1       /* path ends in '/' */
#define LOCAL_TARGET_MBOX       2       /* path is the file */
#define LOCAL_TARGET_COMMAND    3       /* path is the command */

typedef struct LOCAL_TARGET {
    int     kind;
    char   *path;
    int     in_spool;                   /* mbox in mail_spool_directory */
    LOCAL_USER user;                    /* the recipient's account */
    LOCAL_USER rights;                  /* whose rights the delivery uses */
} LOCAL_TARGET;

typedef struct LOCAL_RESULT {
    int     status;                     /* DELIVER_SENT, _DEFER, _BOUNCE */
    char    dsn[16];
    BUF    *reason;
    int     repeatable;                 /* a repeat finds this delivery */
} LOCAL_RESULT;

/* local_recipient.c */
extern void local_recipient_parse(LOCAL_RCPT *rcpt, const char *address,
                                  const char *orig);
extern void local_recipient_free(LOCAL_RCPT *rcpt);
extern int local_recipient_resolve(const LOCAL_MESSAGE *msg,
                                   const LOCAL_RCPT *rcpt,
                                   LOCAL_TARGET *target, LOCAL_RESULT *result);
extern void local_recipient_target_free(LOCAL_TARGET *target);
extern int local_recipient_account(const char *name, LOCAL_USER *user,
                                           LOCAL_RESULT *result);
extern void local_recipient_user_free(LOCAL_USER *user);

/* local_alias.c */
extern void local_alias_deliver(LOCAL_MESSAGE *msg, const LOCAL_RCPT *rcpt,
                                        LOCAL_RESULT *result);

/* local_claim.c */
#define LOCAL_CLAIM_OK      0           /* ours to deliver */
#define LOCAL_CLAIM_DONE    1           /* finished meanwhile; result set */
#define LOCAL_CLAIM_FAIL    (-1)        /* result set (deferred) */

extern int local_claim(int fd, off_t offset, LOCAL_RESULT *result);
extern void local_claim_release(int fd, off_t offset);

/* local_groups.c */
extern int local_groups_get(const char *name, gid_t gid, const gid_t **list_r);

/* local_fsid.c */
extern int local_fsid_become(const LOCAL_USER *rights);
extern void local_fsid_restore(void);

/* local_deliver.c */
extern void local_deliver(LOCAL_MESSAGE *msg, const LOCAL_RCPT *rcpt,
                          const LOCAL_TARGET *target, LOCAL_RESULT *result);
extern void local_deliver_drop(const LOCAL_USER *rights);
extern void local_deliver_switch(uid_t uid, gid_t gid);

/* local_maildir.c (with local_fsid), local_mbox.c, local_command.c (in the child). */
extern void local_maildir_deliver(LOCAL_MESSAGE *msg, const LOCAL_RCPT *rcpt,
                                  const LOCAL_TARGET *target,
                                  LOCAL_RESULT *result);
extern void local_mbox_deliver(LOCAL_MESSAGE *msg, const LOCAL_RCPT *rcpt,
                               const LOCAL_TARGET *target,
                               LOCAL_RESULT *result);
extern void local_command_deliver(LOCAL_MESSAGE *msg, const LOCAL_RCPT *rcpt,
                                  const LOCAL_TARGET *target,
                                  LOCAL_RESULT *result);

/* local_message.c */
#define LOCAL_COPY_FROM_LINE    (1<<0)  /* "From sender date" first */
#define LOCAL_COPY_QUOTE        (1<<1)  /* ">From " for "From " lines */
#define LOCAL_COPY_BLANK        (1<<2)  /* an empty line at the end */
#define LOCAL_COPY_FORWARD      (1<<3)  /* no Return-Path: (a new message) */

#define LOCAL_COPY_OK           0
#define LOCAL_COPY_READ_ERR     (-1)    /* queue file, errno set */
#define LOCAL_COPY_WRITE_ERR    (-2)    /* destination, errno set */

typedef int (*LOCAL_WRITE_FN) (void *context, const char *data, size_t len);

extern int local_message_scan(LOCAL_MESSAGE *msg);
extern int local_message_looping(const LOCAL_MESSAGE *msg, const char *address);
extern int local_message_copy(LOCAL_MESSAGE *msg, const LOCAL_RCPT *rcpt,
                              int flags, LOCAL_WRITE_FN fn, void *context);
extern int local_message_write_fd(void *context, const char *data, size_t len);
extern void local_message_quote(const char *address, BUF *out);

/* local_result.c */
extern void local_result_init(LOCAL_RESULT *result);
extern void local_result_free(LOCAL_RESULT *result);
extern void local_result_set(LOCAL_RESULT *result, const char *dsn,
                             const char *fmt,...)
            __attribute__((format(printf, 3, 4)));
extern void local_result_vset(LOCAL_RESULT *result, const char *dsn,
                              const char *fmt, va_list ap);
extern const char *local_result_errno_dsn(int err, const char *def_dsn);
extern void local_result_copy_error(LOCAL_RESULT *result, int status,
                                    const char *prefix);

#endif

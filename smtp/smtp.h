/* NAME
 *	smtp 3h
 * SUMMARY
 *	the SMTP client's own types
 * DESCRIPTION
 *	One delivery request is one SMTP_STATE. smtp_addr.c turns the next
 *	hop into SMTP_TARGETs (addresses to try, in order); smtp_connect.c
 *	opens a TCP connection to one; smtp_chat.c sends commands and reads
 *	bounded replies; smtp_proto.c runs one session (greeting, EHLO,
 *	MAIL, RCPT, DATA, QUIT) and records per-recipient results;
 *	smtp_trouble.c words the failures as Postfix does.
 *
 *	A recipient whose result is still unknown has status 0 in the
 *	request. A failure of a whole session (no connection, a 4xx
 *	greeting, a lost connection) leaves the recipients unknown and is
 *	remembered in the state; the next target is tried, and whatever is
 *	still unknown after the last one is deferred with the last reason.
 */
#ifndef SMTP_H
#define SMTP_H

#include <netinet/in.h>
#include <sys/time.h>

#include "buf.h"
#include "deliver_request.h"
#include "queue_file.h"
#include "stream.h"

/* One address to try. */
typedef struct SMTP_TARGET {
    char   *host;                       /* name, as in the log */
    int     family;                     /* AF_INET, AF_INET6 */
    unsigned char addr[16];
    char    text[INET6_ADDRSTRLEN];
    unsigned port;
} SMTP_TARGET;

typedef struct SMTP_TARGETS {
    SMTP_TARGET *target;
    size_t  count;
} SMTP_TARGETS;

/* Per delivery request. */
typedef struct SMTP_STATE {
    DELIVER_REQUEST *req;
    QUEUE_FILE *qf;
    struct timeval received;            /* request read */
    double  setup;                      /* delays c: connection set-up */
    int     status;                     /* last session failure: 4 or 5 */
    char    dsn[16];                     /* and its code */
    BUF    *why;                        /* and its text */
    char   *relay;                      /* and where: host[addr]:port, or NULL */
} SMTP_STATE;

/* ESMTP features. */
#define SMTP_FEATURE_ESMTP       (1<<0)
#define SMTP_FEATURE_PIPELINING  (1<<1)
#define SMTP_FEATURE_SIZE        (1<<2)
#define SMTP_FEATURE_8BITMIME    (1<<3)

/* One connection. */
typedef struct SMTP_SESSION {
    STREAM *stream;
    const SMTP_TARGET *target;
    char   *namaddr;                    /* host[addr] */
    char   *relay;                      /* host[addr]:port */
    int     features;
    long    size_limit;                 /* SIZE value; 0 = none */
    int     code;                       /* last reply */
    BUF    *reply;                      /* its lines, joined by "\n" */
} SMTP_SESSION;

/* smtp_addr.c */
extern int smtp_addr_targets(const char *nexthop, SMTP_TARGETS *targets,
                             char *dsn_r, BUF *why);
extern void smtp_addr_free(SMTP_TARGETS *targets);

/* smtp_connect.c */
extern int smtp_connect(const SMTP_TARGET *target, BUF *why);

/* smtp_chat.c */
#define SMTP_CHAT_OK        0
#define SMTP_CHAT_ERR       (-1)        /* lost, timed out, garbage */

extern int smtp_chat_cmd(SMTP_SESSION *session, const char *fmt,...)
            __attribute__((format(printf, 2, 3)));
extern int smtp_chat_reply(SMTP_SESSION *session, int timeout);
extern void smtp_chat_dsn(const SMTP_SESSION *session, char *dsn_r);

/* smtp_proto.c */
extern void smtp_proto_session(SMTP_STATE *state, SMTP_SESSION *session);

/* smtp_trouble.c */
extern void smtp_trouble_site(SMTP_STATE *state, const char *relay,
                              const char *dsn, const char *fmt,...)
            __attribute__((format(printf, 4, 5)));
extern void smtp_trouble_reply(SMTP_STATE *state, SMTP_SESSION *session,
                               const char *command);
extern void smtp_trouble_stream(SMTP_STATE *state, SMTP_SESSION *session,
                                int status, const char *doing);
extern void smtp_trouble_rcpt(SMTP_STATE *state, SMTP_SESSION *session,
                              DELIVER_RCPT *rcpt, const char *command);
extern void smtp_trouble_pending(SMTP_STATE *state, int status,
                                 const char *dsn, const char *relay,
                                 const char *reason);
extern size_t smtp_trouble_count_pending(const SMTP_STATE *state);

#endif

/* NAME
 *	smtpd_check 3h
 * SUMMARY
 *	what the restriction files of smtpd share
 * DESCRIPTION
 *	A restriction is a function that answers SMTPD_CHECK_DUNNO (go
 *	on), SMTPD_CHECK_OK (this list permits) or SMTPD_CHECK_REJECT (the
 *	reply says why), given the context of the check and, for
 *	restrictions that take one (check_sender_access hash:/x), its
 *	argument. smtpd_check.c evaluates the lists; smtpd_check_access.c
 *	holds the access-table restrictions; smtpd_check_dns.c the ones
 *	that ask the DNS.
 */
#ifndef SMTPD_CHECK_H
#define SMTPD_CHECK_H

#include "buf.h"
#include "maps.h"
#include "smtpd.h"

#define SMTPD_CHECK_DUNNO   0
#define SMTPD_CHECK_OK      1
#define SMTPD_CHECK_REJECT  2

typedef struct SMTPD_CHECK_CTX {
    SMTPD_SESSION *session;
    const char *stage;                  /* CONNECT HELO MAIL RCPT DATA */
    const char *rcpt;                   /* NULL before RCPT */
    int     depth;                      /* restriction class nesting */
    int     list;                       /* which list: SMTPD_CHECK_LIST_* */
} SMTPD_CHECK_CTX;

/* The lists, in their order of evaluation; a plain reject names their subject. */
#define SMTPD_CHECK_LIST_CLIENT     0
#define SMTPD_CHECK_LIST_HELO       1
#define SMTPD_CHECK_LIST_SENDER     2
#define SMTPD_CHECK_LIST_RELAY      3
#define SMTPD_CHECK_LIST_RECIPIENT  4
#define SMTPD_CHECK_LIST_DATA       5
#define SMTPD_CHECK_LIST_COUNT      6

/* smtpd_check.c */
extern int smtpd_check_class(SMTPD_CHECK_CTX *ctx, const char *name, BUF *reply);
extern int smtpd_check_reply(BUF *reply, int code, const char *dsn,
                                     const char *fmt,...)
            __attribute__((format(printf, 4, 5)));
extern int smtpd_check_tempfail(BUF *reply, const char *what);

/* smtpd_check_access.c */
extern int smtpd_check_client_access(SMTPD_CHECK_CTX *ctx, const char *table, BUF *reply);
extern int smtpd_check_helo_access(SMTPD_CHECK_CTX *ctx, const char *table, BUF *reply);
extern int smtpd_check_sender_access(SMTPD_CHECK_CTX *ctx, const char *table, BUF *reply);
extern int smtpd_check_recipient_access(SMTPD_CHECK_CTX *ctx, const char *table, BUF *reply);
extern MAPS *smtpd_check_maps(const char *title, const char *tables);

/* smtpd_check_dns.c */
extern int smtpd_check_rbl_client(SMTPD_CHECK_CTX *ctx, const char *arg, BUF *reply);
extern int smtpd_check_rhsbl_sender(SMTPD_CHECK_CTX *ctx, const char *arg, BUF *reply);
extern int smtpd_check_unknown_sender_domain(SMTPD_CHECK_CTX *ctx, const char *arg, BUF *reply);
extern int smtpd_check_unknown_rcpt_domain(SMTPD_CHECK_CTX *ctx, const char *arg, BUF *reply);

#endif

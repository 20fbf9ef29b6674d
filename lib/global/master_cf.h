/* NAME
 *	master_cf 3h
 * SUMMARY
 *	master.cf reader
 * DESCRIPTION
 *	master.cf has one service per logical line (same joining rules as
 *	main.cf), in eight whitespace-separated columns:
 *
 *	service type private unpriv chroot wakeup maxproc command [args]
 *
 *	service: for inet, "port", "host:port" or "[addr]:port"; otherwise
 *	a socket name under private/ or public/. type: inet, unix,
 *	unix-dgram, fifo or pass. private, unpriv, chroot: y, n or "-" for
 *	the default (y, y, n). wakeup: seconds, "?" suffix meaning only
 *	while the service is in use; "-" or 0 for none. maxproc: a count,
 *	0 for no limit, "-" for default_process_limit. Then the command
 *	(a program in daemon_directory) and its arguments, including
 *	"-o name=value" overrides.
 *
 *	Each entry is checked field by field; errors name file, line and
 *	field. With MASTER_CF_FATAL the first error ends the program. With
 *	MASTER_CF_POSTCONF the checks and their words are those of Postfix's
 *	postconf(1) (invalid type field "bogus" in "<entry>"): the columns
 *	only, not the service name or the options, which master(8) checks.
 */
#ifndef MASTER_CF_H
#define MASTER_CF_H

#include <stddef.h>

#include "buf.h"
#include "strv.h"

typedef struct MASTER_CF_ENTRY {
    char   *service;
    char   *type;
    char   *fields[5];                  /* private unpriv chroot wakeup maxproc */
    STRV   *command;                    /* command and its arguments */
    int     line;
    /* Decoded fields; -1 means "-" (the default). */
    int     private_flag;
    int     unpriv_flag;
    int     chroot_flag;
    int     wakeup;                     /* seconds, 0 = none */
    int     wakeup_if_used;             /* "?" suffix */
    int     maxproc;                    /* -1 = default_process_limit */
} MASTER_CF_ENTRY;

typedef struct MASTER_CF {
    char   *path;
    MASTER_CF_ENTRY *entries;
    size_t  count;
    size_t  cap;
    int     flags;
    int     errors;
} MASTER_CF;

#define MASTER_CF_FATAL (1<<0)
#define MASTER_CF_POSTCONF (1<<1)       /* postconf(1)'s checks and words */

#define MASTER_CF_PRIVATE(e)  ((e)->private_flag != 0)   /* default y */
#define MASTER_CF_UNPRIV(e)   ((e)->unpriv_flag != 0)    /* default y */
#define MASTER_CF_CHROOT(e)   ((e)->chroot_flag == 1)    /* default n */

extern MASTER_CF *master_cf_read(const char *path, int flags, int *missing_r);
extern MASTER_CF *master_cf_parse_text(const char *origin, const char *text,
                                       int flags);
extern const MASTER_CF_ENTRY *master_cf_find(const MASTER_CF *cf,
                                      const char *service, const char *type);
extern void master_cf_format(const MASTER_CF_ENTRY *entry, int fold,
                             BUF *out);
extern void master_cf_format_args(const STRV *command, int fold,
                                  size_t line_len, BUF *out);
extern int master_cf_split_inet(const char *service, char **host_r,
                                char **port_r);
extern void master_cf_free(MASTER_CF **cfp);

#endif

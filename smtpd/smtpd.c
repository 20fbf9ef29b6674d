/* NAME
 *	smtpd 8
 * SUMMARY
 *	Postern SMTP server
 * SYNOPSIS
 *	smtpd (started by master)
 * DESCRIPTION
 *	Receives mail over ESMTP and writes each accepted message into
 *	incoming/ as a queue file, durably (fsync of the file, rename,
 *	fsync of the directory) before it answers 250; then it wakes qmgr.
 *	One process serves many sessions on one event loop; the durable
 *	commit runs in a small pool of worker threads so that a slow disk
 *	does not hold up the other sessions.
 *
 *	RFC 5321 (SMTP), RFC 1869 (EHLO), RFC 1870 (SIZE), RFC 2920
 *	(PIPELINING), RFC 2034 and 3463 (enhanced status codes), RFC 6152
 *	(8BITMIME). End of data is only CRLF.CRLF (see smtp_data(3)).
 * PARAMETERS
 *	smtpd_banner, myhostname, mail_name, message_size_limit,
 *	line_length_limit, smtpd_recipient_limit, smtpd_timeout,
 *	smtpd_soft_error_limit, smtpd_hard_error_limit,
 *	smtpd_error_sleep_time, smtpd_helo_required, disable_vrfy_command,
 *	smtpd_forbid_bare_newline, smtpd_forbid_bare_newline_reject_code,
 *	smtpd_client_restrictions, smtpd_helo_restrictions,
 *	smtpd_sender_restrictions, smtpd_relay_restrictions,
 *	smtpd_recipient_restrictions, smtpd_delay_reject, mynetworks,
 *	mynetworks_style, mydestination, relay_domains,
 *	smtpd_sessions_per_process (Postern: sessions one process holds).
 */
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

#include "config.h"
#include "daemon.h"
#include "msg.h"
#include "smtpd.h"

long    smtpd_timeout;
long    smtpd_message_size_limit;
long    smtpd_line_limit;
long    smtpd_recipient_limit;
long    smtpd_soft_error_limit;
long    smtpd_hard_error_limit;
long    smtpd_error_sleep;
int     smtpd_helo_required;
int     smtpd_vrfy_disabled;
int     smtpd_bare_lf;
const char *smtpd_hostname;

static DAEMON_SPEC smtpd_spec;

/* smtpd_pre_init - raise the descriptor limit to hold many sessions. */

static void smtpd_pre_init(void)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        (void) setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static void smtpd_post_init(void)
{
    const char *bare = config_str(P_SMTPD_FORBID_BARE_NEWLINE);

    smtpd_timeout = config_time(P_SMTPD_TIMEOUT);
    smtpd_message_size_limit = config_int(P_MESSAGE_SIZE_LIMIT);
    smtpd_line_limit = config_int(P_LINE_LENGTH_LIMIT);
    smtpd_recipient_limit = config_int(P_SMTPD_RECIPIENT_LIMIT);
    smtpd_soft_error_limit = config_int(P_SMTPD_SOFT_ERROR_LIMIT);
    smtpd_hard_error_limit = config_int(P_SMTPD_HARD_ERROR_LIMIT);
    smtpd_error_sleep = config_time(P_SMTPD_ERROR_SLEEP_TIME);
    smtpd_helo_required = config_bool(P_SMTPD_HELO_REQUIRED);
    smtpd_vrfy_disabled = config_bool(P_DISABLE_VRFY_COMMAND);
    smtpd_hostname = config_str(P_MYHOSTNAME);
    if (smtpd_line_limit < 512)
        smtpd_line_limit = 512;
    /* Postern normalizes bare LF by default, for every client. */
    if (strcasecmp(bare, "reject") == 0)
        smtpd_bare_lf = SMTP_DATA_BARE_LF_REJECT;
    else if (strcasecmp(bare, "normalize") == 0 || strcasecmp(bare, "yes") == 0
             || strcasecmp(bare, "no") == 0)
        smtpd_bare_lf = SMTP_DATA_BARE_LF_NORMALIZE;
    else
        msg_fatal("bad smtpd_forbid_bare_newline value: %s", bare);
    smtpd_spec.session_limit = (int) config_int(P_SMTPD_SESSIONS_PER_PROCESS);
    smtpd_check_init();
    smtpd_commit_init();
}

int     main(int argc, char **argv)
{
    smtpd_spec.kind = DAEMON_MULTI;
    smtpd_spec.pre_init = smtpd_pre_init;
    smtpd_spec.post_init = smtpd_post_init;
    smtpd_spec.accept = smtpd_session_accept;
    return (daemon_main(argc, argv, &smtpd_spec));
}

/* NAME
 *	local_message 3
 * SUMMARY
 *	the message as the local delivery agent writes it
 * DESCRIPTION
 *	local_message_copy() writes the message for one recipient, with the
 *	envelope made visible in front, in Postfix's order:
 *
 *	    From sender Mon Nov 23 20:40:03 2026   (mbox and commands only)
 *	    Return-Path: <sender>
 *	    Delivered-To: recipient
 *	    the message, byte for byte
 *
 *	Postfix also writes "X-Original-To: original recipient" between the
 *	two (enable_original_recipient); Postern leaves it out for now, as
 *	its delivery contract says: the original recipient is in the log
 *	(orig_to=) and in the command environment (ORIGINAL_RECIPIENT).
 *
 *	The null sender is "MAILER-DAEMON" on the From_ line and <> in
 *	Return-Path. Addresses whose local part needs it are quoted as in
 *	RFC 5322 ("a b"@example.com). With LOCAL_COPY_QUOTE every line that
 *	starts with "From " gets a '>' in front (mbox); a last line without
 *	its newline gets one, as Postfix writes whole lines; with
 *	LOCAL_COPY_BLANK an empty line ends the message (the mbox
 *	separator). The output goes through a write function, so the same
 *	code fills a file and feeds a command's pipe; it is handed out in
 *	blocks of up to LOCAL_MESSAGE_CHUNK bytes.
 *
 *	local_message_scan() collects the values of the message's own
 *	Delivered-To: headers once per request (header section only,
 *	folded lines joined), so that local_message_looping() can tell
 *	that this message has already been delivered to a recipient: a
 *	mail forwarding loop.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "local.h"
#include "mem.h"
#include "full_io.h"
#include "msg.h"

#define LOCAL_MESSAGE_CHUNK     (64 * 1024)
#define LOCAL_MESSAGE_LINE_MAX  4096    /* of a header line we look at */

/* local_message_lower - a copy folded to lower case (ASCII only). */

static char *local_message_lower(const char *text)
{
    char   *copy = mem_strdup(text);

    for (char *cp = copy; *cp; cp++)
        *cp = (char) tolower((unsigned char) *cp);
    return (copy);
}

/*
 * local_message_header - one logical header line: keep the value of a
 * Delivered-To: header, trimmed and folded to lower case.
 */
static void local_message_header(LOCAL_MESSAGE *msg, const char *line)
{
    static const char name[] = "delivered-to";
    const char *cp = line + sizeof(name) - 1;
    const char *end;
    char   *value, *lower;

    if (strncasecmp(line, name, sizeof(name) - 1) != 0)
        return;
    cp += strspn(cp, " \t");
    if (*cp++ != ':')
        return;
    cp += strspn(cp, " \t\r\n");
    for (end = cp + strlen(cp); end > cp && strchr(" \t\r\n", end[-1]); end--)
         /* void */ ;
    value = mem_strndup(cp, (size_t) (end - cp));
    lower = local_message_lower(value);
    if (strv_find(msg->delivered, lower) < 0)
        strv_add(msg->delivered, lower);
    mem_free(lower);
    mem_free(value);
}

/* local_message_is_header - "name:" with a name of printable ASCII. */

static int local_message_is_header(const char *line)
{
    const char *cp = line;

    while (*cp > ' ' && *cp < 127 && *cp != ':')
        cp++;
    if (cp == line)
        return (0);
    cp += strspn(cp, " \t");
    return (*cp == ':');
}

/*
 * local_message_line - one physical line of the header section; 0 when
 * the header section is over.
 */
static int local_message_line(LOCAL_MESSAGE *msg, BUF *line, BUF *header,
                              int overflow)
{
    if (line->len > 0 && line->data[line->len - 1] == '\r')
        buf_truncate(line, line->len - 1);
    if (line->len > 0 && (line->data[0] == ' ' || line->data[0] == '\t')) {
        if (header->len + line->len <= LOCAL_MESSAGE_LINE_MAX && !overflow)
            buf_append(header, line->data, line->len);
        else
            buf_set(header, "");        /* too long to be one of ours */
        return (1);
    }
    if (header->len > 0)
        local_message_header(msg, header->data);
    buf_reset(header);
    if (line->len == 0 || !local_message_is_header(line->data))
        return (0);
    if (!overflow)
        buf_set(header, line->data);
    return (1);
}

int     local_message_scan(LOCAL_MESSAGE *msg)
{
    char    chunk[4096];
    BUF    *line = buf_new(256);
    BUF    *header = buf_new(256);
    ssize_t n = 0;
    int     more = 1, overflow = 0;

    queue_file_content_rewind(msg->qf);
    while (more && (n = queue_file_content_read(msg->qf, chunk, sizeof(chunk))) > 0) {
        for (ssize_t i = 0; more && i < n; i++) {
            if (chunk[i] != '\n') {
                if (line->len < LOCAL_MESSAGE_LINE_MAX)
                    buf_putc(line, chunk[i]);
                else
                    overflow = 1;
                continue;
            }
            more = local_message_line(msg, line, header, overflow);
            buf_reset(line);
            overflow = 0;
        }
    }
    if (more && n == 0 && (line->len > 0 || header->len > 0)) {
        (void) local_message_line(msg, line, header, overflow);
        buf_reset(line);
        (void) local_message_line(msg, line, header, 0);
    }
    buf_free(&line);
    buf_free(&header);
    return (more && n < 0 ? -1 : 0);
}

int     local_message_looping(const LOCAL_MESSAGE *msg, const char *address)
{
    char   *lower = local_message_lower(address);
    int     found = strv_find(msg->delivered, lower) >= 0;

    mem_free(lower);
    return (found);
}

/*
 * local_message_quote - RFC 5322 3.4.1: a local part that is not a
 * dot-atom goes in double quotes, with '"' and '\' escaped. 8-bit bytes
 * (SMTPUTF8) stay as they are.
 */
void    local_message_quote(const char *address, BUF *out)
{
    const char *at = strrchr(address, '@');
    size_t  len = at ? (size_t) (at - address) : strlen(address);
    int     quote = (len == 0 && at != 0);

    for (size_t i = 0; i < len && !quote; i++) {
        unsigned char ch = (unsigned char) address[i];

        if (ch <= ' ' || ch == 127 || strchr("()<>@,;:\\\"[]", ch)
            || (ch == '.' && (i == 0 || i == len - 1 || address[i + 1] == '.')))
            quote = 1;
    }
    if (!quote) {
        buf_puts(out, address);
        return;
    }
    buf_putc(out, '"');
    for (size_t i = 0; i < len; i++) {
        if (address[i] == '"' || address[i] == '\\')
            buf_putc(out, '\\');
        buf_putc(out, address[i]);
    }
    buf_putc(out, '"');
    if (at)
        buf_puts(out, at);
}

/* local_message_from_line - "From sender Www Mmm dd hh:mm:ss yyyy" */

static void local_message_from_line(const char *sender, BUF *out)
{
    static const char *days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t  now = time((time_t *) 0);
    struct tm tm;

    /* The asctime(3) layout, in English whatever the locale. */
    localtime_r(&now, &tm);
    buf_puts(out, "From ");
    if (*sender)
        local_message_quote(sender, out);
    else
        buf_puts(out, "MAILER-DAEMON");
    buf_printf(out, " %s %s %2d %02d:%02d:%02d %d\n", days[tm.tm_wday],
               months[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min,
               tm.tm_sec, tm.tm_year + 1900);
}

static void local_message_headers(const LOCAL_MESSAGE *msg,
                                  const LOCAL_RCPT *rcpt, int flags, BUF *out)
{
    if (flags & LOCAL_COPY_FROM_LINE)
        local_message_from_line(msg->sender, out);
    if (!(flags & LOCAL_COPY_FORWARD)) {
        buf_puts(out, "Return-Path: <");
        if (*msg->sender)
            local_message_quote(msg->sender, out);
        buf_puts(out, ">\n");
    }
    buf_puts(out, "Delivered-To: ");
    local_message_quote(rcpt->address, out);
    buf_putc(out, '\n');
}

/* local_message_flush - hand the output over; 0 or -1 with errno. */

static int local_message_flush(BUF *out, LOCAL_WRITE_FN fn, void *context)
{
    int     status = 0;

    if (out->len > 0)
        status = fn(context, out->data, out->len);
    buf_reset(out);
    return (status);
}

int     local_message_copy(LOCAL_MESSAGE *msg, const LOCAL_RCPT *rcpt,
                           int flags, LOCAL_WRITE_FN fn, void *context)
{
    static const char from[] = "From ";
    char   *chunk = mem_alloc(LOCAL_MESSAGE_CHUNK);
    BUF    *out = buf_new(LOCAL_MESSAGE_CHUNK + 1024);
    int     quote = (flags & LOCAL_COPY_QUOTE) != 0;
    int     match = quote ? 0 : -1;     /* of "From " at a line start */
    int     last = '\n';
    int     status = LOCAL_COPY_OK;
    ssize_t n;

    local_message_headers(msg, rcpt, flags, out);
    queue_file_content_rewind(msg->qf);
    while ((n = queue_file_content_read(msg->qf, chunk, LOCAL_MESSAGE_CHUNK)) > 0) {
        if (!quote) {
            buf_append(out, chunk, (size_t) n);
        } else {
            for (ssize_t i = 0; i < n; i++) {
                if (match >= 0) {
                    if (chunk[i] == from[match]) {
                        if (++match == (int) sizeof(from) - 1) {
                            buf_puts(out, ">From ");
                            match = -1;
                        }
                        continue;
                    }
                    buf_append(out, from, (size_t) match);
                    match = -1;
                }
                buf_putc(out, chunk[i]);
                if (chunk[i] == '\n')
                    match = 0;
            }
        }
        last = chunk[n - 1];
        if (out->len >= LOCAL_MESSAGE_CHUNK
            && local_message_flush(out, fn, context) < 0) {
            status = LOCAL_COPY_WRITE_ERR;
            break;
        }
    }
    if (status == LOCAL_COPY_OK && n < 0)
        status = LOCAL_COPY_READ_ERR;
    if (status == LOCAL_COPY_OK) {
        if (match > 0)
            buf_append(out, from, (size_t) match);
        if (last != '\n')
            buf_putc(out, '\n');
        if (flags & LOCAL_COPY_BLANK)
            buf_putc(out, '\n');
        if (local_message_flush(out, fn, context) < 0)
            status = LOCAL_COPY_WRITE_ERR;
    }
    mem_free(chunk);
    buf_free(&out);
    return (status);
}

/* local_message_write_fd - a LOCAL_WRITE_FN for a file: context is int *. */

int     local_message_write_fd(void *context, const char *data, size_t len)
{
    return (full_io_write(*(int *) context, data, len));
}

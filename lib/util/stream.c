/* NAME
 *	stream 3
 * SUMMARY
 *	buffered I/O on file descriptors with deadlines and size limits
 * DESCRIPTION
 *	The descriptor is switched to non-blocking mode and every wait goes
 *	through poll(2) with the time left, so a deadline holds no matter
 *	how the peer trickles its bytes. EINTR restarts the wait with the
 *	remaining time.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mem.h"
#include "stream.h"

#define STREAM_BUFSIZE 8192

struct STREAM {
    int     fd;
    int     timeout;                    /* seconds, 0 = wait forever */
    int     error;                      /* first write failure */
    char    rbuf[STREAM_BUFSIZE];
    size_t  rpos;                       /* next unread byte */
    size_t  rend;                       /* end of buffered input */
    int     eof;
    char    wbuf[STREAM_BUFSIZE];
    size_t  wlen;
};

STREAM *stream_open(int fd)
{
    STREAM *s = mem_calloc(1, sizeof(*s));
    int     flags = fcntl(fd, F_GETFL);

    if (flags >= 0)
        (void) fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    s->fd = fd;
    return (s);
}

int     stream_fd(const STREAM *s)
{
    return (s->fd);
}

void    stream_set_timeout(STREAM *s, int seconds)
{
    s->timeout = seconds;
}

int     stream_timeout(const STREAM *s)
{
    return (s->timeout);
}

static long stream_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ((long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* stream_wait - wait until fd is ready for events, or the deadline. */

static int stream_wait(STREAM *s, short events, long deadline)
{
    struct pollfd pfd;
    int     wait_ms;
    int     n;

    for (;;) {
        if (deadline < 0) {
            wait_ms = -1;
        } else {
            long    left = deadline - stream_now_ms();

            if (left <= 0)
                return (STREAM_TIMEOUT);
            wait_ms = (int) left;
        }
        pfd.fd = s->fd;
        pfd.events = events;
        pfd.revents = 0;
        n = poll(&pfd, 1, wait_ms);
        if (n > 0)
            return (STREAM_OK);
        if (n == 0)
            return (STREAM_TIMEOUT);
        if (errno != EINTR)
            return (STREAM_ERR);
    }
}

static long stream_deadline(const STREAM *s)
{
    return (s->timeout > 0 ? stream_now_ms() + s->timeout * 1000L : -1);
}

/* stream_fill - read more input into an empty buffer. */

static int stream_fill(STREAM *s, long deadline)
{
    ssize_t n;
    int     status;

    if (s->eof)
        return (STREAM_EOF);
    s->rpos = s->rend = 0;
    for (;;) {
        n = read(s->fd, s->rbuf, sizeof(s->rbuf));
        if (n > 0) {
            s->rend = (size_t) n;
            return (STREAM_OK);
        }
        if (n == 0) {
            s->eof = 1;
            return (STREAM_EOF);
        }
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return (STREAM_ERR);
        if ((status = stream_wait(s, POLLIN, deadline)) != STREAM_OK)
            return (status);
    }
}

/*
 * stream_read_line - read one line including its newline. At most limit
 * bytes are stored; when the limit is reached first the result is
 * STREAM_TOOLONG and the rest of the line stays unread for the caller to
 * read or discard. At end of input a partial line is returned as
 * STREAM_OK (the caller sees no newline at its end); an empty one as
 * STREAM_EOF. The deadline covers the whole line.
 */
int     stream_read_line(STREAM *s, BUF *line, size_t limit)
{
    long    deadline = stream_deadline(s);
    int     status;

    buf_reset(line);
    for (;;) {
        if (s->rpos >= s->rend) {
            status = stream_fill(s, deadline);
            if (status == STREAM_EOF && line->len > 0)
                return (STREAM_OK);
            if (status != STREAM_OK)
                return (status);
        }
        size_t  avail = s->rend - s->rpos;
        size_t  room = limit - line->len;
        char   *start = s->rbuf + s->rpos;
        char   *nl = memchr(start, '\n', avail < room ? avail : room);

        if (nl) {
            size_t  take = (size_t) (nl - start) + 1;

            buf_append(line, start, take);
            s->rpos += take;
            return (STREAM_OK);
        }
        if (avail >= room) {
            buf_append(line, start, room);
            s->rpos += room;
            return (STREAM_TOOLONG);
        }
        buf_append(line, start, avail);
        s->rpos += avail;
    }
}

int     stream_read_exact(STREAM *s, void *data, size_t len)
{
    long    deadline = stream_deadline(s);
    char   *out = data;
    int     status;

    while (len > 0) {
        if (s->rpos >= s->rend && (status = stream_fill(s, deadline)) != STREAM_OK)
            return (status);
        size_t  take = s->rend - s->rpos;

        if (take > len)
            take = len;
        memcpy(out, s->rbuf + s->rpos, take);
        s->rpos += take;
        out += take;
        len -= take;
    }
    return (STREAM_OK);
}

int     stream_getc(STREAM *s)
{
    unsigned char ch;
    int     status = stream_read_exact(s, &ch, 1);

    return (status == STREAM_OK ? ch : status);
}

size_t  stream_buffered(const STREAM *s)
{
    return (s->rend - s->rpos);
}

/* stream_drain - write out the whole write buffer. */

static int stream_drain(STREAM *s, long deadline)
{
    size_t  done = 0;
    ssize_t n;
    int     status;

    while (done < s->wlen) {
        n = write(s->fd, s->wbuf + done, s->wlen - done);
        if (n > 0) {
            done += (size_t) n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
            return (STREAM_ERR);
        if ((status = stream_wait(s, POLLOUT, deadline)) != STREAM_OK)
            return (status);
    }
    s->wlen = 0;
    return (STREAM_OK);
}

int     stream_write(STREAM *s, const void *data, size_t len)
{
    const char *in = data;
    int     status;

    if (s->error)
        return (s->error);
    while (len > 0) {
        if (s->wlen == sizeof(s->wbuf)
            && (status = stream_drain(s, stream_deadline(s))) != STREAM_OK)
            return (s->error = status);
        size_t  take = sizeof(s->wbuf) - s->wlen;

        if (take > len)
            take = len;
        memcpy(s->wbuf + s->wlen, in, take);
        s->wlen += take;
        in += take;
        len -= take;
    }
    return (STREAM_OK);
}

int     stream_puts(STREAM *s, const char *str)
{
    return (stream_write(s, str, strlen(str)));
}

int     stream_printf(STREAM *s, const char *fmt,...)
{
    char    small[512];
    va_list ap;
    int     n;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return (s->error = STREAM_ERR);
    if ((size_t) n < sizeof(small))
        return (stream_write(s, small, (size_t) n));

    BUF    *big = buf_new((size_t) n);
    int     status;

    va_start(ap, fmt);
    buf_vprintf(big, fmt, ap);
    va_end(ap);
    status = stream_write(s, big->data, big->len);
    buf_free(&big);
    return (status);
}

int     stream_flush(STREAM *s)
{
    int     status;

    if (s->error)
        return (s->error);
    if ((status = stream_drain(s, stream_deadline(s))) != STREAM_OK)
        s->error = status;
    return (status);
}

int     stream_error(const STREAM *s)
{
    return (s->error);
}

const char *stream_strerror(int status)
{
    switch (status) {
    case STREAM_OK:
        return ("success");
    case STREAM_EOF:
        return ("unexpected end of input");
    case STREAM_TIMEOUT:
        return ("timeout");
    case STREAM_TOOLONG:
        return ("line too long");
    default:
        return (strerror(errno));
    }
}

/* stream_release - flush and free the stream, but keep the descriptor. */

int     stream_release(STREAM **sp)
{
    int     status = STREAM_OK;

    if (*sp) {
        if ((*sp)->wlen > 0)
            status = stream_flush(*sp);
        mem_free(*sp);
        *sp = 0;
    }
    return (status);
}

int     stream_close(STREAM **sp)
{
    int     status = STREAM_OK;
    int     fd;

    if (*sp) {
        fd = (*sp)->fd;
        status = stream_release(sp);
        if (close(fd) < 0 && status == STREAM_OK)
            status = STREAM_ERR;
    }
    return (status);
}

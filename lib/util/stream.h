/* NAME
 *	stream 3h
 * SUMMARY
 *	buffered I/O on file descriptors with deadlines and size limits
 * DESCRIPTION
 *	A STREAM wraps a descriptor (socket, pipe or file) with a read
 *	buffer and a write buffer. Every blocking operation obeys the
 *	stream's timeout: a read or write that makes no progress for that
 *	long fails with STREAM_TIMEOUT. Line reads take an explicit limit,
 *	so a peer can never make us buffer more than we chose.
 *
 *	Results are STREAM_OK (0) or one of the negative STREAM_* codes;
 *	stream_error() keeps the first failure so that a sequence of writes
 *	can be checked once, at stream_flush().
 */
#ifndef STREAM_H
#define STREAM_H

#include <stddef.h>

#include "buf.h"

#define STREAM_OK        0
#define STREAM_EOF      (-1)            /* orderly end of input */
#define STREAM_ERR      (-2)            /* I/O error, see errno */
#define STREAM_TIMEOUT  (-3)            /* deadline passed */
#define STREAM_TOOLONG  (-4)            /* line limit reached, no newline */

typedef struct STREAM STREAM;

extern STREAM *stream_open(int fd);
extern int stream_fd(const STREAM *s);
extern void stream_set_timeout(STREAM *s, int seconds);
extern int stream_timeout(const STREAM *s);
extern int stream_read_line(STREAM *s, BUF *line, size_t limit);
extern int stream_read_exact(STREAM *s, void *data, size_t len);
extern int stream_getc(STREAM *s);
extern size_t stream_buffered(const STREAM *s);
extern int stream_write(STREAM *s, const void *data, size_t len);
extern int stream_puts(STREAM *s, const char *str);
extern int stream_printf(STREAM *s, const char *fmt,...)
            __attribute__((format(printf, 2, 3)));
extern int stream_flush(STREAM *s);
extern int stream_error(const STREAM *s);
extern const char *stream_strerror(int status);
extern int stream_close(STREAM **sp);
extern int stream_release(STREAM **sp);

#endif

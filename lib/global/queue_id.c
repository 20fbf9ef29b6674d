/* NAME
 *	queue_id 3
 * SUMMARY
 *	queue IDs: unique, sortable by time, letters and digits only
 * DESCRIPTION
 *	The random part comes from getrandom(2), which never fails once
 *	the kernel's pool is initialised; a failure is an environment
 *	problem (no such system call), hence fatal. The clock is read with
 *	clock_gettime(CLOCK_REALTIME): IDs must sort like arrival times on
 *	the wall clock, across processes and restarts.
 */
#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "msg.h"
#include "queue_id.h"

static const char queue_id_alphabet[] = "0123456789ABCDEFGHJKLMNPQRSTVWXY";

/* queue_id_digit - value of one ID character, or -1 */

static int queue_id_digit(int ch)
{
    const char *p;

    if (ch == 0 || (p = strchr(queue_id_alphabet, ch)) == 0)
        return (-1);
    return ((int) (p - queue_id_alphabet));
}

/* queue_id_fill - encode time and random bits */

static void queue_id_fill(char *buf, unsigned long long usec)
{
    unsigned char rnd[QUEUE_ID_RAND_LEN];
    ssize_t n;

    for (int i = QUEUE_ID_TIME_LEN - 1; i >= 0; i--) {
        buf[i] = queue_id_alphabet[usec & 31];
        usec >>= 5;
    }
    while ((n = getrandom(rnd, sizeof(rnd), 0)) != (ssize_t) sizeof(rnd))
        if (n >= 0 || errno != EINTR)
            msg_fatal("getrandom: %m");
    for (int i = 0; i < QUEUE_ID_RAND_LEN; i++)
        buf[QUEUE_ID_TIME_LEN + i] = queue_id_alphabet[rnd[i] & 31];
    buf[QUEUE_ID_LEN] = 0;
}

void    queue_id_at(char buf[QUEUE_ID_SIZE], const struct timeval *when)
{
    unsigned long long usec;

    /* Before 1970 cannot happen on a sane clock; clamp rather than wrap. */
    if (when->tv_sec < 0)
        usec = 0;
    else
        usec = (unsigned long long) when->tv_sec * 1000000ULL
            + (unsigned long long) when->tv_usec;
    queue_id_fill(buf, usec);
}

void    queue_id_new(char buf[QUEUE_ID_SIZE])
{
    struct timespec ts;
    struct timeval tv;

    if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
        msg_fatal("clock_gettime: %m");
    tv.tv_sec = ts.tv_sec;
    tv.tv_usec = ts.tv_nsec / 1000;
    queue_id_at(buf, &tv);
}

int     queue_id_valid(const char *id)
{
    int     i;

    for (i = 0; i < QUEUE_ID_LEN; i++)
        if (queue_id_digit((unsigned char) id[i]) < 0)
            return (0);
    return (id[i] == 0);
}

int     queue_id_time(const char *id, struct timeval *when_r)
{
    unsigned long long usec = 0;

    if (!queue_id_valid(id))
        return (-1);
    for (int i = 0; i < QUEUE_ID_TIME_LEN; i++)
        usec = (usec << 5) | (unsigned) queue_id_digit((unsigned char) id[i]);
    when_r->tv_sec = (time_t) (usec / 1000000ULL);
    when_r->tv_usec = (suseconds_t) (usec % 1000000ULL);
    return (0);
}

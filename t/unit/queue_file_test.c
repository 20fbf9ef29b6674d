/* NAME
 *	queue_file_test 1
 * SUMMARY
 *	unit tests for queue_file(3)
 * DESCRIPTION
 *	Four tables. Round trips: each row writes a message with the
 *	writer, reads it back and compares everything (envelope, content
 *	read in pieces, the record sequence), then marks recipients done
 *	and reopens. Corrupt files: each row is built from records (with a
 *	correct 'Z' unless the row gives one) plus raw bytes, and must be
 *	rejected with the given reason. Record headers: each is fed one
 *	byte at a time to queue_file_decode_header(). Failures: a missing
 *	directory, abort, a file size limit, a full tmpfs (skipped with a
 *	note where mount(2) is not allowed), a name clash, misuse.
 *
 *	The test runs in a scratch directory, as daemons run in
 *	queue_directory.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "harness.h"
#include "mem.h"
#include "msg.h"
#include "queue_file.h"
#include "queue_id.h"

#define QDIR    "incoming"

 /*
  * Round trips.
  */
typedef struct RT_RCPT {
    const char *address;
    const char *orig;
} RT_RCPT;

#define CONTENT_LITERAL 0               /* content, content_len (0: strlen) */
#define CONTENT_BINARY  1               /* every byte value, content_size */
#define CONTENT_LINES   2               /* numbered text lines, content_size */

typedef struct RT_ROW {
    const char *label;
    const char *sender;
    RT_RCPT rcpts[4];                   /* envelope */
    int     gen_rcpts;                  /* plus rcptN@example.com */
    RT_RCPT trailer[3];                 /* after the content */
    const char *attrs[7];               /* name, value, ...; envelope */
    const char *trailer_attrs[3];
    int     content_kind;
    const char *content;
    size_t  content_len;
    size_t  content_size;
    size_t  write_chunk;                /* queue_file_write_content() size */
    size_t  read_chunk;                 /* queue_file_content_read() size */
    long    want_data_recs;             /* 'D' records */
    const char *want_types;             /* record sequence, or NULL */
    int     mark_done[4];               /* recipient indices, ending in -1 */
    long    warn;                       /* 'W' time, 0 for none */
} RT_ROW;

#define NO_MARK {-1}

static const RT_ROW rt_rows[] = {
    {"simple message", "alice@example.com",
        {{"bob@example.com", "Bob@Example.COM"}}, 0, {{0}},
        {"client_name", "mail.example.com", "client_address", "192.0.2.1",
        "protocol", "ESMTP"}, {0},
        CONTENT_LITERAL, "Subject: test\n\nhello\n", 0, 0, 1000, 7, 1,
    "VZTSAAAORMDXE", NO_MARK, 0},
    {"null sender", "", {{"postmaster@example.com", 0}}, 0, {{0}}, {0}, {0},
        CONTENT_LITERAL, "From: MAILER-DAEMON\nSubject: bounce\n\nsorry\n",
    0, 0, 4096, 4096, 1, "VZTSRMDXE", NO_MARK, 0},
    {"1000 recipients", "list@example.com", {{0}}, 1000, {{0}}, {0}, {0},
        CONTENT_LITERAL, "Subject: many\n\nhi\n", 0, 0, 4096, 4096, 1, 0,
    NO_MARK, 0},
    {"binary and 8-bit content", "a@example.com", {{"b@example.com", 0}}, 0,
        {{0}}, {"encoding", "8bit"}, {0},
    CONTENT_BINARY, 0, 0, 256 * 4 + 3, 100, 33, 1, 0, NO_MARK, 0},
    {"1 MiB content in 1000-byte writes", "a@example.com",
        {{"b@example.com", 0}}, 0, {{0}}, {0}, {0},
    CONTENT_LINES, 0, 0, 1024 * 1024, 1000, 4096, 16, 0, NO_MARK, 0},
    {"1 MiB plus one byte in one write", "a@example.com",
        {{"b@example.com", 0}}, 0, {{0}}, {0}, {0},
    CONTENT_LINES, 0, 0, 1024 * 1024 + 1, 1024 * 1024 + 1, 100000, 17, 0, NO_MARK, 0},
    {"exactly 64 KiB", "a@example.com", {{"b@example.com", 0}}, 0, {{0}}, {0},
    {0}, CONTENT_LINES, 0, 0, 65536, 65536, 65536, 1, 0, NO_MARK, 0},
    {"empty content", "a@example.com", {{"b@example.com", 0}}, 0, {{0}}, {0},
    {0}, CONTENT_LITERAL, "", 0, 0, 1, 1, 0, "VZTSRMXE", NO_MARK, 0},
    {"one byte at a time", "a@example.com", {{"b@example.com", 0}}, 0, {{0}},
        {0}, {0},
    CONTENT_LINES, 0, 0, 5000, 1, 1, 1, 0, NO_MARK, 0},
    {"no final newline", "a@example.com", {{"b@example.com", 0}}, 0, {{0}},
        {0}, {0},
        CONTENT_LITERAL, "Subject: x\n\nno newline", 0, 0, 5, 5, 1, 0,
    NO_MARK, 0},
    {"trailer recipients and attributes", "a@example.com",
        {{"b@example.com", 0}}, 0,
        {{"carol@example.com", "Carol@example.com"}, {"dave@example.com", 0}},
        {"encoding", "7bit", "rewrite_context", "local"}, {"encoding", "8bit"},
        CONTENT_LITERAL, "To: carol@example.com, dave@example.com\n\nhi\n", 0,
    0, 4096, 4096, 1, "VZTSAARMDXORRAE", NO_MARK, 0},
    {"mark done", "a@example.com",
        {{"r0@example.com", "R0@example.com"}, {"r1@example.com", 0},
        {"r2@example.com", 0}}, 0, {{"r3@example.com", "orig3"}}, {0}, {0},
        CONTENT_LITERAL, "Subject: done\n\nx\n", 0, 0, 4096, 4096, 1, 0,
    {0, 2, 3, -1}, 0},
    {"warning time", "a@example.com", {{"b@example.com", 0}}, 0, {{0}}, {0},
        {0}, CONTENT_LITERAL, "Subject: w\n\nx\n", 0, 0, 4096, 4096, 1,
    "VZTSRWMDXE", NO_MARK, 1795003600},
};

static const struct timeval rt_arrival = {1795000000, 123456};

/* rt_content - the bytes a row writes */

static void rt_content(const RT_ROW *row, BUF *out)
{
    buf_reset(out);
    switch (row->content_kind) {
    case CONTENT_LITERAL:
        buf_append(out, row->content, row->content_len ? row->content_len :
                   strlen(row->content));
        break;
    case CONTENT_BINARY:
        for (size_t i = 0; out->len < row->content_size; i++)
            buf_putc(out, (int) (i & 0xff));
        break;
    case CONTENT_LINES:
        for (long n = 0; out->len < row->content_size; n++)
            buf_printf(out, "line %ld: the quick brown fox\n", n);
        buf_truncate(out, row->content_size);
        break;
    }
}

/* rt_rcpt_list - every recipient of a row, in file order */

static void rt_rcpt_list(const RT_ROW *row, RT_RCPT *list, char (*names)[64],
                         size_t *count)
{
    size_t  n = 0;

    for (const RT_RCPT *r = row->rcpts; r < row->rcpts + 4 && r->address; r++)
        list[n++] = *r;
    for (int i = 0; i < row->gen_rcpts; i++) {
        snprintf(names[i], 64, "rcpt%d@example.com", i);
        list[n].address = names[i];
        list[n++].orig = (i % 2) ? names[i] : 0;
    }
    for (const RT_RCPT *r = row->trailer; r < row->trailer + 3 && r->address; r++)
        list[n++] = *r;
    *count = n;
}

/* rt_write - write a row's message; returns the ID or "" */

static int rt_write(const RT_ROW *row, const BUF *content, const RT_RCPT *list,
                    size_t env_count, size_t count, char *id)
{
    QUEUE_FILE *qf = queue_file_create(QDIR);
    BUF    *tmp = buf_new(64);
    struct stat st;
    int     status = 0;
    size_t  done;
    size_t  n;

    harness_check(qf != 0, row->label, "create: %m");
    if (qf == 0)
        return (-1);
    buf_printf(tmp, QDIR "/.tmp.%s", queue_file_id(qf));
    harness_check(stat(tmp->data, &st) == 0 && (st.st_mode & 0777) == 0600,
                  "temporary file .tmp.ID, mode 0600", "%s: %m, mode %o",
                  tmp->data, (unsigned) st.st_mode);
    status |= queue_file_add_time(qf, &rt_arrival);
    status |= queue_file_add_sender(qf, row->sender);
    for (const char *const *a = row->attrs; a < row->attrs + 6 && *a; a += 2)
        status |= queue_file_add_attr(qf, a[0], a[1]);
    for (size_t i = 0; i < env_count; i++)
        status |= queue_file_add_rcpt(qf, list[i].address, list[i].orig);
    if (row->warn)
        status |= queue_file_add_warn(qf, row->warn);
    status |= queue_file_begin_content(qf);
    for (done = 0; done < content->len; done += n) {
        n = content->len - done < row->write_chunk ? content->len - done :
            row->write_chunk;
        status |= queue_file_write_content(qf, content->data + done, n);
    }
    status |= queue_file_end_content(qf);
    for (size_t i = env_count; i < count; i++)
        status |= queue_file_add_rcpt(qf, list[i].address, list[i].orig);
    for (const char *const *a = row->trailer_attrs; a < row->trailer_attrs + 2 && *a; a += 2)
        status |= queue_file_add_attr(qf, a[0], a[1]);
    harness_inteq("writer calls succeed", status, 0);
    status = queue_file_commit(qf, id);
    harness_check(status == 0 && queue_id_valid(id), "commit", "status %d: %m",
                  status);
    harness_check(access(tmp->data, F_OK) < 0 && errno == ENOENT,
                  "commit leaves no temporary file", "%s", tmp->data);
    buf_free(&tmp);
    return (status);
}

/* rt_types - the walk function that lists record types */

static int rt_types(int type, off_t offset, const char *payload, size_t len,
                    void *context)
{
    (void) offset;
    (void) payload;
    (void) len;
    buf_putc((BUF *) context, type);
    return (0);
}

/* rt_check_read - read a committed file back and compare */

static void rt_check_read(const RT_ROW *row, const char *path, const char *id,
                          const BUF *content, const RT_RCPT *list, size_t count)
{
    QUEUE_FILE *qf;
    BUF    *why = buf_new(64);
    BUF    *got = buf_new(content->len + 1);
    BUF    *types = buf_new(64);
    char   *chunk = mem_alloc(row->read_chunk);
    struct timeval tv;
    const QUEUE_FILE_RCPT *r;
    int     rcpt_ok = 1;
    ssize_t n;
    long    data_recs = 0;

    if (queue_file_open(path, QUEUE_FILE_READ, &qf, why) < 0) {
        harness_check(0, "open", "%s", why->data);
        goto out;
    }
    harness_streq("queue ID", queue_file_id(qf), id);
    queue_file_arrival(qf, &tv);
    harness_check(tv.tv_sec == rt_arrival.tv_sec && tv.tv_usec == rt_arrival.tv_usec,
                  "arrival time", "%ld.%06ld", (long) tv.tv_sec, (long) tv.tv_usec);
    harness_streq("sender", queue_file_sender(qf), row->sender);
    harness_inteq("recipient count", (long) queue_file_rcpt_count(qf), (long) count);
    for (size_t i = 0; i < count && i < queue_file_rcpt_count(qf); i++) {
        r = queue_file_rcpt(qf, i);
        if (strcmp(r->address, list[i].address) != 0 || r->done
            || (r->orig == 0) != (list[i].orig == 0)
            || (r->orig && strcmp(r->orig, list[i].orig) != 0)) {
            harness_check(0, "recipient", "#%zu: %s (orig %s)", i, r->address,
                          r->orig ? r->orig : "none");
            rcpt_ok = 0;
        }
    }
    harness_check(rcpt_ok, "recipients and original recipients", "see above");
    for (const char *const *a = row->attrs; a < row->attrs + 6 && *a; a += 2) {
        const char *want = a[1];

        /* The trailer's value wins. */
        if (row->trailer_attrs[0] && strcmp(row->trailer_attrs[0], a[0]) == 0)
            want = row->trailer_attrs[1];
        harness_streq(a[0], queue_file_attr(qf, a[0]), want);
    }
    harness_streq("unknown attribute", queue_file_attr(qf, "no_such"), 0);
    harness_inteq("warning time", (long) queue_file_warn_time(qf), row->warn);
    harness_inteq("message size", queue_file_message_size(qf), (long) content->len);
    while ((n = queue_file_content_read(qf, chunk, row->read_chunk)) > 0)
        buf_append(got, chunk, (size_t) n);
    harness_check(n == 0 && got->len == content->len
                  && memcmp(got->data, content->data, content->len) == 0,
                  "content read back", "status %ld, %zu of %zu bytes", (long) n,
                  got->len, content->len);
    harness_inteq("content read at the end", (long) queue_file_content_read(qf, chunk, 1), 0);
    queue_file_content_rewind(qf);
    n = queue_file_content_read(qf, chunk, 1);
    harness_check(content->len == 0 ? n == 0 : (n == 1 && chunk[0] == content->data[0]),
                  "content after rewind", "status %ld", (long) n);
    harness_inteq("walk", queue_file_walk(qf, rt_types, types), 0);
    for (size_t i = 0; i < types->len; i++)
        data_recs += types->data[i] == 'D';
    harness_inteq("data records", data_recs, row->want_data_recs);
    if (row->want_types)
        harness_streq("record sequence", types->data, row->want_types);
    harness_check(queue_file_mark_done(qf, 0, 0) < 0 && errno == EBADF,
                  "mark done needs QUEUE_FILE_UPDATE", "%m");
    queue_file_close(&qf);
    harness_check(qf == 0, "close clears the pointer", "%p", (void *) qf);
out:
    mem_free(chunk);
    buf_free(&types);
    buf_free(&got);
    buf_free(&why);
}

/* rt_check_update - mark recipients done, set 'W', reopen and look */

static void rt_check_update(const RT_ROW *row, const char *path, size_t count)
{
    QUEUE_FILE *qf;
    BUF    *why = buf_new(64);
    int     want_done[8 + 1000] = {0};
    int     ok = 1;

    if (queue_file_open(path, QUEUE_FILE_UPDATE, &qf, why) < 0) {
        harness_check(0, "open for update", "%s", why->data);
        buf_free(&why);
        return;
    }
    for (const int *i = row->mark_done; *i >= 0; i++) {
        /* Synced or not, the mark is in the file for the next reader. */
        int     flags = (*i % 2) ? QUEUE_FILE_MARK_NOSYNC : 0;

        harness_inteq("mark done", queue_file_mark_done(qf, (size_t) *i, flags), 0);
        harness_inteq("mark done twice is harmless",
                      queue_file_mark_done(qf, (size_t) *i, flags ^ QUEUE_FILE_MARK_NOSYNC), 0);
        want_done[*i] = 1;
    }
    if (row->warn)
        harness_inteq("set warning time", queue_file_set_warn(qf, row->warn + 60), 0);
    else
        harness_check(queue_file_set_warn(qf, 60) < 0 && errno == ENOENT,
                      "set warning time without a 'W' record", "%m");
    queue_file_close(&qf);
    if (queue_file_open(path, QUEUE_FILE_READ, &qf, why) < 0) {
        harness_check(0, "reopen after update", "%s", why->data);
        buf_free(&why);
        return;
    }
    for (size_t i = 0; i < count; i++)
        if (queue_file_rcpt(qf, i)->done != want_done[i])
            ok = 0;
    harness_check(ok, "done recipients after reopening", "mismatch");
    if (row->warn)
        harness_inteq("warning time after update", (long) queue_file_warn_time(qf),
                      row->warn + 60);
    queue_file_close(&qf);
    buf_free(&why);
}

/* rt_check_tried - the first attempt marks the file, later ones see it. */

static void rt_check_tried(const char *path)
{
    struct stat st = {0};

    harness_check(stat(path, &st) == 0 && (st.st_mode & 07777) == 0600,
                  "a new queue file has mode 0600", "mode %o", (unsigned) st.st_mode);
    harness_inteq("first attempt", queue_file_mark_tried(path), 0);
    harness_check(stat(path, &st) == 0 && (st.st_mode & 07777) == 0700,
                  "a tried queue file has mode 0700", "mode %o", (unsigned) st.st_mode);
    harness_inteq("second attempt", queue_file_mark_tried(path), 1);
    harness_inteq("third attempt", queue_file_mark_tried(path), 1);
}

static void rt_run(void)
{
    BUF    *content = buf_new(1024);
    BUF    *path = buf_new(64);
    RT_RCPT list[8 + 1000];
    static char names[1000][64];
    char    id[QUEUE_ID_SIZE];
    size_t  count;
    size_t  env_count;

    for (size_t i = 0; i < sizeof(rt_rows) / sizeof(rt_rows[0]); i++) {
        const RT_ROW *row = rt_rows + i;

        printf("# round trip: %s\n", row->label);
        rt_content(row, content);
        rt_rcpt_list(row, list, names, &count);
        env_count = count;
        for (const RT_RCPT *r = row->trailer; r < row->trailer + 3 && r->address; r++)
            env_count--;
        if (rt_write(row, content, list, env_count, count, id) < 0)
            continue;
        buf_reset(path);
        buf_printf(path, QDIR "/%s", id);
        rt_check_read(row, path->data, id, content, list, count);
        rt_check_update(row, path->data, count);
        rt_check_tried(path->data);
        (void) unlink(path->data);
        harness_log_check(row->label, 0);
    }
    buf_free(&path);
    buf_free(&content);
}

 /*
  * Corrupt files, built from records.
  */
typedef struct CF_REC {
    int     type;                       /* 0 ends the list */
    const char *payload;                /* NULL with 'Z': computed */
    long    len;                        /* -1: strlen(payload) */
} CF_REC;

typedef struct CF_ROW {
    const char *label;
    CF_REC  recs[16];
    const char *tail;                   /* raw bytes after the records */
    size_t  tail_len;
    size_t  cut;                        /* bytes to drop from the end */
    const char *want;                   /* reason, NULL: the file is good */
} CF_ROW;

#define REC(t, p)   {(t), (p), -1}
#define V1      REC('V', "1")
#define ZA      {'Z', 0, -1}
#define T1      REC('T', "1700000000.000000")
#define S0      REC('S', "")
#define R1      REC('R', "a@b")
#define M0      REC('M', "")
#define D1      REC('D', "hi\n")
#define X0      REC('X', "")
#define E0      REC('E', "")
#define TAIL(s) (s), sizeof(s) - 1

 /*
  * Offsets in a file of V1 ZA T1 S0 R1 M0 D1 X0 E0: V 0, Z 3, T 52, S 71,
  * R 73, M 78, D 80, X 85, E 87, end 89.
  */
static const CF_ROW cf_rows[] = {
    {"good file", {V1, ZA, T1, S0, R1, M0, D1, X0, E0}, TAIL(""), 0, 0},
    {"good file with trailer", {V1, ZA, T1, S0, M0, X0, REC('O', "x"), R1,
    REC('r', "c@d"), REC('A', "a=b"), E0}, TAIL(""), 0, 0},
    {"empty file", {{0}}, TAIL(""), 0, "empty file"},
    {"missing end record", {V1, ZA, T1, S0, R1, M0, D1, X0}, TAIL(""), 0,
    "missing end record"},
    {"cut inside the content", {V1, ZA, T1, S0, R1, M0, D1, X0, E0}, TAIL(""),
    7, "truncated record at offset 80"},
    {"cut after a type byte", {V1, ZA, T1, S0, R1, M0, D1, X0}, TAIL("E"), 0,
    "truncated record at offset 87"},
    {"truncated varint", {V1, ZA, T1, S0, R1, M0, D1, X0}, TAIL("R\x83"), 0,
    "truncated record at offset 87"},
    {"length past the end of the file", {V1, ZA, T1, S0, R1, M0, D1, X0},
    TAIL("R\x05" "ab"), 0, "truncated record at offset 87"},
    {"varint of six bytes", {V1, ZA, T1, S0, R1, M0, D1, X0},
    TAIL("R\x80\x80\x80\x80\x80\x01"), 0, "malformed record length at offset 87"},
    {"varint not minimal", {V1, ZA, T1, S0, R1, M0, D1, X0},
    TAIL("R\x81\x00" "a"), 0, "malformed record length at offset 87"},
    {"length over 16 MiB", {V1, ZA, T1, S0, R1, M0, D1, X0},
    TAIL("R\x81\x80\x80\x08"), 0, "excessive record length at offset 87"},
    {"data record over 64 KiB", {V1, ZA, T1, S0, R1, M0}, TAIL("D\x81\x80\x04"),
    0, "excessive record length at offset 80"},
    {"unknown record type", {V1, ZA, T1, S0, R1, M0, D1, X0}, TAIL("q\x00"), 0,
    "unknown record type 'q' at offset 87"},
    {"unknown binary record type", {V1, ZA, T1, S0, R1}, TAIL("\x01\x00"), 0,
    "unknown record type 0x01 at offset 78"},
    {"data in the envelope", {V1, ZA, T1, S0, D1}, TAIL(""), 0,
    "unexpected record type 'D' in the envelope section at offset 73"},
    {"recipient in the content", {V1, ZA, T1, S0, M0, R1}, TAIL(""), 0,
    "unexpected record type 'R' in the content section at offset 75"},
    {"sender in the trailer", {V1, ZA, T1, S0, M0, X0, S0, E0}, TAIL(""), 0,
    "unexpected record type 'S' in the trailer section at offset 77"},
    {"end in the envelope", {V1, ZA, T1, S0, R1, E0}, TAIL(""), 0,
    "unexpected record type 'E' in the envelope section at offset 78"},
    {"second version record", {V1, ZA, V1}, TAIL(""), 0,
    "unexpected record type 'V' in the envelope section at offset 52"},
    {"no version record", {ZA, T1}, TAIL(""), 0,
    "missing version record at offset 0"},
    {"unsupported version", {REC('V', "2"), ZA}, TAIL(""), 0,
    "unsupported queue file version at offset 0"},
    {"no size record", {V1, T1}, TAIL(""), 0, "missing size record at offset 3"},
    {"second size record", {V1, ZA, ZA}, TAIL(""), 0,
    "unexpected record type 'Z' in the envelope section at offset 52"},
    {"bytes after the end record", {V1, ZA, T1, S0, R1, M0, D1, X0, E0},
    TAIL("x"), 0, "data after end record at offset 89"},
    {"size record: message_size", {V1,
            REC('Z', "              4              80               1"),
    T1, S0, R1, M0, D1, X0, E0}, TAIL(""), 0,
    "size record mismatch: message_size 4, content is 3 bytes"},
    {"size record: content_offset", {V1,
            REC('Z', "              3              78               1"),
    T1, S0, R1, M0, D1, X0, E0}, TAIL(""), 0,
    "size record mismatch: content_offset 78, content starts at 80"},
    {"size record: recipient_count", {V1,
            REC('Z', "              3              80               2"),
    T1, S0, R1, M0, D1, X0, E0}, TAIL(""), 0,
    "size record mismatch: recipient_count 2, file has 1"},
    {"size record malformed", {V1, REC('Z', "3 80 1"), T1}, TAIL(""), 0,
    "malformed size record at offset 3"},
    {"size record with a sign", {V1,
            REC('Z', "             -3              80               1"), T1},
    TAIL(""), 0, "malformed size record at offset 3"},
    {"original recipient before content", {V1, ZA, T1, S0, REC('O', "x"), M0},
    TAIL(""), 0, "original recipient at offset 73 is not followed by a recipient"},
    {"original recipient before attribute", {V1, ZA, T1, S0, REC('O', "x"),
    REC('A', "a=b"), R1}, TAIL(""), 0,
    "original recipient at offset 73 is not followed by a recipient"},
    {"original recipient before end", {V1, ZA, T1, S0, M0, X0, REC('O', "x"), E0},
    TAIL(""), 0, "original recipient at offset 77 is not followed by a recipient"},
    {"two original recipients", {V1, ZA, T1, S0, REC('O', "x"), REC('O', "y"), R1},
    TAIL(""), 0, "original recipient at offset 73 is not followed by a recipient"},
    {"duplicate sender", {V1, ZA, T1, S0, S0}, TAIL(""), 0,
    "duplicate sender record at offset 73"},
    {"duplicate arrival time", {V1, ZA, T1, T1}, TAIL(""), 0,
    "duplicate arrival time record at offset 71"},
    {"no sender before content", {V1, ZA, T1, R1, M0}, TAIL(""), 0,
    "missing sender record before content at offset 76"},
    {"no arrival time before content", {V1, ZA, S0, M0}, TAIL(""), 0,
    "missing arrival time record before content at offset 54"},
    {"arrival time without usec", {V1, ZA, REC('T', "1700000000")}, TAIL(""), 0,
    "malformed arrival time record at offset 52"},
    {"arrival time with short usec", {V1, ZA, REC('T', "1700000000.5")}, TAIL(""),
    0, "malformed arrival time record at offset 52"},
    {"attribute without =", {V1, ZA, REC('A', "novalue")}, TAIL(""), 0,
    "malformed attribute record at offset 52"},
    {"attribute without name", {V1, ZA, REC('A', "=x")}, TAIL(""), 0,
    "malformed attribute record at offset 52"},
    {"empty recipient", {V1, ZA, REC('R', "")}, TAIL(""), 0,
    "malformed recipient record at offset 52"},
    {"NUL in the sender", {V1, ZA, {'S', "a\0b", 3}}, TAIL(""), 0,
    "malformed sender record at offset 52"},
    {"content start with payload", {V1, ZA, T1, S0, REC('M', "x")}, TAIL(""), 0,
    "malformed content start record at offset 73"},
    {"end record with payload", {V1, ZA, T1, S0, M0, X0, REC('E', "x")}, TAIL(""),
    0, "malformed end record at offset 77"},
    {"warning time not fixed width", {V1, ZA, REC('W', "12")}, TAIL(""), 0,
    "malformed warning time record at offset 52"},
    {"duplicate warning time", {V1, ZA, REC('W', "             12"),
    REC('W', "             12")}, TAIL(""), 0,
    "duplicate warning time record at offset 69"},
    {"warning time in the trailer", {V1, ZA, T1, S0, M0, X0,
    REC('W', "             12")}, TAIL(""), 0,
    "unexpected record type 'W' in the trailer section at offset 77"},
};

/* cf_build - encode a row's records, with a computed 'Z' where asked */

static void cf_build(const CF_ROW *row, BUF *out)
{
    long    data = 0;
    long    rcpts = 0;
    long    content_off = 0;
    long    offset = 0;
    char    zbuf[64];
    size_t  len;

    /* First pass: what a correct 'Z' says (its own size is fixed). */
    for (const CF_REC *r = row->recs; r->type; r++) {
        len = r->payload ? (r->len < 0 ? strlen(r->payload) : (size_t) r->len) : 47;
        offset += 1 + (len < 128 ? 1 : 2) + (long) len;
        if (r->type == 'D')
            data += (long) len;
        if (r->type == 'R' || r->type == 'r')
            rcpts++;
        if (r->type == 'M')
            content_off = offset;
    }
    snprintf(zbuf, sizeof(zbuf), "%15ld %15ld %15ld", data, content_off, rcpts);
    buf_reset(out);
    for (const CF_REC *r = row->recs; r->type; r++) {
        const char *p = r->payload ? r->payload : zbuf;

        len = r->len < 0 ? strlen(p) : (size_t) r->len;
        buf_putc(out, r->type);
        if (len >= 128)
            buf_putc(out, (int) ((len & 0x7f) | 0x80));
        buf_putc(out, (int) (len >= 128 ? len >> 7 : len));
        buf_append(out, p, len);
    }
    buf_append(out, row->tail, row->tail_len);
    buf_truncate(out, out->len - row->cut);
}

/* walk_stop_at_content - a walk function that stops at 'M' */

static int walk_stop_at_content(int type, off_t offset, const char *payload,
                                size_t len, void *context)
{
    (void) offset;
    (void) payload;
    (void) len;
    ++*(int *) context;
    return (type == 'M' ? 7 : 0);
}

/* walk_stop - a walk function's nonzero result ends the walk with it */

static void walk_stop(BUF *bytes)
{
    const CF_ROW *good = cf_rows;
    int     fd;
    int     seen = 0;

    cf_build(good, bytes);
    if ((fd = open(QDIR "/corrupt", O_RDWR | O_CREAT | O_TRUNC, 0600)) < 0
        || write(fd, bytes->data, bytes->len) != (ssize_t) bytes->len)
        msg_fatal("write test file: %m");
    harness_inteq("walk stops with the function's value",
                  queue_file_walk_fd(fd, walk_stop_at_content, &seen, 0), 7);
    harness_inteq("walk stops at the record that said so", seen, 6);
    (void) close(fd);
}

static void cf_run(void)
{
    BUF    *bytes = buf_new(256);
    BUF    *why = buf_new(64);
    BUF    *walked = buf_new(64);
    QUEUE_FILE *qf;
    char    label[256];
    int     fd;
    int     status;

    for (size_t i = 0; i < sizeof(cf_rows) / sizeof(cf_rows[0]); i++) {
        const CF_ROW *row = cf_rows + i;

        cf_build(row, bytes);
        if ((fd = open(QDIR "/corrupt", O_RDWR | O_CREAT | O_TRUNC, 0600)) < 0
            || write(fd, bytes->data, bytes->len) != (ssize_t) bytes->len)
            msg_fatal("write test file: %m");
        (void) close(fd);
        errno = 0;
        status = queue_file_open(QDIR "/corrupt", QUEUE_FILE_READ, &qf, why);
        snprintf(label, sizeof(label), "%s: open", row->label);
        if (row->want) {
            harness_check(status < 0 && qf == 0 && errno == EBADMSG, label,
                          "status %d, errno %m", status);
            snprintf(label, sizeof(label), "%s: reason", row->label);
            harness_streq(label, why->data, row->want);
        } else {
            harness_check(status == 0, label, "%s", why->data);
            queue_file_close(&qf);
        }
        /* postcat's walker finds the same problem. */
        if ((fd = open(QDIR "/corrupt", O_RDONLY)) < 0)
            msg_fatal("open test file: %m");
        buf_reset(walked);
        status = queue_file_walk_fd(fd, 0, 0, walked);
        (void) close(fd);
        snprintf(label, sizeof(label), "%s: walk", row->label);
        harness_check(row->want ? status < 0 && strcmp(walked->data, why->data) == 0
                      : status == 0, label, "status %d: %s", status, walked->data);
        snprintf(label, sizeof(label), "%s: log", row->label);
        harness_log_check(label, 0);
    }
    walk_stop(bytes);
    (void) unlink(QDIR "/corrupt");
    buf_free(&walked);
    buf_free(&why);
    buf_free(&bytes);
}

 /*
  * Record headers, one byte at a time.
  */
typedef struct HDR_ROW {
    const char *label;
    const char *bytes;
    size_t  len;
    int     want;                       /* header length, or QUEUE_FILE_HDR_* */
    int     want_type;
    size_t  want_payload;
} HDR_ROW;

static const HDR_ROW hdr_rows[] = {
    {"empty payload", TAIL("E\x00"), 2, 'E', 0},
    {"one-byte length", TAIL("R\x7f"), 2, 'R', 127},
    {"two-byte length", TAIL("R\x80\x01"), 3, 'R', 128},
    {"64 KiB", TAIL("D\x80\x80\x04"), 4, 'D', 65536},
    {"16 MiB exactly", TAIL("D\x80\x80\x80\x08"), 5, 'D', 16 * 1024 * 1024},
    {"16 MiB plus one", TAIL("D\x81\x80\x80\x08"), QUEUE_FILE_HDR_TOOLONG, 0, 0},
    {"five-byte length", TAIL("D\x80\x80\x80\x80\x00"), QUEUE_FILE_HDR_BAD, 0, 0},
    {"six-byte length", TAIL("D\x80\x80\x80\x80\x80"), QUEUE_FILE_HDR_BAD, 0, 0},
    {"non-minimal", TAIL("R\x81\x00"), QUEUE_FILE_HDR_BAD, 0, 0},
    {"largest 5-byte value", TAIL("R\xff\xff\xff\xff\x7f"), QUEUE_FILE_HDR_TOOLONG, 0, 0},
};

static void hdr_run(void)
{
    char    label[256];
    size_t  plen;
    int     type;
    int     got;
    int     early = 0;

    for (size_t i = 0; i < sizeof(hdr_rows) / sizeof(hdr_rows[0]); i++) {
        const HDR_ROW *row = hdr_rows + i;

        early = 0;
        for (size_t n = 0; n < row->len; n++)
            if (queue_file_decode_header(row->bytes, n, &type, &plen) != 0)
                early++;
        snprintf(label, sizeof(label), "%s: needs more until complete", row->label);
        harness_inteq(label, early, 0);
        got = queue_file_decode_header(row->bytes, row->len, &type, &plen);
        snprintf(label, sizeof(label), "%s: result", row->label);
        harness_inteq(label, got, row->want);
        if (row->want > 0) {
            snprintf(label, sizeof(label), "%s: type and length", row->label);
            harness_check(type == row->want_type && plen == row->want_payload,
                          label, "type %d, length %zu", type, plen);
        }
    }
    harness_log_check("headers log nothing", 0);
}

 /*
  * Failures.
  */

/* fail_entries - names in a directory, "." and ".." aside */

static int fail_entries(const char *dir, BUF *names)
{
    DIR    *dp = opendir(dir);
    struct dirent *de;
    int     n = 0;

    buf_reset(names);
    if (dp == 0)
        return (-1);
    while ((de = readdir(dp)) != 0) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        buf_printf(names, "%s%s", n ? " " : "", de->d_name);
        n++;
    }
    closedir(dp);
    return (n);
}

/* fail_big_message - write until the file system says no */

static int fail_big_message(const char *dir, int *first_errno, int *sticky)
{
    QUEUE_FILE *qf = queue_file_create(dir);
    struct timeval tv = {1795000000, 0};
    char    block[4096];
    char    id[QUEUE_ID_SIZE];
    int     status = 0;
    int     err;

    *first_errno = 0;
    *sticky = 1;
    if (qf == 0) {
        *first_errno = errno;
        return (-1);
    }
    memset(block, 'x', sizeof(block));
    block[sizeof(block) - 1] = '\n';
    queue_file_add_time(qf, &tv);
    queue_file_add_sender(qf, "a@example.com");
    queue_file_add_rcpt(qf, "b@example.com", 0);
    queue_file_begin_content(qf);
    for (int i = 0; i < 128; i++) {
        if (queue_file_write_content(qf, block, sizeof(block)) < 0) {
            err = errno;
            if (*first_errno == 0)
                *first_errno = err;
            else if (err != *first_errno)
                *sticky = 0;
            status = -1;
        } else if (status < 0) {
            *sticky = 0;                /* success after a failure */
        }
    }
    queue_file_end_content(qf);
    status = queue_file_commit(qf, id);
    err = errno;
    if (*first_errno == 0 && status < 0)
        *first_errno = err;
    else if (status < 0 && err != *first_errno)
        *sticky = 0;
    return (status);
}

static void fail_fsize(void)
{
    struct rlimit old;
    struct rlimit small;
    BUF    *names = buf_new(64);
    int     err;
    int     sticky;
    int     status;

    /* A file size limit fails writes with EFBIG, like a full disk. */
    signal(SIGXFSZ, SIG_IGN);
    getrlimit(RLIMIT_FSIZE, &old);
    small = old;
    small.rlim_cur = 100 * 1024;
    if (setrlimit(RLIMIT_FSIZE, &small) < 0)
        msg_fatal("setrlimit: %m");
    status = fail_big_message(QDIR, &err, &sticky);
    setrlimit(RLIMIT_FSIZE, &old);
    harness_check(status < 0 && err == EFBIG, "file size limit: commit fails with EFBIG",
                  "status %d, errno %s", status, strerror(err));
    harness_check(sticky, "file size limit: the error is sticky", "errno changed");
    harness_inteq("file size limit: nothing left in the directory",
                  fail_entries(QDIR, names), 0);
    buf_free(&names);
}

static void fail_full_disk(void)
{
    BUF    *names = buf_new(64);
    int     err;
    int     sticky;
    int     status;

    if (mkdir("full", 0700) < 0)
        msg_fatal("mkdir full: %m");
    if (mount("tmpfs", "full", "tmpfs", 0, "size=64k,mode=0700") < 0) {
        printf("# skip full disk: mount tmpfs: %s\n", strerror(errno));
        (void) rmdir("full");
        buf_free(&names);
        return;
    }
    status = fail_big_message("full", &err, &sticky);
    harness_check(status < 0 && err == ENOSPC, "full disk: commit fails with ENOSPC",
                  "status %d, errno %s", status, strerror(err));
    harness_check(sticky, "full disk: the error is sticky", "errno changed");
    harness_inteq("full disk: nothing left in the directory",
                  fail_entries("full", names), 0);
    if (umount2("full", MNT_DETACH) < 0)
        msg_fatal("umount full: %m");
    (void) rmdir("full");
    buf_free(&names);
}

/*
 * Misuse: each row brings the writer into a state (setup) and makes a
 * call that is a bug there; msg_panic() must stop it.
 */
typedef struct MISUSE_ROW {
    const char *label;
    void    (*setup) (QUEUE_FILE *qf);
    void    (*op) (QUEUE_FILE *qf);
    const char *want_log;
} MISUSE_ROW;

static void misuse_begin(QUEUE_FILE *qf)
{
    (void) queue_file_begin_content(qf);
}

static void misuse_sender(QUEUE_FILE *qf)
{
    (void) queue_file_add_sender(qf, "b@example.com");
}

static void misuse_time(QUEUE_FILE *qf)
{
    struct timeval tv = {1, 0};

    (void) queue_file_add_time(qf, &tv);
}

static void misuse_rcpt(QUEUE_FILE *qf)
{
    (void) queue_file_add_rcpt(qf, "c@example.com", 0);
}

static void misuse_empty_rcpt(QUEUE_FILE *qf)
{
    (void) queue_file_add_rcpt(qf, "", 0);
}

static void misuse_bad_attr(QUEUE_FILE *qf)
{
    (void) queue_file_add_attr(qf, "a=b", "c");
}

static void misuse_commit(QUEUE_FILE *qf)
{
    char    id[QUEUE_ID_SIZE];

    (void) queue_file_commit(qf, id);
}

static const MISUSE_ROW misuse_rows[] = {
    {"content before the sender", 0, misuse_begin, "begin_content: no sender"},
    {"second arrival time", 0, misuse_time, "arrival time already set"},
    {"empty recipient", 0, misuse_empty_rcpt, "empty recipient"},
    {"attribute name with =", 0, misuse_bad_attr, "bad attribute name"},
    {"second sender", misuse_sender, misuse_sender, "sender already set"},
    {"commit in the envelope", 0, misuse_commit, "called in the envelope section"},
    {"recipient in the content", misuse_begin, misuse_rcpt,
    "called in the content section"},
    {"commit in the content", 0, misuse_commit, "called in the content section"},
};

static int misuse_catch(void (*op) (QUEUE_FILE *), QUEUE_FILE *qf)
{
    return (HARNESS_CATCH(op(qf)));
}

static void fail_misc(void)
{
    QUEUE_FILE *qf;
    QUEUE_FILE *rd;
    BUF    *names = buf_new(64);
    BUF    *path = buf_new(64);
    BUF    *why = buf_new(64);
    struct timeval tv = {1795000000, 0};
    char    id[QUEUE_ID_SIZE];
    char    first_id[QUEUE_ID_SIZE];
    char    text[16];
    int     fd;
    ssize_t n;

    errno = 0;
    qf = queue_file_create("no-such-dir");
    harness_check(qf == 0 && errno == ENOENT, "create in a missing directory",
                  "%p, %m", (void *) qf);

    qf = queue_file_create(QDIR);
    queue_file_add_time(qf, &tv);
    queue_file_add_sender(qf, "a@example.com");
    harness_inteq("abort: a temporary file while writing", fail_entries(QDIR, names), 1);
    harness_check(names->data[0] == '.' && !queue_id_valid(names->data),
                  "abort: its name is no queue ID", "%s", names->data);
    queue_file_abort(&qf);
    harness_check(qf == 0, "abort clears the pointer", "%p", (void *) qf);
    harness_inteq("abort: nothing left", fail_entries(QDIR, names), 0);

    /* A file that already has the ID is never replaced. */
    qf = queue_file_create(QDIR);
    memcpy(first_id, queue_file_id(qf), QUEUE_ID_SIZE);
    buf_printf(path, QDIR "/%s", first_id);
    if ((fd = open(path->data, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0
        || write(fd, "other", 5) != 5)
        msg_fatal("create %s: %m", path->data);
    (void) close(fd);
    queue_file_add_time(qf, &tv);
    queue_file_add_sender(qf, "a@example.com");
    queue_file_add_rcpt(qf, "b@example.com", 0);
    queue_file_begin_content(qf);
    queue_file_end_content(qf);
    harness_inteq("name clash: commit", queue_file_commit(qf, id), 0);
    harness_check(strcmp(id, first_id) != 0 && queue_id_valid(id),
                  "name clash: a new ID", "%s vs %s", id, first_id);
    fd = open(path->data, O_RDONLY);
    n = fd < 0 ? -1 : read(fd, text, sizeof(text));
    harness_check(n == 5 && memcmp(text, "other", 5) == 0,
                  "name clash: the other file is intact", "read %ld", (long) n);
    if (fd >= 0)
        (void) close(fd);
    harness_check(queue_file_open(path->data, QUEUE_FILE_READ, &rd, why) < 0
                  && strcmp(why->data, "unknown record type 'o' at offset 0") == 0,
                  "name clash: the other file is not a queue file", "%s", why->data);
    (void) unlink(path->data);
    buf_reset(path);
    buf_printf(path, QDIR "/%s", id);
    harness_check(queue_file_open(path->data, QUEUE_FILE_READ, &rd, why) == 0,
                  "name clash: the new file is good", "%s", why->data);
    queue_file_close(&rd);
    (void) unlink(path->data);

    harness_check(queue_file_mark_tried(QDIR "/no-such-file") < 0 && errno == ENOENT,
                  "mark a missing file tried", "%m");
    harness_check(queue_file_open(QDIR "/no-such-file", QUEUE_FILE_READ, &rd, why) < 0
                  && errno == ENOENT && rd == 0, "open a missing file", "%m");
    harness_streq("open a missing file: reason", why->data, "No such file or directory");
    harness_check(queue_file_open(QDIR, QUEUE_FILE_READ, &rd, why) < 0
                  && errno == EBADMSG, "open a directory", "%m");
    harness_streq("open a directory: reason", why->data, "not a regular file");
    harness_log_check("failures log nothing", 0);

    /* Calls out of order are bugs. */
    qf = queue_file_create(QDIR);
    queue_file_add_time(qf, &tv);
    for (size_t i = 0; i < sizeof(misuse_rows) / sizeof(misuse_rows[0]); i++) {
        const MISUSE_ROW *row = misuse_rows + i;

        if (row->setup)
            row->setup(qf);
        harness_check(misuse_catch(row->op, qf), row->label, "no panic");
        harness_log_check(row->label, row->want_log);
    }
    queue_file_abort(&qf);
    harness_inteq("misuse: nothing left", fail_entries(QDIR, names), 0);
    buf_free(&why);
    buf_free(&path);
    buf_free(&names);
}

/* scratch_remove - remove the scratch tree */

static void scratch_remove(const char *top)
{
    BUF    *names = buf_new(64);
    BUF    *path = buf_new(64);

    if (fail_entries(QDIR, names) > 0) {
        char   *save = 0;

        for (char *n = strtok_r(names->data, " ", &save); n; n = strtok_r(0, " ", &save)) {
            buf_reset(path);
            buf_printf(path, QDIR "/%s", n);
            (void) unlink(path->data);
        }
    }
    (void) rmdir(QDIR);
    if (chdir("/") < 0 || rmdir(top) < 0)
        printf("# cannot remove %s: %s\n", top, strerror(errno));
    buf_free(&path);
    buf_free(&names);
}

int     main(void)
{
    char    top[] = "/tmp/queue_file_test.XXXXXX";

    harness_init("queue_file_test");
    if (mkdtemp(top) == 0 || chdir(top) < 0 || mkdir(QDIR, 0700) < 0)
        msg_fatal("scratch directory %s: %m", top);
    hdr_run();
    rt_run();
    cf_run();
    fail_misc();
    fail_fsize();
    fail_full_disk();
    scratch_remove(top);
    return (harness_done());
}

/* NAME
 *	cidr 3
 * SUMMARY
 *	IPv4 and IPv6 address prefixes: parse and match
 * DESCRIPTION
 *	Each prefix is kept as its address bytes (host bits zero, which
 *	cidr_list_add() insists on) and its length in bits; a match
 *	compares the whole bytes with memcmp() and the last partial byte
 *	under a mask. Addresses are parsed with inet_pton(3), so only the
 *	strict numeric forms are accepted (no "10.1", no octal).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "cidr.h"
#include "mem.h"

#define CIDR_TEXT_MAX   128             /* longer patterns are not addresses */

typedef struct CIDR_ENTRY {
    int     family;                     /* AF_INET or AF_INET6 */
    int     bits;                       /* prefix length */
    unsigned char addr[16];             /* host bits zero */
} CIDR_ENTRY;

struct CIDR_LIST {
    CIDR_ENTRY *entries;
    size_t  count;
    size_t  cap;
};

CIDR_LIST *cidr_list_new(void)
{
    CIDR_LIST *list = mem_alloc(sizeof(*list));

    list->count = 0;
    list->cap = 4;
    list->entries = mem_alloc(list->cap * sizeof(*list->entries));
    return (list);
}

void    cidr_list_free(CIDR_LIST **listp)
{
    if (*listp == 0)
        return;
    mem_free((*listp)->entries);
    mem_free(*listp);
    *listp = 0;
}

/* cidr_addr_len - address length in bytes of a family */

static size_t cidr_addr_len(int family)
{
    return (family == AF_INET ? 4 : 16);
}

/* cidr_mask - clear the bits of addr past the first bits */

static void cidr_mask(unsigned char *addr, size_t len, int bits)
{
    size_t  i = (size_t) bits / 8;

    if (i < len && bits % 8 != 0)
        addr[i++] &= (unsigned char) (0xff << (8 - bits % 8));
    for (; i < len; i++)
        addr[i] = 0;
}

/* cidr_prefix_match - does addr (same family) fall in the prefix? */

static int cidr_prefix_match(const CIDR_ENTRY *e, const unsigned char *addr)
{
    size_t  whole = (size_t) e->bits / 8;
    int     rest = e->bits % 8;
    unsigned char mask;

    if (memcmp(e->addr, addr, whole) != 0)
        return (0);
    if (rest == 0)
        return (1);
    mask = (unsigned char) (0xff << (8 - rest));
    return ((addr[whole] & mask) == e->addr[whole]);
}

/* cidr_mapped_v4 - is a 16-byte address ::ffff:a.b.c.d? */

static int cidr_mapped_v4(const unsigned char *addr)
{
    static const unsigned char prefix[12] = {
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
    };

    return (memcmp(addr, prefix, sizeof(prefix)) == 0);
}

/* cidr_pton - inet_pton() into a zeroed 16-byte buffer, family from text */

static int cidr_pton(const char *text, unsigned char addr[16], int *family_r)
{
    int     family = strchr(text, ':') ? AF_INET6 : AF_INET;

    memset(addr, 0, 16);
    if (inet_pton(family, text, addr) != 1)
        return (-1);
    *family_r = family;
    return (0);
}

int     cidr_parse_addr(const char *text, unsigned char addr[16], int *family_r)
{
    char    copy[CIDR_TEXT_MAX];
    size_t  len = strlen(text);

    if (len >= sizeof(copy))
        return (-1);
    if (text[0] == '[') {
        if (len < 2 || text[len - 1] != ']')
            return (-1);
        memcpy(copy, text + 1, len - 2);
        copy[len - 2] = 0;
    } else {
        memcpy(copy, text, len + 1);
    }
    return (cidr_pton(copy, addr, family_r));
}

/*
 * cidr_split - take "[addr]/len", "[addr/len]", "[addr]", "addr/len" or
 * "addr" apart into addr and len (NULL when there is no "/"), in place.
 */
static int cidr_split(char *copy, char **addr_r, char **len_r)
{
    char   *close;
    char   *slash;

    if (copy[0] == '[') {
        if ((close = strchr(copy, ']')) == 0)
            return (-1);
        *close = 0;
        *addr_r = copy + 1;
        if (close[1] == '/') {
            *len_r = close + 2;
            return (strchr(*addr_r, '/') ? -1 : 0);
        }
        if (close[1] != 0)
            return (-1);
    } else {
        *addr_r = copy;
    }
    if ((slash = strchr(*addr_r, '/')) != 0) {
        *slash = 0;
        *len_r = slash + 1;
    } else {
        *len_r = 0;
    }
    return (0);
}

/* cidr_parse_len - prefix length: digits only, at most max */

static int cidr_parse_len(const char *text, int max, int *bits_r)
{
    int     bits = 0;

    if (*text == 0)
        return (-1);
    for (; *text; text++) {
        if (*text < '0' || *text > '9')
            return (-1);
        bits = bits * 10 + (*text - '0');
        if (bits > 1000)                /* out of range already; no overflow */
            bits = 1000;
    }
    *bits_r = bits;
    return (bits <= max ? 0 : -2);
}

/* cidr_host_bits_why - explain host bits and name the likely prefix */

static void cidr_host_bits_why(BUF *why, const char *pattern,
                               const CIDR_ENTRY *e)
{
    unsigned char net[16];
    char    text[INET6_ADDRSTRLEN];

    memcpy(net, e->addr, sizeof(net));
    cidr_mask(net, cidr_addr_len(e->family), e->bits);
    if (inet_ntop(e->family, net, text, sizeof(text)) == 0)
        snprintf(text, sizeof(text), "?");
    buf_printf(why, "non-null host address bits in \"%s\", "
               "perhaps you mean \"%s%s%s/%d\"", pattern,
               e->family == AF_INET6 && pattern[0] == '[' ? "[" : "", text,
               e->family == AF_INET6 && pattern[0] == '[' ? "]" : "", e->bits);
}

int     cidr_list_add(CIDR_LIST *list, const char *pattern, BUF *why)
{
    char    copy[CIDR_TEXT_MAX];
    char   *addr_text;
    char   *len_text;
    CIDR_ENTRY e;
    unsigned char net[16];
    int     max;
    int     status;

#define CIDR_WHY(...) do { if (why) buf_printf(why, __VA_ARGS__); } while (0)

    if (strlen(pattern) >= sizeof(copy)) {
        CIDR_WHY("bad address pattern: \"%.40s...\"", pattern);
        return (-1);
    }
    strcpy(copy, pattern);
    if (cidr_split(copy, &addr_text, &len_text) < 0
        || cidr_pton(addr_text, e.addr, &e.family) < 0) {
        CIDR_WHY("bad address pattern: \"%s\"", pattern);
        return (-1);
    }
    max = e.family == AF_INET ? 32 : 128;
    e.bits = max;
    if (len_text && (status = cidr_parse_len(len_text, max, &e.bits)) < 0) {
        if (status == -1)
            CIDR_WHY("bad prefix length in \"%s\": \"%s\" is not a number",
                     pattern, len_text);
        else
            CIDR_WHY("prefix length out of range in \"%s\": %s is more than %d",
                     pattern, len_text, max);
        return (-1);
    }
    memcpy(net, e.addr, sizeof(net));
    cidr_mask(net, cidr_addr_len(e.family), e.bits);
    if (memcmp(net, e.addr, sizeof(net)) != 0) {
        if (why)
            cidr_host_bits_why(why, pattern, &e);
        return (-1);
    }
    if (list->count >= list->cap) {
        list->cap *= 2;
        list->entries = mem_realloc(list->entries,
                                    list->cap * sizeof(*list->entries));
    }
    list->entries[list->count++] = e;
    return (0);
}

int     cidr_list_match(const CIDR_LIST *list, const char *addr)
{
    unsigned char bytes[16];
    int     family;
    int     mapped;

    if (cidr_parse_addr(addr, bytes, &family) < 0)
        return (0);
    mapped = family == AF_INET6 && cidr_mapped_v4(bytes);
    for (size_t i = 0; i < list->count; i++) {
        const CIDR_ENTRY *e = list->entries + i;

        if (e->family == family && cidr_prefix_match(e, bytes))
            return (1);
        if (mapped && e->family == AF_INET && cidr_prefix_match(e, bytes + 12))
            return (1);
    }
    return (0);
}

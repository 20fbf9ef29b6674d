/* NAME
 *	mail_addr_find 3
 * SUMMARY
 *	address lookups in Postfix's order
 * DESCRIPTION
 *	See mail_addr_find(3h).
 * CONFIGURATION PARAMETERS
 *	recipient_delimiter, owner_request_special, mydestination (through
 *	resolve_local(3h)).
 */
#include <string.h>

#include "buf.h"
#include "config.h"
#include "mail_addr_find.h"
#include "mem.h"
#include "resolve_local.h"

/* mail_addr_find_extension - where the extension starts in local, or NULL */

const char *mail_addr_find_extension(const char *local, size_t len)
{
    const char *delims = config_str(P_RECIPIENT_DELIMITER);
    const char *cp;

    if (*delims == 0)
        return NULL;
    if (strchr(delims, '-') && config_bool(P_OWNER_REQUEST_SPECIAL)
        && (strncasecmp(local, "owner-", 6) == 0
            || (len > 8 && strncasecmp(local + len - 8, "-request", 8) == 0)))
        return NULL;
    for (cp = local + 1; cp < local + len; cp++)
        if (strchr(delims, *cp))
            return cp;
    return NULL;
}

/* mail_addr_find_key - one lookup; 1 found, 0 not, -1 error */

static int mail_addr_find_key(MAPS *maps, BUF *key, int flags, const char **value_r)
{
    *value_r = maps_find(maps, BUF_STR(key), flags);
    if (*value_r != NULL)
        return 1;
    return maps_error(maps) ? -1 : 0;
}

const char *mail_addr_find(MAPS *maps, const char *address, char **extension_r)
{
    const char *at = strrchr(address, '@');
    size_t  local_len = at ? (size_t) (at - address) : strlen(address);
    const char *ext = mail_addr_find_extension(address, local_len);
    size_t  user_len = ext ? (size_t) (ext - address) : local_len;
    const char *value = NULL;
    BUF    *key = buf_new(strlen(address) + 2);
    int     status;
    int     local;
    int     found_without_ext = 0;

    if (extension_r)
        *extension_r = NULL;
    maps_set_error(maps, 0);

    /* 1. The address as given. */
    buf_set(key, address);
    if ((status = mail_addr_find_key(maps, key, 0, &value)) != 0)
        goto done;

    /* 2. user@domain without the extension. */
    if (ext && at) {
        buf_reset(key);
        buf_append(key, address, user_len);
        buf_puts(key, at);
        if ((status = mail_addr_find_key(maps, key, MAPS_FIND_FIXED, &value)) != 0) {
            found_without_ext = 1;
            goto done;
        }
    }

    /* 3. The local part alone, for local domains. */
    if (at && at[1]) {
        if ((local = resolve_local_domain(at + 1)) < 0) {
            maps_set_error(maps, 1);
            status = -1;
            goto done;
        }
    } else {
        local = 1;
    }
    if (local) {
        if (at) {
            buf_reset(key);
            buf_append(key, address, local_len);
            if ((status = mail_addr_find_key(maps, key, MAPS_FIND_FIXED, &value)) != 0)
                goto done;
        }
        if (ext) {
            buf_reset(key);
            buf_append(key, address, user_len);
            if ((status = mail_addr_find_key(maps, key, MAPS_FIND_FIXED, &value)) != 0) {
                found_without_ext = 1;
                goto done;
            }
        }
    }

    /* 4. @domain. */
    if (at && at[1]) {
        buf_set(key, at);
        status = mail_addr_find_key(maps, key, MAPS_FIND_FIXED, &value);
    }

done:
    if (value != NULL && found_without_ext && extension_r)
        *extension_r = mem_strndup(ext, local_len - user_len);
    buf_free(&key);
    return value;
}

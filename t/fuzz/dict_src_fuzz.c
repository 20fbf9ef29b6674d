/* NAME
 *	dict_src_fuzz 1
 * SUMMARY
 *	libFuzzer target for lookup-table source parsers
 * DESCRIPTION
 *	The input is a table source file as an administrator might write
 *	it. It is parsed by dict_src(3) in table and in alias syntax and,
 *	with braces around it, as an inline: table. Besides the sanitizers,
 *	it checks that every entry dict_src returns has a non-empty key and
 *	a non-empty value without leading or trailing whitespace, and that
 *	a table key has no whitespace in it.
 *
 *	build/fuzz/dict_src_fuzz -max_total_time=60 (make fuzz builds it).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dict.h"
#include "dict_src.h"
#include "msg.h"

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) do { \
        if (!(cond)) { \
            fprintf(stderr, "dict_src_fuzz: check failed: %s\n", #cond); \
            abort(); \
        } \
    } while (0)

static void fuzz_ignore(int level, const char *text)
{
    (void) level;
    (void) text;
}

static void fuzz_entry(const char *key, const char *value, int lineno, void *context)
{
    int     alias = *(int *) context;
    size_t  vlen = strlen(value);
    const char *cp;

    FUZZ_CHECK(lineno > 0);
    FUZZ_CHECK(*key != 0);
    FUZZ_CHECK(vlen > 0);
    FUZZ_CHECK(!isspace((unsigned char) value[0]));
    FUZZ_CHECK(!isspace((unsigned char) value[vlen - 1]));
    if (!alias)
        for (cp = key; *cp; cp++)
            FUZZ_CHECK(!isspace((unsigned char) *cp));
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    BUF    *spec;
    DICT   *dict;
    FILE   *fp;
    int     alias;
    const char *value;

    if (!init) {
        msg_init("dict_src_fuzz");
        msg_set_capture(fuzz_ignore);
        init = 1;
    }
    for (alias = 0; alias <= 1; alias++) {
        if (size == 0 || (fp = fmemopen((void *) data, size, "r")) == NULL)
            break;
        (void) dict_src_read(fp, "fuzz", alias ? DICT_SRC_ALIAS : 0, fuzz_entry, &alias);
        fclose(fp);
    }
    spec = buf_new(size + 16);
    buf_puts(spec, "inline:{");
    buf_append(spec, data, size);
    buf_puts(spec, "}");
    if (memchr(data, 0, size) == NULL) {
        dict = dict_open(BUF_STR(spec), DICT_FLAG_FOLD_FIX);
        (void) dict_lookup(dict, "a", &value);
        dict_close(&dict);
    }
    buf_free(&spec);
    return 0;
}

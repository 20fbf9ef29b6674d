/* NAME
 *	param 3h
 * SUMMARY
 *	parameter definitions and value syntax
 * DESCRIPTION
 *	The parameter table (param_list.h) as data, plus the parsers for
 *	typed values: booleans (yes/no), integers, sizes, and times with
 *	an optional unit (s, m, h, d, w; the parameter's default unit
 *	applies when there is none).
 *
 *	Flags: PARAM_COMPUTED (the default is worked out at run time),
 *	PARAM_LEGACY (an old name, known so that defaults may refer to it,
 *	but not listed by postconf), PARAM_RAW (a value expanded later with
 *	per-message names such as $home, never by the configuration),
 *	PARAM_READONLY (set by the program itself; main.cf cannot set it).
 *
 *	param_default() gives a computed default without looking at main.cf
 *	(postconf -d). Where main.cf matters, as with Postfix, callers use
 *	param_hostname() (gethostname(), qualified with mydomain when set,
 *	else with "localdomain") and param_domain() (myhostname minus its
 *	first label).
 */
#ifndef PARAM_H
#define PARAM_H

typedef enum PARAM_TYPE {
    PARAM_STR, PARAM_LIST, PARAM_INT, PARAM_BOOL, PARAM_TIME, PARAM_SIZE,
} PARAM_TYPE;

#define PARAM_COMPUTED  (1<<0)          /* default computed at run time */
#define PARAM_LEGACY    (1<<1)          /* known, but not listed */
#define PARAM_RAW       (1<<2)          /* value never $name-expanded */
#define PARAM_READONLY  (1<<3)          /* set by the program, not main.cf */

typedef struct PARAM_DEF {
    const char *name;
    PARAM_TYPE type;
    int     flags;
    const char *def;                    /* raw default, not expanded */
    const char *doc;
} PARAM_DEF;

#define PARAM(id, type, flags, name, def, doc) P_##id,
typedef enum PARAM_ID {
#include "param_list.h"
    PARAM_COUNT
} PARAM_ID;
#undef PARAM

extern const PARAM_DEF param_table[PARAM_COUNT];

extern const PARAM_DEF *param_find(const char *name);
extern const char *param_default(const PARAM_DEF *def);
extern char *param_hostname(const char *domain);
extern const char *param_domain(const char *hostname);
extern const char *param_type_name(PARAM_TYPE type);
extern int param_parse_bool(const char *value, int *result);
extern int param_parse_int(const char *value, long *result);
extern int param_parse_time(const char *value, int default_unit, long *seconds);
extern int param_time_unit(const PARAM_DEF *def);

#endif

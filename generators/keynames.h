/* keynames.h: the strings that identify key k in each dialect.
 *
 * A group of PLAN_GROUP_KEYS keys shares one test file; within it, key k is
 * function (k mod 40) / 4 run with parameter (k mod 40) mod 4. Group g names
 * its file from a feature and a topic word list (g mod 12, g / 12 mod 24) and,
 * from the 289th group on, a series number; function names are distinct within
 * a file. So every key is distinct by construction, in every dialect, and no
 * name depends on anything but k and the module.
 *
 *   pytest   file="data_plane/tests/<module>/<feature>/test_<topic>.py"
 *            classname="data_plane.tests.<module>.<feature>.test_<topic>"
 *            name="test_<verb>_<noun>[<kind>-<p>]"
 *   surefire classname="com.acme.dataplane.<module>.<feature>.<Topic>Test"
 *            name="<verb><Noun>[<p>: <kind>]"
 *   gotest   classname="github.com/acme/dataplane/<module>/<feature>/<topic>"
 *            name="Test<Verb><Noun>/<kind>_<p>" */
#ifndef JUNITGEN_KEYNAMES_H
#define JUNITGEN_KEYNAMES_H

#include <stddef.h>
#include <stdint.h>

#include "junitgen.h"

struct key_names {
    /* per group */
    char file[224];          /* pytest's file attribute; empty for the others */
    char classname[224];
    char source[64];         /* base name of the source file: test_vip.py, VipTest.java */
    size_t file_len, classname_len;
    /* per key */
    char name[112];
    char func[80];           /* the test function or method, without parameters */
    char param[24];          /* the parameter kind, e.g. "ipv6" */
    size_t name_len;
    unsigned line;           /* first line of the test function in its source */
};

void key_names_group(enum junitgen_dialect d, const char *module, uint64_t group,
                     struct key_names *kn);
void key_names_key(enum junitgen_dialect d, uint64_t key, struct key_names *kn);

/* A word for messages and logs, chosen by n. */
const char *key_names_noun(uint64_t n);

#endif

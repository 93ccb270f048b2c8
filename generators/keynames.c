/* keynames.c: realistic, distinct test identities built from word lists. */
#include "keynames.h"

#include <string.h>

#include "plan.h"
#include "xmlout.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const features[] = {
    "failover", "vrrp", "bfd", "lacp", "conntrack", "keepalive",
    "split_brain", "state_sync", "fencing", "quorum", "upgrade", "routing",
};
static const char *const topics[] = {
    "vip", "heartbeat", "preemption", "arp_announce", "session_table", "peer_link",
    "priority", "timers", "graceful_restart", "link_down", "node_reboot", "config_push",
    "health_check", "lease", "witness", "maintenance", "rollback", "bgp_session",
    "nat_pool", "firewall_state", "dhcp_relay", "vlan_trunk", "mtu", "ntp_drift",
};
static const char *const verbs[] = {
    "failover", "restore", "promote", "demote", "sync", "reconnect", "drain", "elect",
    "probe", "recover", "migrate", "flap", "partition", "rejoin", "withdraw", "announce",
};
static const char *const nouns[] = {
    "vip", "peer", "session", "route", "lease", "primary", "standby", "link",
    "table", "token", "quorum", "neighbor", "timer", "state", "config", "backup",
};
static const char *const kinds[] = {
    "ipv4", "ipv6", "dual-stack", "vlan", "bond", "jumbo", "tls", "mtu1500",
};

const char *key_names_noun(uint64_t n)
{
    return nouns[n % COUNT(nouns)];
}

/* A bounded string builder over a caller's array. */
struct sb {
    char *p;
    size_t n, cap;
};

static void put(struct sb *b, const char *s)
{
    size_t len = strlen(s);
    if (len > b->cap - 1 - b->n)
        len = b->cap - 1 - b->n;
    memcpy(b->p + b->n, s, len);
    b->n += len;
    b->p[b->n] = '\0';
}

static void put_u64(struct sb *b, uint64_t v)
{
    char digits[24];
    xo_format_u64(digits, v);
    put(b, digits);
}

static void put_char(struct sb *b, char c)
{
    if (b->n + 1 < b->cap) {
        b->p[b->n++] = c;
        b->p[b->n] = '\0';
    }
}

/* "state_sync" -> "StateSync", or "stateSync" when lower_first. */
static void put_camel(struct sb *b, const char *s, int lower_first)
{
    int upper = !lower_first;
    for (; *s; s++) {
        if (*s == '_' || *s == '-') {
            upper = 1;
            continue;
        }
        put_char(b, upper && *s >= 'a' && *s <= 'z' ? (char)(*s - 'a' + 'A') : *s);
        upper = 0;
    }
}

static struct sb sb_over(char *p, size_t cap)
{
    p[0] = '\0';
    return (struct sb){p, 0, cap};
}

/* The words that name group g's file, and its series (0 for the first
 * 12 * 24 groups, which need no number). */
struct group_words {
    const char *feature, *topic;
    uint64_t series;
};

static struct group_words words_of(uint64_t group)
{
    struct group_words gw;
    gw.feature = features[group % COUNT(features)];
    gw.topic = topics[group / COUNT(features) % COUNT(topics)];
    gw.series = group / (COUNT(features) * COUNT(topics));
    return gw;
}

static void group_pytest(const char *module, struct group_words gw, struct key_names *kn)
{
    struct sb file = sb_over(kn->file, sizeof kn->file);
    struct sb cls = sb_over(kn->classname, sizeof kn->classname);
    struct sb src = sb_over(kn->source, sizeof kn->source);
    put(&src, "test_");
    put(&src, gw.topic);
    if (gw.series) {
        put_char(&src, '_');
        put_u64(&src, gw.series + 1);
    }
    put(&cls, "data_plane.tests.");
    put(&cls, module);
    put_char(&cls, '.');
    put(&cls, gw.feature);
    put_char(&cls, '.');
    put(&cls, kn->source);
    put(&file, "data_plane/tests/");
    put(&file, module);
    put_char(&file, '/');
    put(&file, gw.feature);
    put_char(&file, '/');
    put(&file, kn->source);
    put(&file, ".py");
    put(&src, ".py");
    kn->file_len = file.n;
    kn->classname_len = cls.n;
}

static void group_surefire(const char *module, struct group_words gw, struct key_names *kn)
{
    struct sb cls = sb_over(kn->classname, sizeof kn->classname);
    struct sb src = sb_over(kn->source, sizeof kn->source);
    kn->file[0] = '\0';
    put_camel(&src, gw.topic, 0);
    if (gw.series)
        put_u64(&src, gw.series + 1);
    put(&src, "Test");
    put(&cls, "com.acme.dataplane.");
    put(&cls, module);
    put_char(&cls, '.');
    put(&cls, gw.feature);
    put_char(&cls, '.');
    put(&cls, kn->source);
    put(&src, ".java");
    kn->file_len = 0;
    kn->classname_len = cls.n;
}

static void group_gotest(const char *module, struct group_words gw, struct key_names *kn)
{
    struct sb cls = sb_over(kn->classname, sizeof kn->classname);
    struct sb src = sb_over(kn->source, sizeof kn->source);
    kn->file[0] = '\0';
    put(&cls, "github.com/acme/dataplane/");
    put(&cls, module);
    put_char(&cls, '/');
    put(&cls, gw.feature);
    put_char(&cls, '/');
    put(&cls, gw.topic);
    if (gw.series)
        put_u64(&cls, gw.series + 1);
    put(&src, gw.topic);
    put(&src, "_test.go");
    kn->file_len = 0;
    kn->classname_len = cls.n;
}

void key_names_group(enum junitgen_dialect d, const char *module, uint64_t group,
                     struct key_names *kn)
{
    struct group_words gw = words_of(group);
    switch (d) {
    case JUNITGEN_PYTEST: group_pytest(module, gw, kn); break;
    case JUNITGEN_SUREFIRE: group_surefire(module, gw, kn); break;
    case JUNITGEN_GOTEST: group_gotest(module, gw, kn); break;
    }
}

void key_names_key(enum junitgen_dialect d, uint64_t key, struct key_names *kn)
{
    uint64_t group = key / PLAN_GROUP_KEYS;
    unsigned in_group = (unsigned)(key % PLAN_GROUP_KEYS);
    unsigned f = in_group / PLAN_GROUP_PARAMS, p = in_group % PLAN_GROUP_PARAMS;
    /* Distinct verbs for the functions of one file keep their names distinct. */
    const char *verb = verbs[(f + group) % COUNT(verbs)];
    const char *noun = nouns[(5 * f + 3 * group) % COUNT(nouns)];
    const char *kind = kinds[(f + group) % COUNT(kinds)];
    struct sb func = sb_over(kn->func, sizeof kn->func);
    struct sb name = sb_over(kn->name, sizeof kn->name);

    kn->line = 24 + 37 * f;
    strcpy(kn->param, kind);
    if (d == JUNITGEN_PYTEST) {            /* test_<verb>_<noun>[<kind>-<p>] */
        put(&func, "test_");
        put(&func, verb);
        put_char(&func, '_');
        put(&func, noun);
        put(&name, kn->func);
        put_char(&name, '[');
        put(&name, kind);
        put_char(&name, '-');
        put_u64(&name, p);
        put_char(&name, ']');
    } else if (d == JUNITGEN_SUREFIRE) {   /* <verb><Noun>[<p>: <kind>] */
        put(&func, verb);
        put_camel(&func, noun, 0);
        put(&name, kn->func);
        put_char(&name, '[');
        put_u64(&name, p);
        put(&name, ": ");
        put(&name, kind);
        put_char(&name, ']');
    } else {                               /* Test<Verb><Noun>/<kind>_<p> */
        put(&func, "Test");
        put_camel(&func, verb, 0);
        put_camel(&func, noun, 0);
        put(&name, kn->func);
        put_char(&name, '/');
        put(&name, kind);
        put_char(&name, '_');
        put_u64(&name, p);
    }
    kn->name_len = name.n;
}

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
    char s[2] = {c, '\0'};
    put(b, s);
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

void key_names_group(enum junitgen_dialect d, const char *module, uint64_t group,
                     struct key_names *kn)
{
    const char *feature = features[group % COUNT(features)];
    const char *topic = topics[group / COUNT(features) % COUNT(topics)];
    uint64_t series = group / (COUNT(features) * COUNT(topics));
    struct sb file = sb_over(kn->file, sizeof kn->file);
    struct sb cls = sb_over(kn->classname, sizeof kn->classname);
    struct sb src = sb_over(kn->source, sizeof kn->source);

    switch (d) {
    case JUNITGEN_PYTEST:
        put(&src, "test_");
        put(&src, topic);
        if (series) {
            put_char(&src, '_');
            put_u64(&src, series + 1);
        }
        put(&cls, "data_plane.tests.");
        put(&cls, module);
        put_char(&cls, '.');
        put(&cls, feature);
        put_char(&cls, '.');
        put(&cls, kn->source);
        put(&file, "data_plane/tests/");
        put(&file, module);
        put_char(&file, '/');
        put(&file, feature);
        put_char(&file, '/');
        put(&file, kn->source);
        put(&file, ".py");
        put(&src, ".py");
        break;
    case JUNITGEN_SUREFIRE:
        put_camel(&src, topic, 0);
        if (series)
            put_u64(&src, series + 1);
        put(&src, "Test");
        put(&cls, "com.acme.dataplane.");
        put(&cls, module);
        put_char(&cls, '.');
        put(&cls, feature);
        put_char(&cls, '.');
        put(&cls, kn->source);
        put(&src, ".java");
        break;
    case JUNITGEN_GOTEST:
        put(&cls, "github.com/acme/dataplane/");
        put(&cls, module);
        put_char(&cls, '/');
        put(&cls, feature);
        put_char(&cls, '/');
        put(&cls, topic);
        if (series)
            put_u64(&cls, series + 1);
        put(&src, topic);
        put(&src, "_test.go");
        break;
    }
    kn->file_len = file.n;
    kn->classname_len = cls.n;
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
    switch (d) {
    case JUNITGEN_PYTEST:
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
        break;
    case JUNITGEN_SUREFIRE:
        put(&func, verb);
        put_camel(&func, noun, 0);
        put(&name, kn->func);
        put_char(&name, '[');
        put_u64(&name, p);
        put(&name, ": ");
        put(&name, kind);
        put_char(&name, ']');
        break;
    case JUNITGEN_GOTEST:
        put(&func, "Test");
        put_camel(&func, verb, 0);
        put_camel(&func, noun, 0);
        put(&name, kn->func);
        put_char(&name, '/');
        put(&name, kind);
        put_char(&name, '_');
        put_u64(&name, p);
        break;
    }
    kn->name_len = name.n;
}

/* messages.c: tracebacks and log lines from templates.
 *
 * Templates hold placeholders that expand from the test's names and the
 * occurrence's salt:  %f function  %k parameter kind  %c source file
 * %p file path or classname  %l a line in the test  %T topology
 * %n a number  %o an address octet  %x a hex address  %s a noun  %N the test name  %C classname
 * %H the headline  %% a percent sign. */
#include "messages.h"

#include <string.h>

#include "prng.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define UNICODE_MARK "\xc3\x9cn\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9 \xe2\x9c\x93"  /* Ünïcödé ✓ */

struct expander {
    const struct msg_ctx *m;
    struct prng r;
    const char *headline;    /* what %H expands to */
    size_t headline_len;
    char line[2048];
    size_t n;
};

static void emit(struct expander *e, const char *s, size_t len)
{
    if (len > sizeof e->line - e->n)
        len = sizeof e->line - e->n;
    memcpy(e->line + e->n, s, len);
    e->n += len;
}

static void emit_u64(struct expander *e, uint64_t v)
{
    char digits[24];
    emit(e, digits, xo_format_u64(digits, v));
}

static void emit_hex(struct expander *e, uint64_t v)
{
    static const char hex[] = "0123456789abcdef";
    char out[16];
    for (int i = 11; i >= 0; i--, v >>= 4)
        out[i] = hex[v & 15];
    emit(e, "0x7f", 4);
    emit(e, out + 2, 10);
}

static void expand(struct expander *e, const char *t)
{
    const struct key_names *kn = e->m->names;
    e->n = 0;
    for (;;) {
        const char *pct = strchr(t, '%');
        if (!pct) {
            emit(e, t, strlen(t));
            return;
        }
        emit(e, t, (size_t)(pct - t));
        const char *s = NULL;
        switch (pct[1]) {
        case 'f': s = kn->func; break;
        case 'k': s = kn->param; break;
        case 'c': s = kn->source; break;
        case 'p': s = kn->file_len ? kn->file : kn->classname; break;
        case 'C': s = kn->classname; break;
        case 'N': s = kn->name; break;
        case 'T': s = e->m->topology; break;
        case 's': s = key_names_noun(prng_next(&e->r)); break;
        case 'l': emit_u64(e, kn->line + 2 + prng_below(&e->r, 30)); break;
        case 'n': emit_u64(e, 1 + prng_below(&e->r, 9999)); break;
        case 'o': emit_u64(e, 1 + prng_below(&e->r, 254)); break;
        case 'x': emit_hex(e, prng_next(&e->r)); break;
        case 'H': emit(e, e->headline, e->headline_len); break;
        default: emit(e, "%", 1); break;
        }
        if (s)
            emit(e, s, strlen(s));
        t = pct + (pct[1] ? 2 : 1);
    }
}

/* --- headlines -------------------------------------------------------- */

static const char *const py_fail[] = {
    "AssertionError: expected state 'active' & got <standby> on vip \"10.0.%o.7\" \xe2\x80\x94 " UNICODE_MARK,
    "AssertionError: assert 'BACKUP' == 'MASTER' (peer \"node-%n\" <unreachable> & retried %n times) " UNICODE_MARK,
    "TimeoutError: %s on '%T' did not converge within %ns & <%k> stayed down \xe2\x80\x94 " UNICODE_MARK,
};
static const char *const py_error[] = {
    "failed on setup with \"ConnectionRefusedError: [Errno 111] <node-%n> refused & 'ssh' gave up\" " UNICODE_MARK,
    "failed on teardown with \"RuntimeError: fixture '%T' left %n <%s> entries & 'cleanup' failed\" " UNICODE_MARK,
};
static const char *const java_fail[] = {
    "expected:<active> but was:<standby> for vip \"10.0.%o.7\" & peer 'node-%n' \xe2\x80\x94 " UNICODE_MARK,
    "Timed out after %n ms waiting for <%s> on \"%T\" & '%k' \xe2\x80\x94 " UNICODE_MARK,
};
static const char *const java_error[] = {
    "Cluster \"%T\" is not ready: <node-%n> state 'SYNCING' & %n pending " UNICODE_MARK,
    "Connection refused: <node-%n>:%n & retry 'budget' exhausted \xe2\x80\x94 " UNICODE_MARK,
};
static const char *const go_fail[] = {
    "Failed: expected state \"active\" & got <standby> for '%k' " UNICODE_MARK,
};
static const char *const go_error[] = {
    "Runtime error: panic in %f: <nil> %s & \"%T\" \xe2\x80\x94 " UNICODE_MARK,
};
static const char *const skip_reasons[] = {
    "requires \"%T\" & <%k> support, not 'available' here \xe2\x80\x94 " UNICODE_MARK,
    "known issue NET-%n: <%s> flaps on '%T' & is skipped " UNICODE_MARK,
};

static const char *pick(struct prng *r, const char *const *list, size_t n)
{
    return list[prng_below(r, (uint32_t)n)];
}

static void start(struct expander *e, const struct msg_ctx *m, uint64_t stream)
{
    e->m = m;
    e->headline = "";
    e->headline_len = 0;
    prng_seed(&e->r, m->salt, stream, 0);
}

/* Expands the headline into e (stream 1, so the body can repeat it). */
static void expand_headline(struct expander *e, const struct msg_ctx *m, enum outcome o)
{
    const char *t;
    start(e, m, 1);
    if (o == OUTCOME_SKIPPED)
        t = pick(&e->r, skip_reasons, COUNT(skip_reasons));
    else if (m->dialect == JUNITGEN_PYTEST)
        t = o == OUTCOME_ERROR ? pick(&e->r, py_error, COUNT(py_error))
                               : pick(&e->r, py_fail, COUNT(py_fail));
    else if (m->dialect == JUNITGEN_SUREFIRE)
        t = o == OUTCOME_ERROR ? pick(&e->r, java_error, COUNT(java_error))
                               : pick(&e->r, java_fail, COUNT(java_fail));
    else
        t = o == OUTCOME_ERROR ? go_error[0] : go_fail[0];
    expand(e, t);
}

void msg_headline(struct xmlout *w, const struct msg_ctx *m, enum outcome o)
{
    struct expander e;
    expand_headline(&e, m, o);
    xo_attr(w, e.line, e.n);
}

/* --- bodies ----------------------------------------------------------- */

struct body_style {
    const char *head;
    const char *const *fillers;
    size_t nfillers;
    const char *tail;
};

static const char *const py_frames[] = {
    "_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _\n"
    "data_plane/lib/cluster.py:%n: in wait_state\n"
    "    return self._poll(lambda: self.state() == expected, timeout)\n",
    "_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _\n"
    "data_plane/lib/poll.py:%n: in _poll\n"
    "    if time.monotonic() > deadline and not ok():\n",
    "_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _\n"
    "data_plane/lib/peer.py:%n: in state\n"
    "    return self.ssh.run(\"ha-ctl show state --peer '%s'\").stdout.strip()\n",
    "_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _\n"
    "self = <data_plane.lib.peer.Peer object at %x>, expected = 'active'\n"
    "data_plane/lib/peer.py:%n: in check\n"
    "    if self.priority < other.priority and self.state != \"backup\":\n",
};
static const char *const java_frames[] = {
    "\tat com.acme.dataplane.cluster.Cluster.waitState(Cluster.java:%n)\n",
    "\tat com.acme.dataplane.cluster.Poller.lambda$poll$0(Poller.java:%n)\n",
    "\tat com.acme.dataplane.topology.Topology.<init>(Topology.java:%n)\n",
    "\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)\n",
    "\tat org.junit.runners.ParentRunner$4.run(ParentRunner.java:331)\n",
    "\tat org.apache.maven.surefire.junit4.JUnit4Provider.execute(JUnit4Provider.java:%n)\n",
};
static const char *const go_fail_frames[] = {
    "        cluster.go:%n: waiting for %s on \"%T\": state <standby> & retrying\n",
    "    %c:%l: peer 'node-%n' reports <%s> after %nms\n",
    "        poll.go:%n: condition \"state == active\" not met & deadline near\n",
};
static const char *const go_panic_frames[] = {
    "testing.tRunner.func1.2({%x, %x})\n\t/usr/local/go/src/testing/testing.go:1545 +0x238\n",
    "github.com/acme/dataplane/cluster.(*Cluster).WaitState(%x, {%x, 0x6})\n"
    "\t/src/cluster/cluster.go:%n +0x1c4\n",
    "github.com/acme/dataplane/cluster.(*Peer).State(...)\n\t/src/cluster/peer.go:%n\n",
};

static const struct body_style styles[3][3] = {
    [JUNITGEN_PYTEST] = {
        {"topology = <TopologyFixture '%T' at %x>, kind = '%k'\n\n"
         "    @pytest.mark.parametrize(\"kind\", KINDS)\n"
         "    def %f(topology, kind):\n"
         "        cluster = topology.cluster(kind=kind)\n"
         ">       cluster.wait_state(\"active\", timeout=%n)\n\n%p:%l: \n",
         py_frames, COUNT(py_frames),
         "E       %H\nE       assert 'standby' == 'active'\n\n"
         "data_plane/lib/cluster.py:%n: AssertionError"},
        {"@pytest.fixture(scope=\"module\")\n"
         "    def topology(request):\n"
         ">       return Topology.connect(\"%T\", user='ci')\n\n%p:%l: \n",
         py_frames, COUNT(py_frames),
         "E       %H\n\ndata_plane/lib/ssh.py:%n: ConnectionRefusedError"},
        {"%p:%l: %H", NULL, 0, ""},
    },
    [JUNITGEN_SUREFIRE] = {
        {"java.lang.AssertionError: %H\n"
         "\tat org.junit.Assert.fail(Assert.java:89)\n"
         "\tat org.junit.Assert.assertEquals(Assert.java:146)\n"
         "\tat %C.%f(%c:%l)\n",
         java_frames, COUNT(java_frames),
         "\tat java.base/java.lang.Thread.run(Thread.java:840)\n"},
        {"java.lang.IllegalStateException: %H\n"
         "\tat com.acme.dataplane.cluster.Cluster.requireReady(Cluster.java:%n)\n"
         "\tat %C.%f(%c:%l)\n",
         java_frames, COUNT(java_frames),
         "Caused by: java.net.ConnectException: Connection refused: \"node-%n\" & 'retry'\n"
         "\tat java.base/sun.nio.ch.Net.connect0(Native Method)\n"},
        {"%H", NULL, 0, ""},
    },
    [JUNITGEN_GOTEST] = {
        {"=== RUN   %N\n    %c:%l: %H\n", go_fail_frames, COUNT(go_fail_frames),
         "--- FAIL: %N (%ns)"},
        {"panic: runtime error: invalid memory address or nil pointer dereference [recovered]\n"
         "\tpanic: %H\n"
         "[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=%x]\n\n"
         "goroutine %n [running]:\n",
         go_panic_frames, COUNT(go_panic_frames),
         "created by testing.(*T).Run in goroutine %n\n"
         "\t/usr/local/go/src/testing/testing.go:1648 +0x3ad"},
        {"    %c:%l: %H", NULL, 0, ""},
    },
};

static void put(struct xmlout *w, const struct expander *e, enum msg_escape esc)
{
    if (esc == MSG_CDATA)
        xo_cdata(w, e->line, e->n);
    else
        xo_text(w, e->line, e->n);
}

void msg_body(struct xmlout *w, const struct msg_ctx *m, enum outcome o, size_t bytes,
              enum msg_escape esc)
{
    const struct body_style *st =
        &styles[m->dialect][o == OUTCOME_SKIPPED ? 2 : o == OUTCOME_ERROR ? 1 : 0];
    struct expander hl, body, tail;
    expand_headline(&hl, m, o);
    start(&body, m, 2);
    start(&tail, m, 3);
    body.headline = tail.headline = hl.line;
    body.headline_len = tail.headline_len = hl.n;

    expand(&tail, st->tail);
    expand(&body, st->head);
    put(w, &body, esc);
    size_t written = body.n;
    while (st->nfillers && written + tail.n < bytes) {
        expand(&body, pick(&body.r, st->fillers, st->nfillers));
        put(w, &body, esc);
        written += body.n;
    }
    put(w, &tail, esc);
}

static const char *const log_lines[] = {
    "[INFO] %T: node-%n %s state <standby> -> \"active\" & synced " UNICODE_MARK "\n",
    "[DEBUG] %C: probe '%k' took %nms\n",
    "[WARN] %T: peer node-%n missed %n heartbeats & recovered\n",
    "[INFO] %f: cleanup of <%s> done\n",
};

void msg_log(struct xmlout *w, const struct msg_ctx *m, unsigned lines)
{
    struct expander e;
    start(&e, m, 4);
    for (unsigned i = 0; i < lines; i++) {
        expand(&e, pick(&e.r, log_lines, COUNT(log_lines)));
        xo_text(w, e.line, e.n);
    }
}

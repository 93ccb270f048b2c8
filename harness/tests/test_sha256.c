/* test_sha256.c: the digest against FIPS 180-4's published examples. */
#include "testutil.h"

#include <string.h>

#include "sha256.h"

static void hex_of(const char *msg, size_t len, char out[65])
{
    struct sha256 h;
    sha256_init(&h);
    sha256_update(&h, msg, len);
    sha256_hex(&h, out);
}

static void test_known_vectors(void **state)
{
    (void)state;
    char out[65];
    hex_of("", 0, out);
    assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    hex_of("abc", 3, out);
    assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    hex_of(two, strlen(two), out);
    assert_string_equal(out, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_streaming_equals_one_shot(void **state)
{
    (void)state;
    char whole[65], parts[65];
    char msg[1000];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (char)(i * 7);
    hex_of(msg, sizeof msg, whole);
    struct sha256 h;
    sha256_init(&h);
    for (size_t i = 0; i < sizeof msg; i += 37)
        sha256_update(&h, msg + i, i + 37 > sizeof msg ? sizeof msg - i : 37);
    sha256_hex(&h, parts);
    assert_string_equal(whole, parts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_vectors),
        cmocka_unit_test(test_streaming_equals_one_shot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* OpaquePoint: a handle only Rust can see into; create, use, free, once. */
#include <math.h>
#include <pthread.h>

#include "check.h"

/* A thread that makes 100 thread-owned points, frees 40, and leaves 60 to
 * its exit. Returns the registry count it saw before exiting. */
static void *make_thread_owned_points(void *unused) {
    static size_t seen;
    OpaquePoint *p[100];
    (void)unused;
    for (int i = 0; i < 100; i++) {
        p[i] = opaque_point_new_thread_owned((float)i, 0.0f);
    }
    for (int i = 0; i < 40; i++) {
        opaque_point_free(p[i]); /* taken out of the registry: not freed again at exit */
    }
    seen = opaque_point_thread_owned_count();
    return &seen;
}

void test_opaque(void) {
    size_t points_before = opaque_point_live_count();
    size_t strings_before = rust_string_live_count();

    OpaquePoint *p = opaque_point_new(1.0f, 2.0f);
    CHECK(p != NULL);
    CHECK(opaque_point_live_count() == points_before + 1);

    Point got = opaque_point_get(p);
    CHECK(got.x == 1.0f && got.y == 2.0f);
    opaque_point_translate(p, 0.5f, -4.0f);
    got = opaque_point_get(p);
    CHECK(got.x == 1.5f && got.y == -2.0f);
    /* get returns a copy: changing it leaves the handle alone. */
    got.x = 100.0f;
    CHECK(opaque_point_get(p).x == 1.5f);

    /* get_into: the same copy, written into the caller's Point. */
    Point into = {7.0f, 7.0f};
    CHECK(opaque_point_get_into(p, &into));
    CHECK(into.x == 1.5f && into.y == -2.0f);
    into.x = 100.0f;
    CHECK(opaque_point_get(p).x == 1.5f);
    CHECK(!opaque_point_get_into(p, NULL));

    char *text = opaque_point_describe(p);
    CHECK_STR(text, "OpaquePoint(1.5, -2)");
    CHECK(rust_string_live_count() == strings_before + 1);
    free_rust_string(text);
    CHECK(rust_string_live_count() == strings_before);

    /* Several handles are independent. */
    OpaquePoint *q = opaque_point_new(NAN, INFINITY);
    CHECK(opaque_point_live_count() == points_before + 2);
    text = opaque_point_describe(q);
    CHECK_STR(text, "OpaquePoint(NaN, inf)");
    free_rust_string(text);
    opaque_point_translate(q, 1.0f, -INFINITY);
    got = opaque_point_get(q);
    CHECK(isnan(got.x) && isnan(got.y)); /* inf + -inf is NaN */
    CHECK(opaque_point_get(p).x == 1.5f);

    opaque_point_free(q);
    opaque_point_free(p);
    CHECK(opaque_point_live_count() == points_before);

    /* NULL everywhere: documented no-ops and values, never a crash. */
    opaque_point_translate(NULL, 1.0f, 1.0f);
    got = opaque_point_get(NULL);
    CHECK(isnan(got.x) && isnan(got.y));
    CHECK(opaque_point_describe(NULL) == NULL);
    got.x = got.y = 0.0f;
    CHECK(!opaque_point_get_into(NULL, &got));
    CHECK(isnan(got.x) && isnan(got.y));
    CHECK(!opaque_point_get_into(NULL, NULL));
    opaque_point_free(NULL);
    CHECK(opaque_point_live_count() == points_before);
    CHECK(rust_string_live_count() == strings_before);

    /* Many handles, all freed. */
    OpaquePoint *many[100];
    for (int i = 0; i < 100; i++) {
        many[i] = opaque_point_new((float)i, (float)-i);
    }
    CHECK(opaque_point_live_count() == points_before + 100);
    CHECK(opaque_point_get(many[42]).y == -42.0f);
    for (int i = 0; i < 100; i++) {
        opaque_point_free(many[i]);
    }
    CHECK(opaque_point_live_count() == points_before);

    /* Thread-owned points: the thread's exit frees what it did not. */
    pthread_t thread;
    void *seen = NULL;
    CHECK(pthread_create(&thread, NULL, make_thread_owned_points, NULL) == 0);
    CHECK(pthread_join(thread, &seen) == 0);
    CHECK(seen != NULL && *(size_t *)seen == 60);
    CHECK(opaque_point_live_count() == points_before);

    /* On this thread: registered until freed. Freed explicitly here (this may
     * be the main thread, whose exit frees nothing). */
    size_t owned_before = opaque_point_thread_owned_count();
    OpaquePoint *mine = opaque_point_new_thread_owned(5.0f, 6.0f);
    CHECK(mine != NULL);
    CHECK(opaque_point_thread_owned_count() == owned_before + 1);
    CHECK(opaque_point_get(mine).y == 6.0f);
    CHECK(opaque_point_get_into(mine, &got) && got.x == 5.0f && got.y == 6.0f);
    opaque_point_free(mine);
    CHECK(opaque_point_thread_owned_count() == owned_before);
    /* A freed thread-owned handle reads as NULL does. */
    got.x = got.y = 0.0f;
    CHECK(!opaque_point_get_into(mine, &got));
    CHECK(isnan(got.x) && isnan(got.y));
    CHECK(opaque_point_live_count() == points_before);
}

/*
 * Thread-owned handles and C++ destructors: thread_local objects registered
 * before or after the library's first use on their thread (glibc runs
 * thread-local destructors in the reverse order of their registration; all of
 * them before the pthread_key destructor where the library frees the thread's
 * objects), or calling the library first; and a static object whose
 * destructor runs after the library's exit handler. See exit_order.h for how
 * a scenario passes.
 */
#include <thread>

#include "exit_order.h"

namespace {

OpaquePoint *kept_point;
FfiError *kept_error;
int destructor_ran;

/* Destroyed while the handles are live (every thread_local destructor runs
 * before the library frees them); it frees them itself. */
struct LiveUser {
    void touch() {}
    ~LiveUser() {
        eo_free_live(kept_point, kept_error, 3.0f);
        destructor_ran = 1;
    }
};

/* Calls the library for the first time from its destructor. */
struct FirstContact {
    void touch() {}
    ~FirstContact() {
        eo_first_contact(7.0f);
        destructor_ran = 1; /* left to the library: freed after this destructor */
    }
};

/* The calling thread's Holder, constructed (and its destructor registered)
 * by the first call. */
template <typename Holder>
Holder &holder() {
    thread_local Holder h;
    return h;
}

template <typename Holder, bool holder_first>
void on_a_thread(const char *name) {
    std::thread thread([] {
        if (holder_first) {
            holder<Holder>().touch();
        }
        kept_point = opaque_point_new_thread_owned(3.0f, 4.0f);
        kept_error = ffi_error_new_thread_owned();
        eo_use_live(kept_point, kept_error, 3.0f);
        if (!holder_first) {
            holder<Holder>().touch();
        }
    });
    thread.join();
    EO_CHECK(destructor_ran);
    eo_check_counts();
    eo_verdict(name);
}

/* Registered before the library's first use, so destroyed after every
 * thread_local the library's first use registered (the order in which the
 * old registry, itself a thread_local, had already freed the handles). */
void thread_local_free() {
    on_a_thread<LiveUser, true>("thread-local-free");
}

/* Registered after the library's first use. */
void thread_local_live() {
    on_a_thread<LiveUser, false>("thread-local-live");
}

void thread_local_new() {
    std::thread thread([] { holder<FirstContact>().touch(); });
    thread.join();
    EO_CHECK(destructor_ran);
    eo_check_counts();
    eo_verdict("thread-local-new");
}

/* A static object constructed before the library's first use, so destroyed
 * by exit() after the library's exit handler freed the main thread's
 * objects. */
struct StaticUser {
    ~StaticUser() {
        eo_check_counts();
        eo_use_late(kept_point, kept_error);
        eo_check_counts();
        eo_verdict("static-free");
    }
};

void static_free() {
    static StaticUser user; /* registered now, before the library's handler */
    (void)user;
    kept_point = opaque_point_new_thread_owned(1.0f, 2.0f);
    kept_error = ffi_error_new_thread_owned();
    eo_use_live(kept_point, kept_error, 1.0f);
}

/* A static object whose destructor is the process's first call into the
 * library: the library's exit handler, registered then, runs right after it
 * and frees what it made; an atexit handler registered before the static
 * checks that, last. */
struct StaticFirstContact {
    ~StaticFirstContact() {
        eo_first_contact(9.0f);
    }
};

void static_new_check() {
    eo_check_counts();
    eo_verdict("static-new");
}

void static_new() {
    EO_CHECK(std::atexit(static_new_check) == 0);
    static StaticFirstContact user;
    (void)user;
}

const eo_scenario scenarios[] = {
    {"thread-local-free", thread_local_free, "free from a thread_local registered before the library's first use"},
    {"thread-local-live", thread_local_live, "free from a thread_local registered after the library's first use"},
    {"thread-local-new", thread_local_new, "constructor called first in a thread_local destructor"},
    {"static-free", static_free, "free and read from a C++ static destructor"},
    {"static-new", static_new, "constructor called first in a C++ static destructor"},
};

} // namespace

int main(int argc, char **argv) {
    return eo_main(argc, argv, scenarios, sizeof scenarios / sizeof scenarios[0]);
}

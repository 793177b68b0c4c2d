// The helper thread of ckernels_team.h: one region at a time, chunks claimed by compare-and-swap.
#include "ckernels_team.h"
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define CK_RELAX() _mm_pause()
#else
#define CK_RELAX() ((void)0)
#endif

// The region in progress. `ticket` holds the region's generation in its high 32 bits and the next
// unclaimed chunk in its low 32: a claim is a compare-and-swap that keeps the generation, so a
// thread that read an older region's fields can never claim a chunk of a newer one.
static _Atomic(void (*)(void *, int)) job_body;
static _Atomic(void *) job_context;
static atomic_int job_chunks;
static _Atomic uint64_t ticket;
static atomic_int done;              // chunks of the region finished
static atomic_flag busy = ATOMIC_FLAG_INIT;  // a region is using the helper
static uint32_t generation;          // the caller's count of regions, under `busy`

static atomic_int sleeping;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int helper_running;
static _Thread_local int in_chunk;   // this thread is running a chunk: nested regions run serially
static atomic_long parallel_regions, serial_regions;

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

// claims the next chunk of region `g`; -1 when none is left (or a newer region began)
static int claim(uint32_t g, int chunks) {
    uint64_t t = atomic_load(&ticket);
    for (;;) {
        if ((uint32_t)(t >> 32) != g || (int)(uint32_t)t >= chunks) return -1;
        if (atomic_compare_exchange_weak(&ticket, &t, t + 1)) return (int)(uint32_t)t;
    }
}

static void run_chunks(uint32_t g, int chunks, void (*body)(void *, int), void *context) {
    in_chunk = 1;
    for (int c; (c = claim(g, chunks)) >= 0;) {
        body(context, c);
        atomic_fetch_add(&done, 1);
    }
    in_chunk = 0;
}

static void *helper(void *unused) {
    (void)unused;
    uint32_t seen = 0;
    for (;;) {
        // look for a new region for a while, giving the core away whenever anything else wants it
        double start = seconds();
        uint64_t t;
        for (int spins = 0; (uint32_t)((t = atomic_load(&ticket)) >> 32) == seen; spins++) {
            for (int i = 0; i < 16; i++) CK_RELAX();
            if (spins % 32 == 31) {
                sched_yield();
                if (seconds() - start > CK_TEAM_SPIN_US * 1e-6) break;
            }
        }
        if ((uint32_t)(t >> 32) == seen) {
            // then sleep; the caller signals under the lock after publishing a region, and the
            // sequentially consistent `sleeping` / `ticket` pair means no wake-up is lost
            pthread_mutex_lock(&lock);
            atomic_store(&sleeping, 1);
            while ((uint32_t)((t = atomic_load(&ticket)) >> 32) == seen) pthread_cond_wait(&wake, &lock);
            atomic_store(&sleeping, 0);
            pthread_mutex_unlock(&lock);
        }
        seen = (uint32_t)(t >> 32);
        run_chunks(seen, atomic_load(&job_chunks), atomic_load(&job_body), atomic_load(&job_context));
    }
    return NULL;
}

static void start_helper(void) {
    pthread_t thread;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attributes, 1 << 20);
    helper_running = pthread_create(&thread, &attributes, helper, NULL) == 0;
    pthread_attr_destroy(&attributes);
}

void ck_team_run(int chunks, void (*body)(void *context, int chunk), void *context) {
    if (chunks > 1 && !in_chunk) pthread_once(&once, start_helper);
    if (chunks <= 1 || in_chunk || !helper_running || atomic_flag_test_and_set(&busy)) {
        for (int c = 0; c < chunks; c++) body(context, c);
        atomic_fetch_add(&serial_regions, 1);
        return;
    }
    atomic_fetch_add(&parallel_regions, 1);
    uint32_t g = ++generation;
    if (g == 0) g = ++generation;  // the helper starts having seen generation 0
    atomic_store(&job_body, body);
    atomic_store(&job_context, context);
    atomic_store(&job_chunks, chunks);
    atomic_store(&done, 0);
    atomic_store(&ticket, (uint64_t)g << 32);
    if (atomic_load(&sleeping)) {
        pthread_mutex_lock(&lock);
        pthread_cond_signal(&wake);
        pthread_mutex_unlock(&lock);
    }
    run_chunks(g, chunks, body, context);
    // only chunks the helper has claimed remain: it is running them (or was preempted in one)
    for (int spins = 0; atomic_load(&done) < chunks; spins++) {
        CK_RELAX();
        if (spins > 1000) sched_yield();
    }
    atomic_flag_clear(&busy);
}

void ck_team_counts(long *parallel, long *serial) {
    *parallel = atomic_load(&parallel_regions);
    *serial = atomic_load(&serial_regions);
}

// A second thread for the forward pass's parallel regions (the machines here have two cores).
//
// Decoding one token runs about 150 regions of 10-100 µs each. Waking a sleeping thread for each
// (a futex, and on a virtual machine an interrupt to an idle virtual CPU) takes 20-40 µs here, so
// the second core joined most regions late. The helper thread therefore spins for a while after
// each region, pausing and yielding its core to any other runnable thread, and sleeps only when
// no region came for CK_TEAM_SPIN_US.
//
// Work is cut into chunks that both threads claim in turn, the caller too: when the helper is
// not running (its core busy with another process), the caller does the chunks itself and waits
// only for a chunk the helper has already claimed, never for the helper to start.
#ifndef CKERNELS_TEAM_H
#define CKERNELS_TEAM_H

/// Microseconds the helper keeps looking for work after a region before it sleeps.
enum { CK_TEAM_SPIN_US = 300 };

/// Runs body(context, c) for every chunk c in [0, chunks), on the calling thread and the helper.
/// Chunks must be independent. Runs serially on the calling thread when chunks <= 1, when
/// called from inside a chunk, or when another thread's region is using the helper.
void ck_team_run(int chunks, void (*body)(void *context, int chunk), void *context);

/// Regions that ran on two threads and on the caller alone since the process started (for
/// benchmarks: how often the helper was busy or unavailable).
void ck_team_counts(long *parallel, long *serial);

#endif

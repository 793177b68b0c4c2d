// Softmax with a polynomial exp on 8 floats at a time (AVX2 + FMA), chosen at run time.
#include "ck_softmax.h"
#include "ck_common.h"
#include <math.h>

static void softmax_plain(float *x, int n) {
    float max = x[0];
    for (int i = 1; i < n; i++) if (x[i] > max) max = x[i];
    float sum = 0;
    for (int i = 0; i < n; i++) { x[i] = expf(x[i] - max); sum += x[i]; }
    float inv = 1.0f / sum;
    for (int i = 0; i < n; i++) x[i] *= inv;
}

#ifdef CK_HAVE_X86

CK_AVX2 static void softmax_avx2(float *x, int n) {
    int i = 0;
    __m256 vmax = _mm256_set1_ps(x[0]);
    for (; i + 8 <= n; i += 8) vmax = _mm256_max_ps(vmax, _mm256_loadu_ps(x + i));
    float max = ck_hmax8(vmax);
    for (; i < n; i++) if (x[i] > max) max = x[i];

    __m256 m = _mm256_set1_ps(max), vsum = _mm256_setzero_ps();
    for (i = 0; i + 8 <= n; i += 8) {
        __m256 e = ck_exp_nonpositive(_mm256_sub_ps(_mm256_loadu_ps(x + i), m));
        _mm256_storeu_ps(x + i, e);
        vsum = _mm256_add_ps(vsum, e);
    }
    float sum = ck_hsum8(vsum);
    if (i < n) {
        // the tail through the same exp, so every element is computed alike
        float tail[8] = {0};
        int rest = n - i;
        for (int j = 0; j < 8; j++) tail[j] = j < rest ? x[i + j] - max : -100.0f;
        __m256 e = ck_exp_nonpositive(_mm256_loadu_ps(tail));
        _mm256_storeu_ps(tail, e);
        for (int j = 0; j < rest; j++) { x[i + j] = tail[j]; sum += tail[j]; }
    }
    __m256 inv = _mm256_set1_ps(1.0f / sum);
    for (i = 0; i + 8 <= n; i += 8) _mm256_storeu_ps(x + i, _mm256_mul_ps(_mm256_loadu_ps(x + i), inv));
    for (; i < n; i++) x[i] *= 1.0f / sum;
}

static int has_avx2_fma(void) {
    static int cached = -1;
    if (cached < 0) cached = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return cached;
}
#endif

int ck_softmax_path(int path, float *x, int n) {
    if (n < 1) return 0;
    if (path == 0) { softmax_plain(x, n); return 0; }
#ifdef CK_HAVE_X86
    if (path == 1 && has_avx2_fma()) { softmax_avx2(x, n); return 0; }
#endif
    return -1;
}

void ck_softmax(float *x, int n) {
#ifdef CK_HAVE_X86
    if (has_avx2_fma()) { if (n >= 1) softmax_avx2(x, n); return; }
#endif
    if (n >= 1) softmax_plain(x, n);
}

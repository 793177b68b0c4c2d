// Softmax over a row of attention scores, with a vectorised exp where the CPU has AVX2 + FMA.
//
// A prompt pass computes one exp per (row, visible position, head, layer): for a 1,000-token
// prompt about 175 million, which at libm's scalar expf was half of the prompt pass.
#ifndef CK_SOFTMAX_H
#define CK_SOFTMAX_H

/// x[i] = exp(x[i] - max(x)) / sum_j exp(x[j] - max(x)) for i in [0, n); n >= 1.
void ck_softmax(float *x, int n);

/// ck_softmax on a chosen path (0 plain C with expf, 1 AVX2); -1 when the path is not available.
int ck_softmax_path(int path, float *x, int n);

#endif

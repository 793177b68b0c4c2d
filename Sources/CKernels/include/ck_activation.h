// The feed-forward's gated activation, with the vectorised exp where the CPU has AVX2 + FMA.
//
// Every token computes SiLU on 1,536 features in each of 30 layers; at libm's scalar expf that
// was a tenth of a decoding step for 8 streams, spent on one core while the other waited.
#ifndef CK_ACTIVATION_H
#define CK_ACTIVATION_H

/// gate[i] = silu(gate[i]) * up[i] = gate[i] / (1 + exp(-gate[i])) * up[i] for i in [0, n).
void ck_swiglu(float *gate, const float *up, int n);

/// ck_swiglu on a chosen path (0 plain C with expf, 1 AVX2); -1 when the path is not available.
int ck_swiglu_path(int path, float *gate, const float *up, int n);

#endif

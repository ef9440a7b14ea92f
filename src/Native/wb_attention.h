// Causal attention on the CPU for libtorch 1.x, which has no fused scaled_dot_product_attention.
#pragma once

#include "wb_common.h"

namespace wb_attention {
#if TORCH_VERSION_MAJOR < 2
// True when float32 causal attention on these tensors can take the sliced path below (a BLAS sgemm
// was found in the process, the tensors are CPU float32 outside autocast, and the sizes fit BLAS's ints).
bool can_slice(const at::Tensor& t);

// q (B, H, T, D), k and v (B, H, S, D), any strides with the last dimension contiguous, queries i
// seeing keys 0..i -> (B, H, T, D), a transposed view of (B, T, H, D) memory (so the caller's
// transpose back to (B, T, H * D) copies nothing). One autograd node.
at::Tensor causal(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v);

// The GPT's layout: qkv (B, T, 3C) as one projection gives it, H heads -> (B, T, C). One autograd
// node whose gradient is one (B, T, 3C) tensor: no split, transpose or concatenation on either side.
at::Tensor packed(const at::Tensor& qkv, int64_t heads);
#endif
}  // namespace wb_attention

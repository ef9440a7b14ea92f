// Linear layers on the CPU for libtorch 1.x: y = x w^T + b as one autograd node over BLAS.
#pragma once

#include "wb_common.h"

namespace wb_linear {
#if TORCH_VERSION_MAJOR < 2
// True when at::linear(x, w, b) can take the node below: float32 CPU tensors outside autocast, x of
// at least 2 dimensions, w (N, K) matching x's last dimension, b (N) or undefined, nothing empty,
// sizes within BLAS's ints, and an OpenBLAS that can be held to one thread per product.
bool applies(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b);

at::Tensor linear(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b);
#endif
}  // namespace wb_linear

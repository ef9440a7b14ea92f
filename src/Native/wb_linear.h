// Linear layers on the CPU for libtorch 1.x: y = x w^T + b as one autograd node whose three products
// run on oneDNN's sgemm (wb_linear.cpp).
#pragma once

#include "wb_common.h"

#include <torch/csrc/api/include/torch/version.h>

#include <string>

namespace wb_linear {
// The oneDNN version the node runs on ("2.6.3"), or empty when it is off: a libtorch 2.x (whose own
// matmuls already run on MKL or oneDNN), no libdnnl.so.2 loaded, or WORKBENCH_ONEDNN=0.
std::string backend();

#if TORCH_VERSION_MAJOR < 2
// True when at::linear(x, w, b) can take the node: the backend is on, float32 CPU tensors outside
// autocast, x of at least 1 dimension matching w (N, K), b (N) or undefined, nothing empty.
bool applies(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b);

at::Tensor linear(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b);
#endif
}  // namespace wb_linear

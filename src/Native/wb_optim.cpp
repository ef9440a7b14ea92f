// Training helpers over arrays of parameter handles: the global gradient norm and clipping by it,
// computed exactly as torch.nn.utils.clip_grad_norm_ (2-norm of the stacked per-tensor norms).
#include "wb_common.h"

#include <vector>

namespace {
// The gradients of the parameters that have one, detached.
std::vector<at::Tensor> grads_of(const wb_tensor* params, int64_t n) {
    std::vector<at::Tensor> grads;
    for (int64_t i = 0; i < n; i++) {
        const auto& g = wb_ref(params[i]).grad();
        if (g.defined()) grads.push_back(g.detach());
    }
    return grads;
}

// A 0-dim tensor on the first gradient's device; undefined when there are no gradients.
at::Tensor total_norm(const std::vector<at::Tensor>& grads) {
    if (grads.empty()) return at::Tensor();
    auto device = grads[0].device();
    std::vector<at::Tensor> norms;
    norms.reserve(grads.size());
    for (const auto& g : grads) norms.push_back(at::norm(g, 2).to(device));
    return at::norm(at::stack(norms), 2);
}
}  // namespace

// The 2-norm over all parameters' gradients (0 when none has one). Reading it back is a sync point.
WB_API int32_t wb_optim_grad_norm(const wb_tensor* params, int64_t n, double* out) {
    WB_GUARD({
        auto norm = total_norm(grads_of(params, n));
        *out = norm.defined() ? norm.item<double>() : 0.0;
    })
}

// Scales every gradient by min(1, max_norm / (norm + 1e-6)); writes the norm before clipping.
WB_API int32_t wb_optim_clip_grad_norm_(const wb_tensor* params, int64_t n, double max_norm, double* out) {
    WB_GUARD({
        auto grads = grads_of(params, n);
        auto norm = total_norm(grads);
        if (!norm.defined()) {
            *out = 0.0;
            return WB_OK;
        }
        // The coefficient stays a tensor so that the scaling itself needs no device round trip.
        // Python's `max_norm / t` is `t.reciprocal() * max_norm`; written the same way to round the same.
        auto coef = at::clamp((norm + 1e-6).reciprocal() * max_norm, c10::nullopt, 1.0);
        for (auto& g : grads) g.mul_(coef.to(g.device()));
        *out = norm.item<double>();
    })
}

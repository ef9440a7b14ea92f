// Training helpers over arrays of parameter handles: the global gradient norm and clipping by it,
// computed exactly as torch.nn.utils.clip_grad_norm_ (2-norm of the stacked per-tensor norms), and
// the Adam family's step over all parameters in one call.
#include "wb_common.h"

#include <ATen/Parallel.h>
#include <c10/core/GradMode.h>

#include <cmath>
#include <string>
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
        auto coef = at::clamp((norm + 1e-6).reciprocal() * max_norm, WB_NULLOPT, 1.0);
        for (auto& g : grads) g.mul_(coef.to(g.device()));
        *out = norm.item<double>();
    })
}

namespace {
// One parameter's Adam/AdamW update in a single pass over memory, in the order of PyTorch 1.13's
// single-tensor Adam (each step rounded to the parameter's dtype as its ops round it):
//   AdamW: p *= 1 - lr wd            Adam: g += wd p
//   m = b1 m + (1 - b1) g            v = b2 v + (1 - b2) g g
//   p += -(lr / bc1) m / (sqrt(v) / sqrt(bc2) + eps)
// The op-by-op version makes eight passes over four tensors and eight native calls per parameter;
// the AdamW step of a small GPT took 9% of its training step that way.
template <typename T>
void adam_update(T* p, const T* g, T* m, T* v, int64_t n, double lr, double beta1, double beta2, double eps,
                 double weight_decay, bool decoupled, int64_t step) {
    const T decay = static_cast<T>(1.0 - lr * weight_decay);
    const T l2 = static_cast<T>(weight_decay);
    const T b1 = static_cast<T>(beta1), one_minus_b1 = static_cast<T>(1.0 - beta1);
    const T b2 = static_cast<T>(beta2), one_minus_b2 = static_cast<T>(1.0 - beta2);
    const double bc1 = 1.0 - std::pow(beta1, static_cast<double>(step));
    const double bc2 = 1.0 - std::pow(beta2, static_cast<double>(step));
    const T neg_step_size = static_cast<T>(-(lr / bc1));
    const T bc2_sqrt = static_cast<T>(std::sqrt(bc2));
    const T epsilon = static_cast<T>(eps);
    const bool decay_p = decoupled && weight_decay != 0;
    const bool decay_g = !decoupled && weight_decay != 0;
    at::parallel_for(0, n, 32768, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; i++) {
            T param = p[i];
            T grad = g[i];
            if (decay_p) param = param * decay;
            if (decay_g) grad = grad + l2 * param;
            const T mi = m[i] * b1 + one_minus_b1 * grad;
            const T vi = v[i] * b2 + one_minus_b2 * grad * grad;
            m[i] = mi;
            v[i] = vi;
            const T denominator = std::sqrt(vi) / bc2_sqrt + epsilon;
            p[i] = param + neg_step_size * (mi / denominator);
        }
    });
}

// In-place writes through data_ptr bypass the version counter that autograd checks; bump it as an
// in-place op would, so a graph that still holds the old value fails loudly instead of silently.
void bump(at::Tensor& t) { t.unsafeGetTensorImpl()->bump_version(); }

bool matches(const at::Tensor& t, const at::Tensor& like) {
    return t.defined() && t.device().is_cpu() && t.is_contiguous() && t.scalar_type() == like.scalar_type() && t.numel() == like.numel();
}

// What the single-pass update serves: a contiguous CPU float32/64 parameter whose gradient and moments
// are of the same kind. Others (CUDA, for one) take the op-by-op path.
bool fusable(const at::Tensor& p, const at::Tensor& m, const at::Tensor& v) {
    return p.device().is_cpu() && p.is_contiguous() && (p.scalar_type() == at::kFloat || p.scalar_type() == at::kDouble) &&
           matches(p.grad(), p) && matches(m, p) && matches(v, p);
}
}  // namespace

// The Adam/AdamW step of n parameters in one call: params[i] with its own grad, moments exp_avgs[i]
// and exp_avg_sqs[i] (updated in place) and step count steps[i] (already incremented). decoupled = 1
// for AdamW's weight decay. updated[i] says whether parameter i was updated here; the caller updates
// the others op by op.
WB_API int32_t wb_optim_adam_step(const wb_tensor* params, const wb_tensor* exp_avgs, const wb_tensor* exp_avg_sqs,
                                  const int64_t* steps, int64_t n, double lr, double beta1, double beta2, double eps,
                                  double weight_decay, int32_t decoupled, int32_t* updated) {
    WB_GUARD({
        c10::NoGradGuard no_grad;
        for (int64_t i = 0; i < n; i++) {
            auto& p = wb_ref(params[i]);
            auto& m = wb_ref(exp_avgs[i]);
            auto& v = wb_ref(exp_avg_sqs[i]);
            updated[i] = fusable(p, m, v) ? 1 : 0;
            if (updated[i] == 0) continue;
            const auto& g = p.grad();
            bump(p);
            bump(m);
            bump(v);
            if (p.scalar_type() == at::kFloat)
                adam_update<float>(p.data_ptr<float>(), g.data_ptr<float>(), m.data_ptr<float>(), v.data_ptr<float>(), p.numel(),
                                   lr, beta1, beta2, eps, weight_decay, decoupled != 0, steps[i]);
            else
                adam_update<double>(p.data_ptr<double>(), g.data_ptr<double>(), m.data_ptr<double>(), v.data_ptr<double>(), p.numel(),
                                    lr, beta1, beta2, eps, weight_decay, decoupled != 0, steps[i]);
        }
    })
}

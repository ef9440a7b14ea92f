// Autograd: backward, gradients, and the thread's grad mode (the no-grad scope).
#include "wb_common.h"

#include <torch/csrc/autograd/autograd.h>

WB_API int32_t wb_autograd_backward(wb_tensor t, wb_tensor grad, int32_t retain_graph) {
    WB_GUARD({
        at::Tensor g = grad ? wb_ref(grad) : at::Tensor();
        wb_ref(t).backward(g, retain_graph != 0);
    })
}

// The tensor's .grad, or a null handle when it has none.
WB_API int32_t wb_autograd_grad(wb_tensor t, wb_tensor* out) {
    WB_GUARD({
        const auto& g = wb_ref(t).grad();
        *out = g.defined() ? wb_wrap(g) : nullptr;
    })
}

// Sets .grad to undefined, as PyTorch's zero_grad(set_to_none=True).
WB_API int32_t wb_autograd_clear_grad(wb_tensor t) { WB_GUARD(wb_ref(t).mutable_grad().reset()) }

WB_API int32_t wb_autograd_set_grad_enabled(int32_t enabled, int32_t* previous) {
    WB_GUARD({
        *previous = c10::GradMode::is_enabled();
        c10::GradMode::set_enabled(enabled != 0);
    })
}

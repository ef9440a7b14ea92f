// Autograd: backward, gradients, the thread's grad mode (the no-grad scope) and its autocast
// regions (mixed precision).
#include "wb_common.h"

#include <ATen/autocast_mode.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/api/include/torch/version.h>

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

// ---- autocast: ops that gain from lower precision (matmul, linear, conv, attention) run in `dtype`,
// the rest in float32, as inside torch.autocast(device_type, dtype). Thread-local, like grad mode.
// torch 2.4 replaced the per-device setters with ones that take the device type.
namespace {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
bool autocast_enabled(bool cuda) { return at::autocast::is_autocast_enabled(cuda ? at::kCUDA : at::kCPU); }
void set_autocast_enabled(bool cuda, bool on) { at::autocast::set_autocast_enabled(cuda ? at::kCUDA : at::kCPU, on); }
at::ScalarType autocast_dtype(bool cuda) { return at::autocast::get_autocast_dtype(cuda ? at::kCUDA : at::kCPU); }
void set_autocast_dtype(bool cuda, at::ScalarType t) { at::autocast::set_autocast_dtype(cuda ? at::kCUDA : at::kCPU, t); }
#else
bool autocast_enabled(bool cuda) { return cuda ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled(); }
void set_autocast_enabled(bool cuda, bool on) { cuda ? at::autocast::set_enabled(on) : at::autocast::set_cpu_enabled(on); }
at::ScalarType autocast_dtype(bool cuda) {
    return cuda ? at::autocast::get_autocast_gpu_dtype() : at::autocast::get_autocast_cpu_dtype();
}
void set_autocast_dtype(bool cuda, at::ScalarType t) {
    cuda ? at::autocast::set_autocast_gpu_dtype(t) : at::autocast::set_autocast_cpu_dtype(t);
}
#endif
}  // namespace

// Enters a region on device type `cuda` (0: cpu, 1: cuda) casting to `dtype` (a c10::ScalarType code);
// reports the previous setting, which wb_autocast_exit restores.
WB_API int32_t wb_autocast_enter(int32_t cuda, int32_t dtype, int32_t* was_enabled, int32_t* was_dtype) {
    WB_GUARD({
        const auto type = static_cast<at::ScalarType>(dtype);
        if (type != at::kBFloat16 && type != at::kHalf)
            throw std::invalid_argument(std::string("autocast casts to bfloat16 or float16, not ") + c10::toString(type));
        *was_enabled = autocast_enabled(cuda != 0);
        *was_dtype = static_cast<int32_t>(autocast_dtype(cuda != 0));
        set_autocast_dtype(cuda != 0, type);
        set_autocast_enabled(cuda != 0, true);
        at::autocast::increment_nesting();
    })
}

// Leaves the region: restores the previous setting, and frees the cached casts of weights when the
// outermost region ends (as torch.autocast's __exit__).
WB_API int32_t wb_autocast_exit(int32_t cuda, int32_t was_enabled, int32_t was_dtype) {
    WB_GUARD({
        if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
        set_autocast_enabled(cuda != 0, was_enabled != 0);
        set_autocast_dtype(cuda != 0, static_cast<at::ScalarType>(was_dtype));
    })
}

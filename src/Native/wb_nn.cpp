// Neural-network functions and losses (torch.nn.functional) over ATen.
#include "wb_common.h"

namespace {
// An optional tensor argument: a null handle means "none".
at::Tensor optional(wb_tensor t) { return t ? *t : at::Tensor(); }
}  // namespace

WB_API int32_t wb_nn_linear(wb_tensor input, wb_tensor weight, wb_tensor bias, wb_tensor* out) {
    WB_GUARD(*out = wb_wrap(at::linear(wb_ref(input), wb_ref(weight), optional(bias))))
}

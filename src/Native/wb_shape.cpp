// Shape and layout ops (views, slicing, joining, splitting, triangles, cumulative sums).
// One export takes a list of int64 arguments and an op code; the codes must match Workbench.Torch's
// ShapeOp enum (Native/NativeMethods.Shape.cs), which also documents each op's arguments.
#include "wb_common.h"

#include <vector>

namespace {

enum ShapeOp : int32_t {
    S_RESHAPE = 0, S_VIEW, S_PERMUTE, S_EXPAND, S_TRANSPOSE, S_SQUEEZE_ALL, S_SQUEEZE, S_UNSQUEEZE,
    S_FLATTEN, S_NARROW, S_SLICE, S_TRIL, S_TRIU, S_CUMSUM,
};

const char* name_of(int32_t op) {
    static const char* names[] = {"reshape", "view", "permute", "expand", "transpose", "squeeze", "squeeze",
                                  "unsqueeze", "flatten", "narrow", "slice", "tril", "triu", "cumsum"};
    return op >= 0 && op <= S_CUMSUM ? names[op] : "shape op";
}

void expect_args(int32_t op, int64_t n, int64_t expected) {
    if (n != expected)
        throw std::invalid_argument(std::string(name_of(op)) + " takes " + std::to_string(expected) + " arguments, got " +
                                    std::to_string(n));
}

at::Tensor shape_op(int32_t op, const at::Tensor& a, const int64_t* args, int64_t n) {
    auto list = wb_dims(args, n);
    switch (op) {
        case S_RESHAPE: return a.reshape(list);
        case S_VIEW: return a.view(list);
        case S_PERMUTE: return a.permute(list);
        case S_EXPAND: return a.expand(list);
        case S_SQUEEZE_ALL: expect_args(op, n, 0); return a.squeeze();
        case S_SQUEEZE: expect_args(op, n, 1); return a.squeeze(args[0]);
        case S_UNSQUEEZE: expect_args(op, n, 1); return a.unsqueeze(args[0]);
        case S_TRANSPOSE: expect_args(op, n, 2); return a.transpose(args[0], args[1]);
        case S_FLATTEN: expect_args(op, n, 2); return a.flatten(args[0], args[1]);
        case S_NARROW: expect_args(op, n, 3); return a.narrow(args[0], args[1], args[2]);
        case S_SLICE: {
            // (dim, start, end, step): like Python's a[..., start:end:step], clamped to the size.
            expect_args(op, n, 4);
            if (args[3] <= 0) throw std::invalid_argument("slice step must be positive, got " + std::to_string(args[3]));
            return a.slice(args[0], args[1], args[2], args[3]);
        }
        case S_TRIL: expect_args(op, n, 1); return a.tril(args[0]);
        case S_TRIU: expect_args(op, n, 1); return a.triu(args[0]);
        case S_CUMSUM: expect_args(op, n, 1); return a.cumsum(args[0]);
    }
    throw std::invalid_argument("unknown shape op code " + std::to_string(op));
}

std::vector<at::Tensor> gather_list(const wb_tensor* tensors, int64_t n) {
    std::vector<at::Tensor> list;
    list.reserve(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; i++) list.push_back(wb_ref(tensors[i]));
    return list;
}

enum JoinOp : int32_t { J_CAT = 0, J_STACK };

enum SplitOp : int32_t { SP_SPLIT = 0, SP_CHUNK, SP_SPLIT_SIZES };

}  // namespace

WB_API int32_t wb_shape(int32_t op, wb_tensor a, const int64_t* args, int64_t nargs, wb_tensor* out) {
    WB_GUARD(*out = wb_wrap(shape_op(op, wb_ref(a), args, nargs)))
}

// Joins n tensors along dim: cat (an existing dim) or stack (a new one).
WB_API int32_t wb_join(int32_t op, const wb_tensor* tensors, int64_t n, int64_t dim, wb_tensor* out) {
    WB_GUARD({
        auto list = gather_list(tensors, n);
        if (op == J_CAT) *out = wb_wrap(at::cat(list, dim));
        else if (op == J_STACK) *out = wb_wrap(at::stack(list, dim));
        else throw std::invalid_argument("unknown join op code " + std::to_string(op));
    })
}

// Splits along dim into pieces written to `out` (room for `capacity`); `count` says how many.
// split: sizes[0] elements per piece; chunk: sizes[0] pieces; split_sizes: the given sizes.
WB_API int32_t wb_split(int32_t op, wb_tensor a, const int64_t* sizes, int64_t nsizes, int64_t dim, wb_tensor* out,
                        int64_t capacity, int64_t* count) {
    WB_GUARD({
        auto& t = wb_ref(a);
        if (op != SP_SPLIT_SIZES && nsizes != 1) throw std::invalid_argument("split and chunk take one size");
        std::vector<at::Tensor> pieces;
        switch (op) {
            case SP_SPLIT: pieces = t.split(sizes[0], dim); break;
            case SP_CHUNK: pieces = t.chunk(sizes[0], dim); break;
            case SP_SPLIT_SIZES: pieces = t.split_with_sizes(wb_dims(sizes, nsizes), dim); break;
            default: throw std::invalid_argument("unknown split op code " + std::to_string(op));
        }
        if (static_cast<int64_t>(pieces.size()) > capacity)
            throw std::invalid_argument("split made " + std::to_string(pieces.size()) + " pieces, room for " +
                                        std::to_string(capacity));
        for (size_t i = 0; i < pieces.size(); i++) out[i] = wb_wrap(std::move(pieces[i]));
        *count = static_cast<int64_t>(pieces.size());
    })
}

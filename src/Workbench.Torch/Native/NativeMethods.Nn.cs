// Declarations for src/Native/wb_nn.cpp: neural-network functions and losses.
using System.Runtime.InteropServices;

namespace Workbench.Torch.Native;

// Codes match the enums in src/Native/wb_nn.cpp.
internal enum SoftmaxOp { Softmax, LogSoftmax }

internal enum PoolOp { Max, Avg }

internal enum LossOp { CrossEntropy, Nll, Mse, BinaryCrossEntropyWithLogits }

internal static unsafe partial class NativeMethods
{
    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_nn_linear(TensorHandle input, TensorHandle weight, IntPtr bias, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_nn_softmax(SoftmaxOp op, TensorHandle input, long dim, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_nn_conv2d(TensorHandle input, TensorHandle weight, IntPtr bias, long* stride, long* padding, long* dilation, long groups, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_nn_pool2d(PoolOp op, TensorHandle input, long* kernel, long* stride, long* padding, int ceilMode, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_nn_dropout(TensorHandle input, double p, int training, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_nn_embedding(TensorHandle weight, TensorHandle indices, long paddingIdx, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_nn_layer_norm(TensorHandle input, long* normalizedShape, long ndims, IntPtr weight, IntPtr bias, double eps, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_nn_batch_norm(TensorHandle input, IntPtr weight, IntPtr bias, IntPtr runningMean, IntPtr runningVar, int training, double momentum, double eps, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_nn_scaled_dot_product_attention(TensorHandle q, TensorHandle k, TensorHandle v, IntPtr mask, double dropoutP, int isCausal, int byHand, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_nn_causal_self_attention(TensorHandle qkv, long heads, out IntPtr result);

    [LibraryImport(NativeLibraryLoader.LibraryName)]
    internal static partial int wb_nn_loss(LossOp op, TensorHandle input, TensorHandle target, IntPtr weight, long reduction, long ignoreIndex, double labelSmoothing, out IntPtr result);
}

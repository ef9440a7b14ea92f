// Engine overheads against PyTorch (benchmarks/reference/ops.py, same machine, same thread count):
// the cost of one tiny op through the C ABI, and 1024^3 fp32 matmul throughput.
//   dotnet run -c Release --project benchmarks/Workbench.Benchmarks -- --filter '*EngineOp*'
// Threads come from WORKBENCH_BENCH_THREADS (default: all cores), so both sides can be set equal.
using BenchmarkDotNet.Attributes;
using Workbench.Torch;

namespace Workbench.Benchmarks;

[MemoryDiagnoser]
public class EngineOpBenchmarks
{
    private Tensor _a = null!;
    private Tensor _b = null!;
    private Tensor _m = null!;
    private Tensor _n = null!;

    [GlobalSetup]
    public void Setup()
    {
        BenchSetup.Threads();
        _a = Tensor.From([1f]);
        _b = Tensor.From([2f]);
        _m = Tensor.Randn([1024, 1024]);
        _n = Tensor.Randn([1024, 1024]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var t in new[] { _a, _b, _m, _n }) t.Dispose();
    }

    /// <summary>a + b on 1-element tensors: the per-op cost of the binding (call, status check, handle).</summary>
    [Benchmark]
    public void TinyAdd()
    {
        using var c = _a.Add(_b);
    }

    /// <summary>1024^3 fp32 matmul: 2.147 GFLOP per call, so GFLOP/s = 2.147 / seconds.</summary>
    [Benchmark]
    public void Matmul1024()
    {
        using var c = _m.Matmul(_n);
    }
}

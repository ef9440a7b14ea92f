// Entry point for every BenchmarkDotNet benchmark in this assembly:
//   dotnet run -c Release --project benchmarks/Workbench.Benchmarks -- --filter '*Matmul*'
// and for the sweep samplers' regret on a known objective (no BenchmarkDotNet: it measures search quality, not time):
//   dotnet run -c Release --project benchmarks/Workbench.Benchmarks -- sweep-samplers [TRIALS] [SEEDS]
using BenchmarkDotNet.Running;
using Workbench.Benchmarks;

if (args is ["sweep-samplers", .. var rest])
    SweepSamplerRegret.Run(rest);
else
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

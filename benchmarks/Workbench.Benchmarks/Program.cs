// Entry point for every BenchmarkDotNet benchmark in this assembly:
//   dotnet run -c Release --project benchmarks/Workbench.Benchmarks -- --filter '*Matmul*'
// and for the sweep samplers' regret on a known objective (no BenchmarkDotNet: it measures search quality, not time):
//   dotnet run -c Release --project benchmarks/Workbench.Benchmarks -- sweep-samplers [TRIALS] [SEEDS]
// and `-- --rollout-prompts PATH`, which writes the prompts RolloutBenchmarks and generate.py --rollout share.
using BenchmarkDotNet.Running;
using Workbench.Benchmarks;

if (args is ["sweep-samplers", .. var rest])
    SweepSamplerRegret.Run(rest);
else if (args is ["--rollout-prompts", var path])
    RolloutBenchmarks.WritePrompts(path);
else
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

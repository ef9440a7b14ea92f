// TPE against random search on a synthetic objective whose optimum is known, with no training: the
// samplers are driven directly, one trial after another as a sequential sweep runs them, and each
// trial's regret (objective minus its optimum, 0) is what the trial scores. Prints the best-so-far
// regret at several trial budgets, mean ± std over the sweep seeds, and in how many seeds TPE is ahead.
//   dotnet run -c Release --project benchmarks/Workbench.Benchmarks -- sweep-samplers [TRIALS] [SEEDS]
using System.Globalization;
using Workbench.Experiments.Sweeps;
using Workbench.Tracking;

namespace Workbench.Benchmarks;

internal static class SweepSamplerRegret
{
    // Four parameters of the four kinds a sweep file takes, each with its optimum inside the range.
    private static readonly SweepParameter[] Space =
    [
        new("x", ParameterKind.Uniform, null, -5, 5),
        new("lr", ParameterKind.LogUniform, null, 1e-5, 1e-1),
        new("units", ParameterKind.IntUniform, null, 1, 64),
        new("activation", ParameterKind.Values, ["relu", "gelu", "tanh", "sigmoid"], 0, 0),
    ];

    private static readonly Dictionary<string, double> ActivationCost = new()
    {
        ["relu"] = 0, ["gelu"] = 0.25, ["tanh"] = 1, ["sigmoid"] = 2,
    };

    /// <summary>
    /// The regret of one point: 0 at x = 1.5, lr = 1e-3, units = 24, relu. A bowl in x, in log10(lr) and in
    /// units / 8 (so each axis matters at its own scale), with a coupling between x and lr so that the
    /// best lr moves with x, plus a cost per activation.
    /// </summary>
    public static double Regret(IReadOnlyDictionary<string, object> p)
    {
        var x = (double)p["x"] - 1.5;
        var decades = Math.Log10((double)p["lr"]) + 3;
        var units = ((long)p["units"] - 24) / 8.0;
        return x * x + (decades - 0.3 * x) * (decades - 0.3 * x) + units * units + ActivationCost[(string)p["activation"]];
    }

    public static void Run(string[] args)
    {
        var trials = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
        var seeds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        int[] budgets = [.. new[] { 10, 20, 30, 50, 75, 100, 150, 200 }.Where(b => b <= trials)];

        var curves = new Dictionary<SweepMethod, double[][]>();
        foreach (var method in new[] { SweepMethod.Random, SweepMethod.Tpe })
            curves[method] = [.. Enumerable.Range(0, seeds).Select(seed => BestSoFar(method, seed, trials))];

        Console.WriteLine($"best-so-far regret (0 is the optimum), mean ± std over {seeds} sweep seeds (0..{seeds - 1}), {trials} trials each");
        Console.WriteLine("| trials | random | tpe | tpe ahead in |");
        Console.WriteLine("| ---: | ---: | ---: | ---: |");
        foreach (var budget in budgets)
        {
            var random = curves[SweepMethod.Random].Select(c => c[budget - 1]).ToArray();
            var tpe = curves[SweepMethod.Tpe].Select(c => c[budget - 1]).ToArray();
            var ahead = tpe.Zip(random).Count(pair => pair.First < pair.Second);
            Console.WriteLine(FormattableString.Invariant($"| {budget} | {Describe(random)} | {Describe(tpe)} | {ahead}/{seeds} |"));
        }
    }

    /// <summary>The best regret after each trial of one sequential sweep.</summary>
    private static double[] BestSoFar(SweepMethod method, int seed, int trials)
    {
        var sampler = method == SweepMethod.Tpe
            ? (ISweepSampler)new TpeSampler(Space, seed, MetricGoal.Min)
            : new RandomSampler(Space, seed);
        var done = new List<TrialObservation>();
        var best = new double[trials];
        for (var n = 0; n < trials; n++)
        {
            var parameters = sampler.Suggest(done, n)!;
            var regret = Regret(parameters);
            done.Add(new TrialObservation(n, parameters, TrialState.Completed, regret));
            best[n] = Math.Min(regret, n > 0 ? best[n - 1] : double.PositiveInfinity);
        }
        return best;
    }

    private static string Describe(double[] values)
    {
        var mean = values.Average();
        var std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        return FormattableString.Invariant($"{mean:0.000} ± {std:0.000}");
    }
}

// The Parzen estimator of Optuna's TPE for one parameter: a mixture with one kernel per observation
// plus a prior kernel. Numbers get truncated Gaussians centred on the observations, each as wide as the
// larger gap to its sorted neighbours (the range's ends count as neighbours; consider_endpoints off, so
// the outermost kernels take the inner gap), clipped to [range / min(100, 1 + kernels), range] (the
// "magic clip"); the prior is centred on the range with the whole range as its width. Categories get
// one row per observation, prior_weight / kernels on every choice plus 1 on the observed one,
// normalised. Kernel weights are Optuna's default_weights (flat, older ones ramped down past 25),
// with the prior weighing 1, normalised.
using Workbench.Data;

namespace Workbench.Experiments.Sweeps;

internal sealed class ParzenEstimator
{
    private const double PriorWeight = 1.0;

    private readonly ParameterSpace _space;

    private ParzenEstimator(ParameterSpace space, double[] weights, double[] mus, double[] sigmas, double[][] categories)
    {
        _space = space;
        Weights = weights;
        Mus = mus;
        Sigmas = sigmas;
        Categories = categories;
    }

    /// <summary>The kernels' weights, normalised; the prior's is last.</summary>
    public IReadOnlyList<double> Weights { get; }

    /// <summary>Numbers: each kernel's centre and width in the parameter's space (log space for a log range).</summary>
    public IReadOnlyList<double> Mus { get; }

    public IReadOnlyList<double> Sigmas { get; }

    /// <summary>Categories: each kernel's probability of each choice.</summary>
    public IReadOnlyList<double[]> Categories { get; }

    /// <summary>An estimator from <paramref name="observations"/> (points of the space, oldest trial first).</summary>
    public static ParzenEstimator Fit(ParameterSpace space, IReadOnlyList<double> observations)
    {
        var n = observations.Count;
        double[] weights = n == 0 ? [1.0] : [.. DefaultWeights(n), PriorWeight];
        var total = weights.Sum();
        weights = [.. weights.Select(w => w / total)];
        if (space.IsCategorical) return new(space, weights, [], [], Categorical(space.Choices, observations));
        var (mus, sigmas) = Kernels(space, observations);
        return new(space, weights, mus, sigmas, []);
    }

    /// <summary>Optuna's default_weights: 1 each below 25 observations; past that the oldest n - 25 ramp from 1/n up to 1.</summary>
    public static double[] DefaultWeights(int n)
    {
        if (n < 25) return [.. Enumerable.Repeat(1.0, n)];
        var ramp = n - 25;
        return [.. Enumerable.Range(0, ramp).Select(i => ramp == 1 ? 1.0 / n : 1.0 / n + (1 - 1.0 / n) * i / (ramp - 1)), .. Enumerable.Repeat(1.0, 25)];
    }

    private static double[][] Categorical(int choices, IReadOnlyList<double> observations)
    {
        var n = observations.Count;
        if (n == 0) return [Enumerable.Repeat(1.0 / choices, choices).ToArray()];
        var kernels = n + 1;
        var rows = new double[kernels][];
        for (var k = 0; k < kernels; k++)
        {
            var row = Enumerable.Repeat(PriorWeight / kernels, choices).ToArray();
            if (k < n) row[(int)observations[k]] += 1;
            var sum = row.Sum();
            rows[k] = [.. row.Select(p => p / sum)];
        }
        return rows;
    }

    private static (double[] Mus, double[] Sigmas) Kernels(ParameterSpace space, IReadOnlyList<double> observations)
    {
        // An integer owns [x - 1/2, x + 1/2], so the range the widths are measured on is one step wider.
        var low = space.Low - space.Step / 2;
        var high = space.High + space.Step / 2;
        var n = observations.Count;
        var prior = 0.5 * (low + high);

        // Sorted centres, the prior's among them, with the range's ends on either side.
        var order = Enumerable.Range(0, n + 1).OrderBy(i => i < n ? observations[i] : prior).ToArray();
        var sorted = new double[n + 3];
        sorted[0] = low;
        sorted[^1] = high;
        for (var i = 0; i < order.Length; i++) sorted[i + 1] = order[i] < n ? observations[order[i]] : prior;
        var widths = new double[n + 1];
        for (var i = 0; i < widths.Length; i++)
            widths[i] = Math.Max(sorted[i + 1] - sorted[i], sorted[i + 2] - sorted[i + 1]);
        if (sorted.Length >= 4)
        {
            widths[0] = sorted[2] - sorted[1];
            widths[^1] = sorted[^2] - sorted[^3];
        }

        var maxSigma = high - low;
        var minSigma = (high - low) / Math.Min(100.0, 1.0 + (n + 1));
        var mus = new double[n + 1];
        var sigmas = new double[n + 1];
        for (var i = 0; i < order.Length; i++)
        {
            if (order[i] == n) continue;
            mus[order[i]] = observations[order[i]];
            sigmas[order[i]] = Math.Clamp(widths[i], minSigma, maxSigma);
        }
        mus[n] = prior;
        sigmas[n] = high - low;
        return (mus, sigmas);
    }

    /// <summary>One draw: a kernel by weight, then a point from it (an integer rounded to its step, a category index).</summary>
    public double Sample(SplitMix64 rng)
    {
        var k = Pick(Weights, rng.NextDouble());
        if (_space.IsCategorical) return Pick(Categories[k], rng.NextDouble());
        var half = _space.Step / 2;
        var x = TruncatedNormal.Quantile(1 - rng.NextDouble(), Mus[k], Sigmas[k], _space.Low - half, _space.High + half);
        return _space.Step == 0 ? x : Math.Clamp(_space.Low + Math.Round((x - _space.Low) / _space.Step) * _space.Step, _space.Low, _space.High);
    }

    /// <summary>log of the mixture's density at x (for an integer or a category: its probability).</summary>
    public double LogPdf(double x)
    {
        var terms = new double[Weights.Count];
        var half = _space.Step / 2;
        for (var k = 0; k < terms.Length; k++)
        {
            double log;
            if (_space.IsCategorical)
                log = Math.Log(Categories[k][(int)x]);
            else if (_space.Step == 0)
                log = TruncatedNormal.LogPdf(x, Mus[k], Sigmas[k], _space.Low, _space.High);
            else
                log = TruncatedNormal.LogMass((x - half - Mus[k]) / Sigmas[k], (x + half - Mus[k]) / Sigmas[k])
                      - TruncatedNormal.LogMass((_space.Low - half - Mus[k]) / Sigmas[k], (_space.High + half - Mus[k]) / Sigmas[k]);
            terms[k] = log + Math.Log(Weights[k]);
        }
        var max = terms.Max();
        if (double.IsNegativeInfinity(max)) return max;
        return max + Math.Log(terms.Sum(t => Math.Exp(t - max)));
    }

    private static int Pick(IReadOnlyList<double> probabilities, double u)
    {
        var cumulative = 0.0;
        for (var i = 0; i < probabilities.Count - 1; i++)
        {
            cumulative += probabilities[i];
            if (u < cumulative) return i;
        }
        return probabilities.Count - 1;
    }
}

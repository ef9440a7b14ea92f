// The seeded PRNG behind every split: pinned to the published SplitMix64 sequence so splits never drift.
namespace Workbench.Data.Tests;

public sealed class SplitMix64Tests
{
    [Fact]
    public void The_sequence_for_seed_1234567_matches_the_reference_algorithm()
    {
        var rng = new SplitMix64(1234567UL);

        Assert.Equal([6457827717110365317UL, 3203168211198807973UL, 9817491932198370423UL], [rng.Next(), rng.Next(), rng.Next()]);
    }

    [Fact]
    public void A_shuffle_is_a_permutation_fixed_by_the_seed()
    {
        int[] Shuffled(int seed)
        {
            var items = Enumerable.Range(0, 100).ToArray();
            new SplitMix64(seed).Shuffle(items);
            return items;
        }

        Assert.Equal(Enumerable.Range(0, 100), Shuffled(5).Order());
        Assert.Equal(Shuffled(5), Shuffled(5));
        Assert.NotEqual(Shuffled(5), Shuffled(6));
        Assert.NotEqual(Enumerable.Range(0, 100), Shuffled(5));
    }

    [Fact]
    public void Doubles_lie_in_the_unit_interval_and_bounded_ints_below_their_bound()
    {
        var rng = new SplitMix64(9);

        for (var i = 0; i < 10_000; i++)
        {
            Assert.InRange(rng.NextDouble(), 0.0, 1.0 - double.Epsilon);
            Assert.InRange(rng.NextInt(7), 0, 6);
        }
    }
}

// Batches for SFT: padded rows and packed rows; padding is never a target, the end of turn always is,
// and packing trains every token of the stream exactly once.
using Workbench.Data.Chat;

namespace Workbench.Data.Tests.Chat;

public sealed class TokenBatchTests
{
    const int Pad = 99;
    const int Ignore = TokenBatch.IgnoreIndex;

    // Ids stand for: 1 = <|im_start|>, 2 = <|im_end|>; the trained tokens are the answer and its end of turn.
    static readonly ChatExample Short = new([1, 10, 11, 2, 1, 20, 21, 2], [false, false, false, false, false, false, true, true]);
    static readonly ChatExample Long = new([1, 10, 12, 13, 2, 1, 20, 22, 23, 2], [false, false, false, false, false, false, false, true, true, true]);

    [Fact]
    public void Padded_rows_hold_one_example_each_and_pad_on_the_right_without_targets()
    {
        var batch = TokenBatch.Padded([Short, Long], Pad);

        Assert.Equal((2, 9), (batch.Rows, batch.Columns));
        Assert.Equal([1, 10, 11, 2, 1, 20, 21, Pad, Pad], batch.Inputs[..9]);
        Assert.Equal([Ignore, Ignore, Ignore, Ignore, Ignore, 21, 2, Ignore, Ignore], batch.Targets[..9]);
        Assert.Equal([1, 10, 12, 13, 2, 1, 20, 22, 23], batch.Inputs[9..]);
        Assert.Equal([Ignore, Ignore, Ignore, Ignore, Ignore, Ignore, 22, 23, 2], batch.Targets[9..]);
    }

    [Fact]
    public void The_end_of_turn_is_a_target_in_every_row_and_the_pad_id_never_is()
    {
        var batch = TokenBatch.Padded([Short, Long, Short], Pad);

        for (int r = 0; r < batch.Rows; r++)
            Assert.Contains(2, batch.Targets.AsSpan(r * batch.Columns, batch.Columns).ToArray());
        Assert.DoesNotContain(Pad, batch.Targets);
    }

    [Fact]
    public void Packed_rows_train_each_token_after_the_first_exactly_once_as_its_example_says()
    {
        var batch = TokenBatch.Packed([Short, Long, Short], Pad, blockSize: 7);

        int[] stream = [.. Short.Ids, .. Long.Ids, .. Short.Ids];
        bool[] trained = [.. Short.Trained, .. Long.Trained, .. Short.Trained];
        int[] expected = [.. stream.Skip(1).Select((id, i) => trained[i + 1] ? id : Ignore)];
        Assert.Equal(4, batch.Rows);  // 25 targets in rows of 7
        Assert.Equal(expected, batch.Targets[..expected.Length]);
        Assert.All(batch.Targets[expected.Length..], t => Assert.Equal(Ignore, t));
        Assert.Equal(stream[..^1], batch.Inputs[..(stream.Length - 1)]);
        Assert.All(batch.Inputs[(stream.Length - 1)..], t => Assert.Equal(Pad, t));
    }

    [Fact]
    public void An_example_that_crosses_a_row_boundary_goes_on_in_the_next_row_with_its_mask()
    {
        var batch = TokenBatch.Packed([Long], Pad, blockSize: 4);

        Assert.Equal((3, 4), (batch.Rows, batch.Columns));
        Assert.Equal([1, 10, 12, 13, 2, 1, 20, 22, 23, Pad, Pad, Pad], batch.Inputs);
        Assert.Equal([Ignore, Ignore, Ignore, Ignore, Ignore, Ignore, 22, 23, 2, Ignore, Ignore, Ignore], batch.Targets);
    }

    [Fact]
    public void Examples_too_short_to_predict_anything_are_refused()
    {
        Assert.Throws<ArgumentException>(() => TokenBatch.Padded([new ChatExample([1], [false])], Pad));
        Assert.Throws<ArgumentException>(() => TokenBatch.Packed([], Pad, 4));
    }
}

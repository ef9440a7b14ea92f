// An encoded conversation: its token ids and which of them the model is trained to produce.
namespace Workbench.Data.Chat;

/// <summary>
/// <paramref name="Ids"/> and <paramref name="Trained"/> have the same length. Trained[i] is true
/// exactly on the content tokens of assistant turns and on each assistant turn's end of turn: the
/// loss is taken where the target is such a token, so the model learns to answer and to stop, and
/// never to write the user's part.
/// </summary>
public sealed record ChatExample(int[] Ids, bool[] Trained)
{
    public int Length => Ids.Length;
}

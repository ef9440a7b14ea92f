// How many examples each split gets from val/test fractions, checked once here for every dataset.
namespace Workbench.Data;

internal readonly record struct SplitSizes(int Train, int Val, int Test)
{
    /// <summary>
    /// Val and test get round(count * fraction) examples each (so 0.1 of 60,000 is exactly 6,000); train keeps the rest.
    /// </summary>
    public static SplitSizes Of(int count, double val, double test, string dataset)
    {
        if (!(val >= 0 && val < 1) || !(test >= 0 && test < 1) || !(val + test < 1))
            throw new DataException(
                $"{dataset}: split fractions val={val} and test={test} must each be in [0, 1) and leave something to train on (val + test < 1).");
        var nVal = (int)Math.Round(count * val, MidpointRounding.AwayFromZero);
        var nTest = (int)Math.Round(count * test, MidpointRounding.AwayFromZero);
        return new SplitSizes(count - nVal - nTest, nVal, nTest);
    }

    /// <summary>nanoGPT's split: the text's head trains, the next piece validates, the tail tests.</summary>
    public static TextCorpus TailSplit(string text, double val, double test, string dataset, string contentHash)
    {
        var sizes = Of(text.Length, val, test, dataset);
        var trainEnd = OnCharBoundary(text, sizes.Train);
        var valEnd = OnCharBoundary(text, sizes.Train + sizes.Val);
        return new TextCorpus(text[..trainEnd], text[trainEnd..valEnd], text[valEnd..], contentHash);
    }

    // Never cut a surrogate pair in two: a lone half is not a character.
    static int OnCharBoundary(string text, int index) =>
        index > 0 && index < text.Length && char.IsLowSurrogate(text[index]) ? index - 1 : index;
}

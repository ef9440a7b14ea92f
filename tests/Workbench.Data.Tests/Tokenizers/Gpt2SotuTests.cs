// GPT-2 on the whole State of the Union corpus: the same ids as Microsoft.ML.Tokenizers' own GPT-2
// (which knows only end-of-text, absent from the corpus) and an exact round trip.
using Microsoft.ML.Tokenizers;
using Workbench.Data.Tokenizers;

namespace Workbench.Data.Tests.Tokenizers;

[Collection(NpmCacheCollection.Name)]
public sealed class Gpt2SotuTests(NpmCacheFixture fixture)
{
    [Fact]
    public void The_corpus_encodes_to_the_librarys_gpt2_ids_and_decodes_back_exactly()
    {
        string text = Datasets.Sotu(fixture.Cache, 0, 0).Train;
        var library = TiktokenTokenizer.CreateForModel("gpt2");

        int[] ids = Gpt2Tokenizer.Instance.Encode(text);

        Assert.Equal(library.EncodeToIds(text), ids);
        Assert.Equal(text, Gpt2Tokenizer.Instance.Decode(ids));
        Assert.InRange(text.Length / (double)ids.Length, 4.5, 6.5);  // English prose: about five characters a token
    }
}

using System.Collections.Generic;
using System.Linq;
using GenNet.Data;
using Xunit;
using static TorchSharp.torch;

namespace GenNet.Tests.Data;

/// <summary>As in PyTorch: a loader or sampler without a seed of its own draws each epoch's seed from TorchSharp's
/// global generator, so <c>torch.manual_seed</c> alone reproduces a run.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class SeedTests
{
    private static readonly IDataset<(float[], long)> Items = Dataset.FromFunc(40, i => (new[] { (float)i }, (long)i));

    private static List<long[]> Epochs(DataLoader<(Tensor X, Tensor Y)> loader, int epochs = 2)
    {
        var result = new List<long[]>();
        for (var e = 0; e < epochs; e++)
            result.Add(loader.SelectMany(b => b.Y.data<long>().ToArray()).ToArray());
        return result;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void ManualSeedAloneReproducesTheShuffledEpochs(int workers)
    {
        manual_seed(42);
        using var first = Items.ToDataLoader(batchSize: 8, shuffle: true, numWorkers: workers);
        var a = Epochs(first);
        manual_seed(42);
        using var second = Items.ToDataLoader(batchSize: 8, shuffle: true, numWorkers: workers);
        var b = Epochs(second);
        Assert.Equal(a, b);
        Assert.NotEqual(a[0], a[1]); // a new order every epoch

        manual_seed(43);
        using var other = Items.ToDataLoader(batchSize: 8, shuffle: true, numWorkers: workers);
        Assert.NotEqual(a[0], Epochs(other, 1)[0]);
    }

    [Fact]
    public void TheSeedIsDrawnWhenTheEpochStartsNotWhenTheLoaderIsCreated()
    {
        using var loader = Items.ToDataLoader(batchSize: 8, shuffle: true);
        manual_seed(7);
        var a = Epochs(loader, 1)[0];
        manual_seed(7);
        Assert.Equal(a, Epochs(loader, 1)[0]);
    }

    [Fact]
    public void AnExplicitSeedWinsOverTheGlobalGenerator()
    {
        manual_seed(1);
        using var first = Items.ToDataLoader(batchSize: 8, shuffle: true, seed: 5);
        var a = Epochs(first);
        manual_seed(2);
        using var second = Items.ToDataLoader(batchSize: 8, shuffle: true, seed: 5);
        Assert.Equal(a, Epochs(second));
    }

    [Fact]
    public void TheBatchContextSeedFollowsManualSeedToo()
    {
        List<int> Seeds()
        {
            var seeds = new List<int>();
            var ds = Dataset.FromFunc(12, i =>
            {
                lock (seeds)
                    seeds.Add(DataLoaderContext.Current!.Random.Next());
                return (new[] { (float)i }, (long)i);
            });
            using var loader = ds.ToDataLoader(batchSize: 4);
            foreach (var batch in loader)
                batch.X.Dispose();
            return seeds;
        }
        manual_seed(9);
        var a = Seeds();
        manual_seed(9);
        Assert.Equal(a, Seeds());
        manual_seed(10);
        Assert.NotEqual(a, Seeds());
    }

    [Fact]
    public void AnUnseededRandomSamplerDrawsFromTheGlobalGeneratorEachEpoch()
    {
        manual_seed(3);
        var sampler = new RandomSampler(30);
        var (a0, a1) = (sampler.ToArray(), sampler.ToArray());
        manual_seed(3);
        var again = new RandomSampler(30);
        Assert.Equal(a0, again.ToArray());
        Assert.Equal(a1, again.ToArray());
        Assert.NotEqual(a0, a1);
        Assert.Throws<System.InvalidOperationException>(() => sampler.Permutation(0));
    }
}

/// <summary>Tests that reseed TorchSharp's global generator run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalGeneratorCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "TorchSharp global generator";
}

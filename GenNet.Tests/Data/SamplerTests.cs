using System.Linq;
using GenNet.Data;
using Xunit;

namespace GenNet.Tests.Data;

public sealed class SamplerTests
{
    [Fact]
    public void SequentialSamplerYieldsEveryIndexInOrder()
    {
        Assert.Equal(Enumerable.Range(0, 7), new SequentialSampler(7));
        Assert.Equal(7, new SequentialSampler(7).Count);
    }

    [Fact]
    public void RandomSamplerYieldsAPermutationAndANewOneEveryEpoch()
    {
        var sampler = new RandomSampler(100, seed: 3);
        var first = sampler.ToArray();
        var second = sampler.ToArray();
        Assert.Equal(Enumerable.Range(0, 100), first.Order());
        Assert.Equal(Enumerable.Range(0, 100), second.Order());
        Assert.NotEqual(first, second);
        Assert.NotEqual(Enumerable.Range(0, 100), first);
    }

    [Fact]
    public void RandomSamplersWithTheSameSeedRepeatTheSameSequenceOfEpochs()
    {
        var a = new RandomSampler(50, seed: 11);
        var b = new RandomSampler(50, seed: 11);
        for (var epoch = 0; epoch < 3; epoch++)
            Assert.Equal(a.ToArray(), b.ToArray());
        Assert.NotEqual(new RandomSampler(50, seed: 12).ToArray(), new RandomSampler(50, seed: 11).ToArray());
    }

    [Fact]
    public void RandomSamplerEpochCanBeSetToReplayAnEpoch()
    {
        var sampler = new RandomSampler(30, seed: 5);
        sampler.ToArray();
        var epoch1 = sampler.ToArray();
        sampler.Epoch = 1;
        Assert.Equal(epoch1, sampler.ToArray());
        Assert.Equal(epoch1, sampler.Permutation(1));
    }

    [Theory]
    [InlineData(10, 3, false, new[] { 3, 3, 3, 1 })]
    [InlineData(10, 3, true, new[] { 3, 3, 3 })]
    [InlineData(9, 3, false, new[] { 3, 3, 3 })]
    [InlineData(9, 3, true, new[] { 3, 3, 3 })]
    [InlineData(2, 5, false, new[] { 2 })]
    [InlineData(2, 5, true, new int[0])]
    [InlineData(0, 4, false, new int[0])]
    public void BatchSamplerHasPyTorchsCountsAndSizes(int n, int batchSize, bool dropLast, int[] sizes)
    {
        var batches = new BatchSampler(new SequentialSampler(n), batchSize, dropLast);
        var produced = batches.ToList();
        Assert.Equal(sizes, produced.Select(b => b.Length));
        Assert.Equal(sizes.Length, batches.Count);
        Assert.Equal(Enumerable.Range(0, sizes.Sum()), produced.SelectMany(b => b));
    }
}

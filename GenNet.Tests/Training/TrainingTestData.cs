using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GenNet.Tests.Training;

/// <summary>Small synthetic classification data and models shared by the training tests.</summary>
internal static class TrainingTestData
{
    /// <summary>Three separable-ish classes in 6 dimensions; tensors detached from any scope.</summary>
    public static (Tensor x, Tensor y) Classes(int n, long seed)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)seed);
        var y = randint(0, 3, new long[] { n }, generator: generator);
        var centers = tensor(new float[] { 2, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0 }).reshape(3, 6);
        var x = centers.index_select(0, y) + randn(new long[] { n, 6 }, generator: generator);
        return (x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope());
    }

    /// <summary>Pre-made batches of the given sizes (views of <paramref name="data"/>).</summary>
    public static List<(Tensor x, Tensor y)> Batches((Tensor x, Tensor y) data, params int[] sizes)
    {
        var batches = new List<(Tensor x, Tensor y)>();
        long start = 0;
        foreach (var size in sizes)
        {
            batches.Add((data.x.narrow(0, start, size), data.y.narrow(0, start, size)));
            start += size;
        }
        return batches;
    }

    public static TorchSharp.Modules.Sequential Model(long seed, int hidden = 16)
    {
        random.manual_seed(seed);
        return Sequential(Linear(6, hidden), ReLU(), Linear(hidden, 3));
    }

    public static Tensor CrossEntropy(Tensor preds, Tensor y) => functional.cross_entropy(preds, y);

    public static float[] Flatten(IEnumerable<TorchSharp.Modules.Parameter> ps) =>
        ps.SelectMany(p => p.detach().cpu().data<float>().ToArray()).ToArray();
}

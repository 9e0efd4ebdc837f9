using System;
using System.CommandLine;
using GenNet.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace GenNet.Samples;

/// <summary>The program a new user runs first: <c>dotnet run --project GenNet.Samples -c Release</c>.</summary>
internal static class MainJob
{
    public static RootCommand CreateCommand()
    {
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 42 };
        var root = new RootCommand("GenNet samples: the main job (default), benchmarks (bench) and the lesson walk-through (lesson).");
        root.Options.Add(seed);
        root.SetAction(result => Run(result.GetValue(seed)));
        return root;
    }

    private static int Run(int seed)
    {
        TorchNative.EnsureLoaded();
        torch.manual_seed(seed);
        using var scope = NewDisposeScope();
        var layer = nn.Linear(784, 50);
        var input = rand(64, 784);
        var output = layer.call(input);
        Console.WriteLine($"linear: in_features={layer.in_features} out_features={layer.out_features}");
        Console.WriteLine($"input: [{string.Join(", ", input.shape)}] output: [{string.Join(", ", output.shape)}]");
        Console.WriteLine($"checksum: {output.sum().item<float>():F4}");
        return 0;
    }
}

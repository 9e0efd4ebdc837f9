using System.CommandLine;

namespace GenNet.Samples.Benchmarks;

/// <summary><c>bench &lt;name&gt;</c>: benchmark harnesses that print figures and ratios against their references.</summary>
internal static class BenchCommands
{
    public static Command Create()
    {
        var bench = new Command("bench", "Run a benchmark; each prints a table and a one-line summary as its last line.");
        bench.Subcommands.Add(GeneratorBench.Create());
        bench.Subcommands.Add(LoaderBench.Create());
        bench.Subcommands.Add(TrainBench.Create());
        bench.Subcommands.Add(OptimBench.Create());
        bench.Subcommands.Add(CheckpointBench.Create());
        bench.Subcommands.Add(HubBench.Create());
        return bench;
    }
}

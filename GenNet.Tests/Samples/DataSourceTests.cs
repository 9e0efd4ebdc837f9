using System;
using System.Collections.Generic;
using System.IO;
using GenNet.Tests.Support;
using Xunit;

namespace GenNet.Tests.Samples;

/// <summary>
/// <c>lesson data</c> and <c>bench loader</c> read the main job's Fashion-MNIST sources: without Debian's package they
/// use the repository copy, and they use random data only when asked.
/// </summary>
[Collection(SamplesBuildCollection.Name)]
public sealed class DataSourceTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(8);

    private static ProcessResult RunSamples(string repo, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var all = new List<string> { "run", "--project", "GenNet.Samples", "-c", "Release", "--" };
        all.AddRange(arguments);
        return ProcessRunner.Run("dotnet", all, repo, Limit, environment);
    }

    [Fact]
    public void WithoutDebiansPackageLessonDataAndBenchLoaderReadTheRepositoryCopy()
    {
        string repo = ProcessRunner.RepositoryRoot();
        string missing = Path.Combine(Path.GetTempPath(), "gennet-no-debian-" + Guid.NewGuid().ToString("N"));
        var environment = new Dictionary<string, string?> { ["GENNET_FASHION_MNIST_DEBIAN"] = missing };

        var lesson = RunSamples(repo, environment, "lesson", "data");
        Assert.True(lesson.ExitCode == 0, lesson.Output);
        Assert.Matches(@"Training set: Fashion-MNIST \(.*fashion-mnist\): x \[60000, 784\]", lesson.StandardOutput);
        Assert.DoesNotContain("/usr/share/datasets/fashion-mnist", lesson.StandardOutput);
        Assert.DoesNotContain("random data", lesson.StandardOutput);

        var bench = RunSamples(repo, environment, "bench", "loader", "--data-only");
        Assert.True(bench.ExitCode == 0, bench.Output);
        Assert.Matches(@"data: Fashion-MNIST 60000×28×28 from .*fashion-mnist;", bench.StandardOutput);
        Assert.DoesNotContain("/usr/share/datasets/fashion-mnist", bench.StandardOutput);

        var random = RunSamples(repo, environment, "bench", "loader", "--data-only", "--random-data");
        Assert.True(random.ExitCode == 0, random.Output);
        Assert.Contains("data: random 60000×28×28 (--random-data)", random.StandardOutput);

        var wrongFolder = RunSamples(repo, environment, "lesson", "data", "--data", missing);
        Assert.NotEqual(0, wrongFolder.ExitCode);
        Assert.Contains($"--data '{missing}' does not contain the four Fashion-MNIST files", wrongFolder.StandardError);
    }
}

/// <summary>Tests that build and run GenNet.Samples in a child process run alone, after the parallel ones, so two
/// builds of the same project never overlap.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SamplesBuildCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "GenNet.Samples child builds";
}

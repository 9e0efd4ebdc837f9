using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using GenNet.Tests.Support;
using Xunit;

namespace GenNet.Tests.Samples;

/// <summary>
/// The README's main command, run as a user runs it: it builds GenNet.Samples as a project reference consumer of
/// GenNet (generators, native fix), trains the lesson MLP on the real Fashion-MNIST and must reach 85% in 5 epochs.
/// </summary>
public sealed class MainJobTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(8);
    private static readonly Regex FinalLine = new(
        @"^final: epochs=(\d+) valid_loss=(\d+\.\d{4}) valid_accuracy=(\d\.\d{4}) seconds=(\d+\.\d)$", RegexOptions.Multiline);

    [Fact]
    public void TheMainCommandTrainsToAtLeast85PercentAndEndsWithTheFinalLine()
    {
        string repo = ProcessRunner.RepositoryRoot();

        var run = ProcessRunner.Run("dotnet", new[] { "run", "--project", "GenNet.Samples", "-c", "Release" }, repo, Limit);

        Assert.True(run.ExitCode == 0, run.Output);
        string last = run.StandardOutput.TrimEnd().Split('\n').Last().TrimEnd('\r');
        var match = FinalLine.Match(last);
        Assert.True(match.Success, $"last line was '{last}'\n{run.Output}");
        Assert.Equal("5", match.Groups[1].Value);
        double accuracy = double.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture);
        Assert.True(accuracy >= 0.85, $"valid_accuracy {accuracy} < 0.85\n{run.Output}");
        Assert.Contains("(l1): Linear(in_features=784, out_features=50, bias=True)", run.StandardOutput);
        Assert.Equal(5, Regex.Matches(run.StandardOutput, @"^epoch \d .*valid_accuracy=", RegexOptions.Multiline).Count);
    }

    [Fact]
    public void TheEmbeddedCopyIsReadableAndAMissingFolderIsAClearError()
    {
        string repo = ProcessRunner.RepositoryRoot();
        string embedded = Path.Combine(repo, "GenNet.Samples", "Data", "fashion-mnist");
        Assert.True(ProcessRunner.Run("dotnet", new[] { "build", "GenNet.Samples", "-c", "Release" }, repo, Limit).ExitCode == 0);

        var fromCopy = ProcessRunner.Run("dotnet",
            new[] { "run", "--project", "GenNet.Samples", "-c", "Release", "--no-build", "--", "--data", embedded, "--epochs", "1" }, repo, Limit);
        Assert.True(fromCopy.ExitCode == 0, fromCopy.Output);
        Assert.Contains($"from {embedded} (train 60000, valid 10000)", fromCopy.StandardOutput);
        Assert.Matches(FinalLine, fromCopy.StandardOutput);

        string missing = Path.Combine(Path.GetTempPath(), "gennet-no-data-" + Guid.NewGuid().ToString("N"));
        var none = ProcessRunner.Run("dotnet",
            new[] { "run", "--project", "GenNet.Samples", "-c", "Release", "--no-build", "--", "--data", missing }, repo, Limit);
        Assert.NotEqual(0, none.ExitCode);
        Assert.Contains($"--data '{missing}' does not exist", none.StandardError);
    }
}

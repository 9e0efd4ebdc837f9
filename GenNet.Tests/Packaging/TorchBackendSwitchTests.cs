using System;
using System.IO;
using GenNet.Tests.Support;
using Xunit;

namespace GenNet.Tests.Packaging;

/// <summary>
/// The MSBuild switch that picks libtorch's native bundle. Only evaluated, never restored: the CUDA packages are not
/// served on the build machines.
/// </summary>
public sealed class TorchBackendSwitchTests
{
    [NotOnMacOSTheory("only the CPU bundle exists for macOS; the build itself checks it")]
    [InlineData(null, "libtorch-cpu-linux-x64", "libtorch-cpu-win-x64")]
    [InlineData("cpu", "libtorch-cpu-linux-x64", "libtorch-cpu-win-x64")]
    [InlineData("cuda", "TorchSharp-cuda-linux", "TorchSharp-cuda-windows")]
    public void TorchBackendResolvesToTheNativePackage(string? backend, string onLinux, string onWindows)
    {
        string repo = ProcessRunner.RepositoryRoot();
        var arguments = new[] { "msbuild", Path.Combine(repo, "GenNet.Samples", "GenNet.Samples.csproj"), "-getProperty:TorchNativePackage" };
        if (backend is not null)
            arguments = [.. arguments, $"-p:TorchBackend={backend}"];

        var result = ProcessRunner.Run("dotnet", arguments, repo, TimeSpan.FromMinutes(3));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(OperatingSystem.IsWindows() ? onWindows : onLinux, result.StandardOutput.Trim());
    }

    [Fact]
    public void TheRuntimeLibraryReferencesNoNativeBundle()
    {
        string repo = ProcessRunner.RepositoryRoot();
        var result = ProcessRunner.Run("dotnet",
            new[] { "msbuild", Path.Combine(repo, "GenNet.Runtime", "GenNet.Runtime.csproj"), "-getItem:PackageReference" },
            repo, TimeSpan.FromMinutes(3));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("\"Identity\": \"TorchSharp\"", result.StandardOutput);
        Assert.DoesNotContain("libtorch", result.StandardOutput);
        Assert.DoesNotContain("TorchSharp-c", result.StandardOutput);
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using GenNet.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace GenNet.Tests.Packaging;

/// <summary>
/// Packs GenNet.Runtime, then builds, runs and publishes a brand-new console project that consumes the package from a
/// local folder feed — the proof that users of the NuGet package get the library, the generators and the native fix.
/// </summary>
public sealed class NuGetConsumptionTests : IDisposable
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(8);
    private readonly ITestOutputHelper _log;
    private readonly string _work = Path.Combine(Path.GetTempPath(), "gennet-pack-" + Guid.NewGuid().ToString("N"));

    public NuGetConsumptionTests(ITestOutputHelper log)
    {
        _log = log;
        Directory.CreateDirectory(_work);
    }

    public void Dispose()
    {
        try { Directory.Delete(_work, recursive: true); }
        catch (IOException) { } // best effort: a leftover temp folder must not fail the test
    }

    [Fact]
    public void APackedGenNetWorksInAFreshConsoleProject()
    {
        // A version no earlier run used, so the global package cache cannot hand back a stale GenNet.
        string version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        string feed = Path.Combine(_work, "feed");
        string repo = ProcessRunner.RepositoryRoot();

        Dotnet(repo, "pack", Path.Combine(repo, "GenNet.Runtime", "GenNet.Runtime.csproj"), "-c", "Release", "-o", feed, $"-p:Version={version}");
        string package = Path.Combine(feed, $"GenNet.{version}.nupkg");
        AssertPackageLayout(package);

        string app = Path.Combine(_work, "consumer");
        WriteConsumer(app, feed, version);
        Dotnet(app, "build", "-c", "Release");
        string expected = ExpectedProduct();

        var run = Dotnet(app, "run", "-c", "Release", "--no-build");
        Assert.Contains($"matmul: {expected}", run.StandardOutput);
        Assert.Contains("module: Linear(in_features=2, out_features=1, bias=True)", run.StandardOutput, StringComparison.Ordinal);

        // dotnet publish lays the natives out flat beside the app: the fix must find them there too.
        string published = Path.Combine(_work, "published");
        Dotnet(app, "publish", "-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-o", published);
        var fromPublish = ProcessRunner.Run("dotnet", new[] { Path.Combine(published, "Consumer.dll") }, published, Step);
        Assert.True(fromPublish.ExitCode == 0, fromPublish.Output);
        Assert.Contains($"matmul: {expected}", fromPublish.StandardOutput);

        // Where the fix was needed, turning it off must give GenNet's one actionable message, not a type-initializer chain.
        if (run.StandardOutput.Contains("native: Patched"))
        {
            var unfixed = ProcessRunner.Run("dotnet", new[] { Path.Combine(published, "Consumer.dll") }, published, Step,
                new Dictionary<string, string?> { ["GENNET_NATIVE_FIX"] = "0" });
            Assert.NotEqual(0, unfixed.ExitCode);
            Assert.Contains("GenNet.Native.TorchNativeLoadException: libtorch could not be loaded from", unfixed.StandardError);
            Assert.Contains("libLibTorchSharp.so", unfixed.StandardError);
            Assert.Contains("GLIBCXX_3.4.32", unfixed.StandardError);
            Assert.Contains("README", unfixed.StandardError);
        }
    }

    private static void AssertPackageLayout(string package)
    {
        Assert.True(File.Exists(package), $"dotnet pack did not produce {package}.");
        using var zip = ZipFile.OpenRead(package);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("lib/net10.0/GenNet.Runtime.dll", entries);
        Assert.Contains("lib/net10.0/GenNet.Runtime.xml", entries);
        Assert.Contains("analyzers/dotnet/cs/GenNet.Generators.dll", entries);
        Assert.Contains("buildTransitive/GenNet.props", entries);
        Assert.Contains("README.md", entries);
        Assert.DoesNotContain(entries, e => e.EndsWith(".so", StringComparison.Ordinal)); // natives come from the backend package

        using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        string manifest = nuspec.ReadToEnd();
        Assert.Contains("<license type=\"expression\">MIT</license>", manifest);
        Assert.Contains("<repository type=\"git\"", manifest);
        Assert.Contains("id=\"TorchSharp\" version=\"0.107.0\"", manifest);
        Assert.DoesNotContain("libtorch-cpu", manifest);
        Assert.DoesNotContain("Microsoft.CodeAnalysis", manifest);
    }

    private static void WriteConsumer(string folder, string feed, string version)
    {
        Directory.CreateDirectory(folder);
        string nativePackage = OperatingSystem.IsWindows() ? "libtorch-cpu-win-x64" : OperatingSystem.IsMacOS() ? "libtorch-cpu-osx-arm64" : "libtorch-cpu-linux-x64";
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(folder, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="GenNet" Version="{version}" />
                <PackageReference Include="{nativePackage}" Version="2.10.0" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), """
            using System;
            using System.Linq;
            using GenNet;
            using GenNet.Native;
            using TorchSharp;
            using static TorchSharp.torch;

            var a = arange(1, 5, dtype: ScalarType.Float32).reshape(2, 2);
            Console.WriteLine("matmul: " + string.Join(" ", a.matmul(a).data<float>().ToArray()));
            Console.WriteLine("native: " + (TorchNative.Preparation?.Kind.ToString() ?? "none"));
            Console.WriteLine("module: " + new Tiny());

            [Module]
            public partial class Tiny : nn.Module<Tensor, Tensor>
            {
                private readonly TorchSharp.Modules.Linear fc;
                public Tiny() : base(nameof(Tiny)) { fc = nn.Linear(2, 1); RegisterComponents(); }
                public override Tensor forward(Tensor x) => fc.call(x);
                public override string ToString() => "Linear(in_features=2, out_features=1, bias=True)";
            }
            """);
    }

    private static string ExpectedProduct()
    {
        using var scope = NewDisposeScope();
        var a = arange(1, 5, dtype: ScalarType.Float32).reshape(2, 2);
        return string.Join(" ", a.matmul(a).data<float>().ToArray());
    }

    private ProcessResult Dotnet(string workingDirectory, params string[] arguments)
    {
        var result = ProcessRunner.Run("dotnet", arguments, workingDirectory, Step);
        _log.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, result.Output);
        return result;
    }
}

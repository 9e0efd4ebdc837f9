using System.Linq;
using GenNet.Generators.Native;
using GenNet.Tests.Generators.Harness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace GenNet.Tests.Generators.Native;

public sealed class NativeLoaderGeneratorTests
{
    private const string Consumer = "public static class Program { public static int Answer => 42; }";

    [Fact]
    public void EmitsAModuleInitializerIntoAssembliesThatReferenceGenNet()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Consumer), new NativeLoaderGenerator());

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationErrors);
        GeneratorHarness.AssertGolden("NativeLoader.g.cs.txt", run.Generated[NativeLoaderGenerator.HintName]);
    }

    [Fact]
    public void EmitsNothingWithoutAReferenceToGenNetRuntime()
    {
        var references = GeneratorHarness.DefaultReferences.Where(r => !(r.Display ?? "").EndsWith("GenNet.Runtime.dll"));
        var compilation = GeneratorHarness.CreateCompilation(Consumer).WithReferences(references);

        var run = GeneratorHarness.Run(compilation, new NativeLoaderGenerator());

        Assert.Empty(run.Generated);
    }

    [Fact]
    public void SecondRunOnAnUnchangedCompilationIsCached()
        => GeneratorHarness.AssertRunTwiceCached(
            GeneratorHarness.CreateCompilation(Consumer), new NativeLoaderGenerator(), new[] { NativeLoaderGenerator.ReferencesRuntimeStep });
}

using System.Linq;
using GenNet.Generators.Delegates;
using GenNet.Tests.Generators.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace GenNet.Tests.Generators.Delegates;

public sealed class DelegatesGeneratorTests
{
    private static GeneratorRun RunOn(params string[] sources)
        => GeneratorHarness.Run(GeneratorHarness.CreateCompilation(sources), new DelegatesGenerator());

    [Fact]
    public void EmitsTheOverloadAndTheBagForAnInstanceTarget()
    {
        var run = RunOn(DelegatesSources.Canvas, DelegatesSources.Plot);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationErrors);
        GeneratorHarness.AssertGolden("Demo.Plot.ShowImage.Delegates.g.cs.txt", GeneratorHarness.ScrubVersion(run.Generated["Demo.Plot.ShowImage.Delegates.g.cs"]));
    }

    [Fact]
    public void EmitsAKeepWrapperOverAStaticTarget()
    {
        var run = RunOn(DelegatesSources.Grid);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationErrors);
        GeneratorHarness.AssertGolden("Demo.Plotting.Subplots.Delegates.g.cs.txt", GeneratorHarness.ScrubVersion(run.Generated["Demo.Plotting.Subplots.Delegates.g.cs"]));
    }

    [Fact]
    public void EmitsAChainWhoseTargetIsAWrapper()
    {
        var run = RunOn(DelegatesSources.Grid);

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationErrors);
        GeneratorHarness.AssertGolden("Demo.Plotting.GetGrid.Delegates.g.cs.txt", GeneratorHarness.ScrubVersion(run.Generated["Demo.Plotting.GetGrid.Delegates.g.cs"]));
    }

    [Fact]
    public void AMisspeltKeywordFailsToCompileAtTheCallSite()
    {
        const string caller = """
            namespace Demo
            {
                public static class Caller
                {
                    public static string Call() => Plot.ShowImage(new float[1], new Canvas(), title: "t", cmapp: "gray");
                }
            }
            """;
        var run = RunOn(DelegatesSources.Canvas, DelegatesSources.Plot, caller);

        var error = Assert.Single(run.CompilationErrors);
        Assert.Equal("CS1739", error.Id); // "The best overload for 'ShowImage' does not have a parameter named 'cmapp'"
        Assert.Equal("cmapp", error.Location.SourceTree!.GetText().ToString(error.Location.SourceSpan));
        Assert.Equal("Source2.cs", error.Location.SourceTree.FilePath);
    }

    [Fact]
    public void CorrectlySpeltKeywordsCompile()
    {
        const string caller = """
            namespace Demo
            {
                public static class Caller
                {
                    public static string Call() => Plot.ShowImage(new float[1], new Canvas(), title: "t", cmap: "gray", mode: BlendMode.Over);
                }
            }
            """;

        Assert.Empty(RunOn(DelegatesSources.Canvas, DelegatesSources.Plot, caller).CompilationErrors);
    }

    [Theory]
    [InlineData(LanguageVersion.CSharp13)]
    [InlineData(LanguageVersion.Preview)]
    public void CallsWithoutDelegatedValuesPickTheGeneratedOverload(LanguageVersion version)
    {
        var run = GeneratorHarness.Run(
            GeneratorHarness.CreateCompilation(new[] { DelegatesSources.Canvas, DelegatesSources.Plot, CallerWithoutDelegatedValues }, version),
            new DelegatesGenerator());

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationErrors);
    }

    [Fact]
    public void BeforeCSharp13TheWrapperGetsADiagnosticInsteadOfAmbiguousCalls()
    {
        // The generated overload wins over the wrapper's own signature through [OverloadResolutionPriority] (C# 13).
        var run = GeneratorHarness.Run(
            GeneratorHarness.CreateCompilation(new[] { DelegatesSources.Canvas, DelegatesSources.Plot, CallerWithoutDelegatedValues }, LanguageVersion.CSharp12),
            new DelegatesGenerator());

        var d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("GN0107", d.Id);
        Assert.Contains("needs C# 13 or later", d.GetMessage());
        Assert.Empty(run.Generated);
    }

    private const string CallerWithoutDelegatedValues = """
        namespace Demo
        {
            public static class Caller
            {
                public static string Plain() => Plot.ShowImage(new float[1], new Canvas());
                public static string Titled() => Plot.ShowImage(new float[1], new Canvas(), "t");
            }
        }
        """;

    [Fact]
    public void SecondRunOnAnUnchangedCompilationIsCached()
        => GeneratorHarness.AssertRunTwiceCached(
            GeneratorHarness.CreateCompilation(new[] { DelegatesSources.Canvas, DelegatesSources.Plot, DelegatesSources.Grid }),
            new DelegatesGenerator(), DelegatesGenerator.TrackingNames);

    [Fact]
    public void AnUnrelatedEditLeavesEveryStepCachedOrUnchanged()
    {
        var before = GeneratorHarness.CreateCompilation(new[] { DelegatesSources.Canvas, DelegatesSources.Plot });
        var after = GeneratorHarness.ReplaceSource(before, 0, DelegatesSources.Canvas + "\nnamespace Demo { internal static class Unrelated { public static int X => 1; } }\n");

        var reasons = GeneratorHarness.ReasonsAfterEdit(before, after, new DelegatesGenerator(), DelegatesGenerator.TrackingNames);

        Assert.NotEmpty(reasons[DelegatesGenerator.AnalyzeStep]);
        foreach (var (step, stepReasons) in reasons)
            Assert.All(stepReasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {r}"));
    }

    [Fact]
    public void EditingTheTargetsDocsRegeneratesTheWrapper()
    {
        var before = GeneratorHarness.CreateCompilation(new[] { DelegatesSources.Canvas, DelegatesSources.Plot });
        var after = GeneratorHarness.ReplaceSource(before, 0, DelegatesSources.Canvas.Replace("Opacity from 0 to 1.", "Opacity, where 1 is opaque."));

        var reasons = GeneratorHarness.ReasonsAfterEdit(before, after, new DelegatesGenerator(), DelegatesGenerator.TrackingNames);
        var second = GeneratorHarness.Run(GeneratorHarness.Run(before, new DelegatesGenerator()).Driver, after);

        Assert.Equal(new[] { IncrementalStepRunReason.Modified }, reasons[DelegatesGenerator.AnalyzeStep]);
        Assert.Equal(new[] { IncrementalStepRunReason.Modified }, reasons[DelegatesGenerator.ModelStep]);
        Assert.Contains("<param name=\"alpha\">Opacity, where 1 is opaque.</param>", second.Generated["Demo.Plot.ShowImage.Delegates.g.cs"]);
    }

    [Fact]
    public void BrokenAttributeUsesNeverCrashTheGenerator()
    {
        const string broken = """
            using GenNet;
            namespace Demo
            {
                public static partial class Broken
                {
                    [Delegates(typeof(Missing), "X")] public static void A(AKwargs kwargs = default) { }
                    [Delegates(null!)] public static void B(BKwargs kwargs = default) { }
                    [Delegates("")] public static void C(CKwargs kwargs = default) { }
                    [Delegates(nameof(A), But = null, ParameterTypes = null)] public static void D(int x, DKwargs kwargs = default { }
                }
            }
            """;

        var run = RunOn(broken);

        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id == "GN0900");
        Assert.All(run.GeneratorDiagnostics, d => Assert.StartsWith("GN01", d.Id));
    }
}

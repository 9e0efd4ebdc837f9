using System.Linq;
using GenNet.Generators.Delegates;
using GenNet.Tests.Generators.Harness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace GenNet.Tests.Generators.Delegates;

/// <summary>One test per [Delegates] diagnostic: its ID, where it points, and what it says.</summary>
public sealed class DelegatesDiagnosticsTests
{
    private const string Targets = """
        namespace Demo
        {
            public class Target
            {
                public static int Run(int x, double scale = 1.0, string label = "l") => x;
                public static int Overloaded(int x, int y = 0) => x;
                public static int Overloaded(string s, int y = 0) => 0;
                private static int Hidden(int x, int y = 0) => x;
                public static int ByRef(int x, in int y = 0) => x;
                public static T Typed<T>(T value, T fallback = default!) => value;
            }
        }
        """;

    private static Diagnostic Single(string wrapper, string id, out string locatedText)
    {
        var source = "using GenNet;\nnamespace Demo\n{\n" + wrapper + "\n}\n";
        var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(new[] { Targets, source }), new DelegatesGenerator());
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal("Source1.cs", diagnostic.Location.GetLineSpan().Path);
        locatedText = Located(run, diagnostic);
        return diagnostic;
    }

    /// <summary>The source text a diagnostic points at (generator diagnostics carry their location by path and span).</summary>
    private static string Located(GeneratorRun run, Diagnostic diagnostic)
        => run.Output.SyntaxTrees.Single(t => t.FilePath == diagnostic.Location.GetLineSpan().Path)
            .GetText().ToString(diagnostic.Location.SourceSpan);

    [Fact]
    public void GN0100_TargetNotFound()
    {
        var d = Single("""
            public static partial class W
            {
                [Delegates(typeof(Target), "Rnu")] public static int M(int x, MKwargs kwargs = default) => x;
            }
            """, "GN0100", out var at);

        Assert.Equal("Delegates(typeof(Target), \"Rnu\")", at);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Contains("'Target' has no method named 'Rnu'", d.GetMessage());
    }

    [Fact]
    public void GN0101_AmbiguousTargetNamesTheCandidates()
    {
        var d = Single("""
            public static partial class W
            {
                [Delegates(typeof(Target), nameof(Target.Overloaded))] public static int M(int x, MKwargs kwargs = default) => x;
            }
            """, "GN0101", out var at);

        Assert.Equal("Delegates(typeof(Target), nameof(Target.Overloaded))", at);
        Assert.Contains("Target.Overloaded(int, int)", d.GetMessage());
        Assert.Contains("Target.Overloaded(string, int)", d.GetMessage());
        Assert.Contains("ParameterTypes", d.GetMessage());
    }

    [Fact]
    public void ParameterTypesResolvesTheAmbiguity()
    {
        var source = """
            using GenNet;
            namespace Demo
            {
                public static partial class W
                {
                    [Delegates(typeof(Target), nameof(Target.Overloaded), ParameterTypes = new[] { typeof(string) })]
                    public static int M(string s, MKwargs kwargs = default) => kwargs.Overloaded(s);
                    public static int Call() => M("a", y: 2);
                }
            }
            """;
        var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(new[] { Targets, source }), new DelegatesGenerator());

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationErrors);
    }

    [Fact]
    public void GN0102_InaccessibleTarget()
    {
        var d = Single("""
            public static partial class W
            {
                [Delegates(typeof(Target), "Hidden")] public static int M(int x, MKwargs kwargs = default) => x;
            }
            """, "GN0102", out var at);

        Assert.Equal("Delegates(typeof(Target), \"Hidden\")", at);
        Assert.Contains("'Target.Hidden(int, int)' is not accessible from 'W'", d.GetMessage());
    }

    [Fact]
    public void GN0103_WrapperNotInPartialType()
    {
        var d = Single("""
            public static partial class Outer
            {
                public static class W
                {
                    [Delegates(typeof(Target), nameof(Target.Run))] public static int M(int x, MKwargs kwargs = default) => x;
                }
            }
            """, "GN0103", out var at);

        Assert.Equal("M", at);
        Assert.Contains("'W' must be declared partial", d.GetMessage());
    }

    [Fact]
    public void GN0104_ParameterTypeClash()
    {
        var d = Single("""
            public static partial class W
            {
                [Delegates(typeof(Target), nameof(Target.Run))] public static int M(int x, string scale = "big", MKwargs kwargs = default) => x;
            }
            """, "GN0104", out var at);

        Assert.Equal("scale", at);
        Assert.Contains("Parameter 'scale' of 'W.M(int, string, MKwargs)' is 'string', but the parameter 'scale' of 'Target.Run(int, double, string)' it stands for is 'double'", d.GetMessage());
    }

    [Fact]
    public void GN0105_ByReferenceTargetParameter()
    {
        var d = Single("""
            public static partial class W
            {
                [Delegates(typeof(Target), nameof(Target.ByRef))] public static int M(int x, MKwargs kwargs = default) => x;
            }
            """, "GN0105", out var at);

        Assert.Equal("Delegates(typeof(Target), nameof(Target.ByRef))", at);
        Assert.Contains("Parameter 'y' of 'Target.ByRef(int, in int)' cannot be delegated: it is passed by reference (in)", d.GetMessage());
    }

    [Fact]
    public void GN0105_TargetParameterTypedByTheTargetsTypeParameter()
    {
        var d = Single("""
            public static partial class W
            {
                [Delegates(typeof(Target), nameof(Target.Typed))] public static int M(int value, MKwargs kwargs = default) => value;
            }
            """, "GN0105", out _);

        Assert.Contains("Parameter 'fallback'", d.GetMessage());
        Assert.Contains("type parameter 'T'", d.GetMessage());
    }

    [Fact]
    public void GN0106_AParamsArrayOnTheWrapperLeavesNoPlaceForTheBag()
    {
        var d = Single("""
            public static partial class W
            {
                [Delegates(typeof(Target), nameof(Target.Run))] public static int M(int x, MKwargs kwargs = default, params int[] rest) => x;
            }
            """, "GN0106", out _);
        Assert.Contains("must end with a parameter 'MKwargs kwargs = default'", d.GetMessage());
    }

    [Fact]
    public void GN0106_MissingBagParameter()
    {
        var d = Single("""
            public static partial class W
            {
                [Delegates(typeof(Target), nameof(Target.Run))] public static int M(int x) => x;
            }
            """, "GN0106", out var at);

        Assert.Equal("M", at);
        Assert.Contains("'M' must end with a parameter 'MKwargs kwargs = default'", d.GetMessage());
    }

    [Fact]
    public void GN0107_TwoWrappersWithOneName()
    {
        var source = """
            using GenNet;
            namespace Demo
            {
                public static partial class W
                {
                    [Delegates(typeof(Target), nameof(Target.Run))] public static int M(int x, MKwargs kwargs = default) => x;
                    [Delegates(typeof(Target), nameof(Target.Run))] public static int M(string s, MKwargs kwargs = default) => 0;
                }
            }
            """;
        var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(new[] { Targets, source }), new DelegatesGenerator());

        Assert.Equal(2, run.GeneratorDiagnostics.Length);
        Assert.All(run.GeneratorDiagnostics, d =>
        {
            Assert.Equal("GN0107", d.Id);
            Assert.Equal("M", Located(run, d));
            Assert.Contains("another overload of 'M' also has [Delegates]", d.GetMessage());
        });
    }

    [Fact]
    public void GN0108_Cycle()
    {
        var source = """
            using GenNet;
            namespace Demo
            {
                public static partial class W
                {
                    [Delegates(nameof(B))] public static int A(int x, AKwargs kwargs = default) => x;
                    [Delegates(nameof(A))] public static int B(int x, BKwargs kwargs = default) => x;
                }
            }
            """;
        var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(new[] { Targets, source }), new DelegatesGenerator());

        Assert.Equal(2, run.GeneratorDiagnostics.Length);
        var a = run.GeneratorDiagnostics.Single(d => d.GetMessage().StartsWith("'W.A(", System.StringComparison.Ordinal));
        Assert.Equal("GN0108", a.Id);
        Assert.Equal("Delegates(nameof(B))", Located(run, a));
        Assert.Contains("W.A(int, AKwargs) → W.B(int, BKwargs) → W.A(int, AKwargs)", a.GetMessage());
    }

    [Fact]
    public void GN0109_ButNamesAnUnknownParameterAsAWarningAndStillGenerates()
    {
        var source = """
            using GenNet;
            namespace Demo
            {
                public static partial class W
                {
                    [Delegates(typeof(Target), nameof(Target.Run), But = new[] { "scael" })] public static int M(int x, MKwargs kwargs = default) => kwargs.Run(x);
                }
            }
            """;
        var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(new[] { Targets, source }), new DelegatesGenerator());

        var d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("GN0109", d.Id);
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Contains("But names 'scael', which is not a parameter of 'Target.Run(int, double, string)'", d.GetMessage());
        Assert.Empty(run.CompilationErrors);
        Assert.Contains("double scale = 1D", run.Generated["Demo.W.M.Delegates.g.cs"]);
    }
}

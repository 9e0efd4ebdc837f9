using System.Linq;
using GenNet.Generators.Delegates;
using GenNet.Tests.Generators.Harness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace GenNet.Tests.Api;

/// <summary>
/// The example of docs/delegates-generator.md ("The case you meet first"), verbatim: the lesson's
/// <c>conv(ni, nf, ks=3, stride=2, act=True, **kwargs)</c> over TorchSharp's overloaded <c>nn.Conv2d</c>, compiled with
/// the generator against the real TorchSharp and run.
/// </summary>
public sealed class DelegatesConvExampleTests
{
    // Keep in step with the documentation's code block.
    private const string Layers = """
        using GenNet;
        using TorchSharp;
        using static TorchSharp.torch;

        public static partial class Layers
        {
            /// <summary>The lesson's conv: "same" padding for odd kernels, then a ReLU unless act is false.</summary>
            /// <param name="ni">Input channels.</param>
            /// <param name="nf">Output channels.</param>
            /// <param name="ks">Kernel size.</param>
            /// <param name="stride">Stride.</param>
            /// <param name="act">Whether a ReLU follows.</param>
            /// <param name="kwargs">nn.Conv2d's other options.</param>
            [Delegates(typeof(nn), nameof(nn.Conv2d),
                ParameterTypes = new[] { typeof(long), typeof(long), typeof(long), typeof(long) },
                But = new[] { "padding" })]
            public static nn.Module<Tensor, Tensor> Conv(long ni, long nf, long ks = 3, long stride = 2, bool act = true, ConvKwargs kwargs = default)
            {
                var res = kwargs.Conv2d(ni, nf, ks, stride, padding: ks / 2);
                return act ? nn.Sequential(res, nn.ReLU()) : res;
            }
        }
        """;

    private const string Callers = """
        using TorchSharp;
        using static TorchSharp.torch;

        public static class Callers
        {
            public static string Run()
            {
                using var x = randn(2, 1, 28, 28);
                var c1 = Layers.Conv(1, 8);                                   // 3x3, stride 2, padding 1, then ReLU
                var c2 = Layers.Conv(8, 16, ks: 5, stride: 1, act: false,     // Conv2d's own options, by name
                                     bias: false, padding_mode: PaddingModes.Reflect);
                var y = c2.call(c1.call(x));
                var names = string.Join(",", c2.named_parameters().Select(p => p.name));
                return $"{string.Join("x", y.shape)} {names} {c1.GetType().Name} {c2.GetType().Name}";
            }
        }
        """;

    [Fact]
    public void TheDocumentedConvCompilesAndBuildsTheLayers()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(new[] { Layers, Callers.Replace("using TorchSharp;", "using System.Linq;\nusing TorchSharp;") }, assemblyName: nameof(DelegatesConvExampleTests)), new DelegatesGenerator());

        Assert.Empty(run.GeneratorDiagnostics.Where(d => d.Severity != DiagnosticSeverity.Hidden));
        Assert.True(run.CompilationErrors.Count == 0, string.Join("\n", run.CompilationErrors));
        var result = (string)run.EmitAndLoad().GetType("Callers")!.GetMethod("Run")!.Invoke(null, null)!;

        // 28 -> 14 (3x3, stride 2, padding 1) -> 14 (5x5, stride 1, padding 2); no bias; act picked the types.
        Assert.Equal("2x16x14x14 weight Sequential Conv2d", result);
    }

    [Fact]
    public void AMisspeltConv2dOptionIsACompileError()
    {
        const string misspelt = "public static class Bad { public static object Make() => Layers.Conv(1, 8, paddingmode: TorchSharp.PaddingModes.Reflect); }";
        var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(new[] { Layers, misspelt }), new DelegatesGenerator());

        Assert.Contains(run.CompilationErrors, d => d.Id == "CS1739" && d.GetMessage().Contains("paddingmode"));
    }
}

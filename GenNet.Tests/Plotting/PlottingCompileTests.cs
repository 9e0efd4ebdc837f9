using System.Linq;
using GenNet.Tests.Generators.Harness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace GenNet.Tests.Plotting;

/// <summary>
/// The plotting helpers' delegated options are real parameters of GenNet.Runtime's generated overloads: user code
/// compiled against the runtime assembly can name them, and a misspelt one is the compiler's own error at the call.
/// </summary>
public sealed class PlottingCompileTests
{
    private static Diagnostic[] Errors(string body)
    {
        var source = $$"""
            using GenNet.Plotting;
            using static TorchSharp.torch;
            public static class User
            {
                public static object Run(Tensor xb, string[] names)
                {
                    {{body}}
                }
            }
            """;
        var compilation = GeneratorHarness.CreateCompilation(new[] { source }, assemblyName: "PlottingUser");
        return compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
    }

    [Fact]
    public void DelegatedOptionsCompileThroughTheWholeChain()
    {
        // ImShow's options through ShowImage; Figure.Create's through Subplots, GetGrid and ShowImages.
        Assert.Empty(Errors("""
            Plot.ShowImage(xb[0], title: "boot", cmap: "gray", vmin: 0, vmax: 1, interpolation: Interpolation.Nearest, aspect: Aspect.Auto, alpha: 0.5);
            Plot.Subplots(3, 3, imsize: 2, suptitle: "s", dpi: 50, facecolor: "white", wspace: 0.1);
            Plot.GetGrid(7, title: "t", weight: FontWeight.Normal, size: 10, imsize: 1, hspace: 0.3);
            return Plot.ShowImages(xb[..16], imsize: 1.7, titles: names, title: "batch", dpi: 72);
            """));
    }

    [Theory]
    [InlineData("Plot.ShowImage(xb[0], cmapp: \"gray\")", "cmapp")]
    [InlineData("Plot.ShowImage(xb[0], titel: \"boot\")", "titel")]
    [InlineData("Plot.ShowImages(xb, imsiz: 1.7)", "imsiz")]
    [InlineData("Plot.GetGrid(4, dpii: 10)", "dpii")]
    public void AMisspeltOptionDoesNotCompile(string call, string name)
    {
        var errors = Errors($"return {call};");
        var error = Assert.Single(errors);
        Assert.Equal("CS1739", error.Id); // "The best overload for 'ShowImage' does not have a parameter named 'cmapp'"
        Assert.Contains($"'{name}'", error.GetMessage());
    }
}

/// <summary>Users import TorchSharp, TorchSharp.Modules and <c>using static TorchSharp.torch</c> next to GenNet.Plotting.</summary>
public sealed class PlottingNameTests
{
    [Fact]
    public void NoPlottingTypeSharesASimpleNameWithATorchSharpTypeUsersImport()
    {
        var torchSharp = typeof(TorchSharp.torch).Assembly;
        var imported = torchSharp.GetExportedTypes()
            .Where(t => !t.IsNested && t.Namespace is "TorchSharp" or "TorchSharp.Modules")
            .Concat(typeof(TorchSharp.torch).GetNestedTypes())
            .Concat(typeof(TorchSharp.torch.nn).GetNestedTypes())
            .Select(t => t.Name) // includes the generic arity (`1), so only same-arity names clash
            .ToHashSet();
        Assert.Contains("Tensor", imported); // the set is real
        var plotting = typeof(GenNet.Plotting.Plot).Assembly.GetExportedTypes()
            .Where(t => !t.IsNested && t.Namespace == "GenNet.Plotting").Select(t => t.Name).ToArray();
        Assert.Contains("Figure", plotting);
        var clashes = plotting.Where(imported.Contains).ToArray();
        Assert.True(clashes.Length == 0, "clashing names: " + string.Join(", ", clashes));
    }
}

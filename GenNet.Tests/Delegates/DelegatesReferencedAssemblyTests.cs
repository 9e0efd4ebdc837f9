using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using GenNet.Generators.Delegates;
using GenNet.Tests.Generators.Delegates;
using GenNet.Tests.Generators.Harness;
using Xunit;

namespace GenNet.Tests.Delegates;

/// <summary>
/// A wrapper whose target lives in another assembly, compiled separately (with its XML documentation file) and
/// referenced as metadata: the generated code is compiled, loaded and run, and its results compared with calling
/// the target directly.
/// </summary>
public sealed class DelegatesReferencedAssemblyTests
{
    private const string Callers = """
        namespace Demo
        {
            public static class Callers
            {
                public static string ThroughWrapper() => Plot.ShowImage(new float[3], new Canvas(), title: "t", cmap: "gray", alpha: 0.75, mode: BlendMode.Over);
                public static string Direct() => new Canvas().ImShow(new float[3], cmap: "gray", alpha: 0.75, mode: BlendMode.Over, zorder: 2) + " t";
                public static string WrapperDefaults() => Plot.ShowImage(new float[2], new Canvas());
                public static string DirectDefaults() => new Canvas().ImShow(new float[2], zorder: 2) + " ";
            }
        }
        """;

    [Fact]
    public void ForwardsNamedValuesAndDefaultsToATargetInAnotherAssembly()
    {
        var library = DelegatesSources.CompileLibrary(DelegatesSources.Canvas, "CanvasLibraryForRun");
        var compilation = GeneratorHarness.CreateCompilation(new[] { DelegatesSources.Plot, Callers }, assemblyName: "CanvasConsumerForRun",
            extraReferences: new[] { DelegatesSources.Reference(library, withDocumentation: false) });

        var run = GeneratorHarness.Run(compilation, new DelegatesGenerator());
        Assert.Empty(run.GeneratorDiagnostics);
        using var image = new MemoryStream();
        var emitted = run.Output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));

        var context = new AssemblyLoadContext("DelegatesReferencedAssembly", isCollectible: true);
        try
        {
            context.LoadFromStream(new MemoryStream(library.Image));
            image.Position = 0;
            var callers = context.LoadFromStream(image).GetType("Demo.Callers")!;
            string Call(string name) => (string)callers.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null)!;

            Assert.Equal(Call("Direct"), Call("ThroughWrapper"));
            Assert.Equal(Call("DirectDefaults"), Call("WrapperDefaults"));
            Assert.Contains("gray 0.75 Over 2", Call("ThroughWrapper")); // the values really differ from the defaults
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void ChainsReachThroughAWrapperInAnotherAssembly()
    {
        // The library holds Subplots (a wrapper with Keep over Pyplot.Subplots) and its generated overload; the
        // consumer's GetGrid delegates to it, gaining Subplots' own options and those Subplots gained from Pyplot.
        string grid = DelegatesSources.Grid;
        int getGrid = grid.LastIndexOf('\n', grid.IndexOf("/// <summary>A grid for", System.StringComparison.Ordinal)) + 1;
        string librarySource = grid.Substring(0, getGrid) + "    }\n}\n";
        var libraryCompilation = GeneratorHarness.CreateCompilation(new[] { librarySource }, assemblyName: "GridLibrary");
        var libraryRun = GeneratorHarness.Run(libraryCompilation, new DelegatesGenerator());
        using var libraryImage = new MemoryStream();
        Assert.True(libraryRun.Output.Emit(libraryImage).Success);

        const string consumer = """
            using GenNet;
            namespace App
            {
                public static partial class Grids
                {
                    [Delegates(typeof(Demo.Plotting), nameof(Demo.Plotting.Subplots))]
                    public static Demo.Figure GetGrid(int n, int nrows = 0, int ncols = 0, GetGridKwargs kwargs = default)
                        => kwargs.Subplots(nrows > 0 ? nrows : 2, ncols > 0 ? ncols : (n + 1) / 2);

                    public static string Call() => GetGrid(6, imsize: 2, sharey: true).ToString();
                    public static string Expected() => Demo.Plotting.Subplots(2, 3, imsize: 2, sharey: true).ToString();
                }
            }
            """;
        var compilation = GeneratorHarness.CreateCompilation(new[] { consumer }, assemblyName: "GridConsumer",
            extraReferences: new[] { Microsoft.CodeAnalysis.MetadataReference.CreateFromImage(libraryImage.ToArray()) });
        var run = GeneratorHarness.Run(compilation, new DelegatesGenerator());
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains("bool sharey = false", run.Generated["App.Grids.GetGrid.Delegates.g.cs"]);
        using var image = new MemoryStream();
        var emitted = run.Output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));

        var context = new AssemblyLoadContext("DelegatesChainAcrossAssemblies", isCollectible: true);
        try
        {
            context.LoadFromStream(new MemoryStream(libraryImage.ToArray()));
            image.Position = 0;
            var grids = context.LoadFromStream(image).GetType("App.Grids")!;
            string Call(string name) => (string)grids.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null)!;

            Assert.Equal(Call("Expected"), Call("Call"));
            Assert.Contains("ShareY = True", Call("Call"));
            Assert.Contains("Size = (6, 4)", Call("Call"));
        }
        finally
        {
            context.Unload();
        }
    }
}

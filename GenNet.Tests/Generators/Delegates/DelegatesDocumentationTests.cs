using System.Linq;
using System.Text;
using GenNet.Generators.Delegates;
using GenNet.Tests.Generators.Harness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace GenNet.Tests.Generators.Delegates;

/// <summary>
/// The generated overload carries the wrapper's docs and the target's parameter docs wherever they come from.
/// <see cref="ISymbol.GetDocumentationCommentXml"/> is empty for source when documentation is off and for metadata
/// in command-line builds; each test first shows which case it is in, then checks the generated docs.
/// </summary>
public sealed class DelegatesDocumentationTests
{
    private const string HintName = "Demo.Plot.ShowImage.Delegates.g.cs";
    private const string AlphaDoc = "<param name=\"alpha\">Opacity from 0 to 1.</param>";
    private const string CmapDoc = "<param name=\"cmap\">The colour map applied to <paramref name=\"image\" />.</param>";
    private const string WrapperSummary = "/// <summary>Shows an image with a title.</summary>";

    private static IMethodSymbol ImShow(Compilation compilation)
        => compilation.GetTypeByMetadataName("Demo.Canvas")!.GetMembers("ImShow").OfType<IMethodSymbol>().Single();

    private static Diagnostic[] GeneratedCodeWarnings(GeneratorRun run)
        => run.Output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal) == true)
            .ToArray();

    [Theory]
    [InlineData(DocumentationMode.Parse)]
    [InlineData(DocumentationMode.Diagnose)]
    public void SourceTargetsDocsComeFromTheCompiler(DocumentationMode mode)
    {
        var compilation = GeneratorHarness.CreateCompilation(new[] { DelegatesSources.Canvas, DelegatesSources.Plot }, documentationMode: mode);
        Assert.NotEmpty(ImShow(compilation).GetDocumentationCommentXml()!);

        var run = GeneratorHarness.Run(compilation, new DelegatesGenerator());

        Assert.Contains(AlphaDoc, run.Generated[HintName]);
        Assert.Contains(CmapDoc, run.Generated[HintName]);
        Assert.Contains(WrapperSummary, run.Generated[HintName]);
        Assert.Empty(GeneratedCodeWarnings(run)); // e.g. no CS1573/CS1734 doc warnings, which warnings-as-errors would make errors
    }

    [Fact]
    public void SourceTargetsDocsComeFromTheirTriviaWhenDocumentationIsOff()
    {
        var compilation = GeneratorHarness.CreateCompilation(new[] { DelegatesSources.Canvas, DelegatesSources.Plot }, documentationMode: DocumentationMode.None);
        Assert.Empty(ImShow(compilation).GetDocumentationCommentXml() ?? "");

        var run = GeneratorHarness.Run(compilation, new DelegatesGenerator());

        Assert.Contains(AlphaDoc, run.Generated[HintName]);
        Assert.Contains(WrapperSummary, run.Generated[HintName]);
        Assert.Contains("<param name=\"title\">A title.</param>", run.Generated[HintName]);
        Assert.Empty(run.CompilationErrors);
    }

    [Fact]
    public void ReferencedTargetsDocsComeFromTheirDocumentationProvider()
    {
        var library = DelegatesSources.CompileLibrary(DelegatesSources.Canvas, "CanvasWithProvider");
        var compilation = GeneratorHarness.CreateCompilation(new[] { DelegatesSources.Plot },
            extraReferences: new[] { DelegatesSources.Reference(library, withDocumentation: true) });
        Assert.NotEmpty(ImShow(compilation).GetDocumentationCommentXml()!);

        var run = GeneratorHarness.Run(compilation, new DelegatesGenerator());

        Assert.Contains(AlphaDoc, run.Generated[HintName]);
        Assert.Empty(run.CompilationErrors);
    }

    [Fact]
    public void ReferencedTargetsDocsComeFromTheirXmlFileAsAnAdditionalFileInCommandLineBuilds()
    {
        var library = DelegatesSources.CompileLibrary(DelegatesSources.Canvas, "CanvasCommandLine");
        var compilation = GeneratorHarness.CreateCompilation(new[] { DelegatesSources.Plot },
            extraReferences: new[] { DelegatesSources.Reference(library, withDocumentation: false) });
        Assert.Empty(ImShow(compilation).GetDocumentationCommentXml() ?? "");
        var xml = new InMemoryAdditionalText("/nuget/canvas/lib/CanvasCommandLine.xml", Encoding.UTF8.GetString(library.Documentation));

        var run = GeneratorHarness.Run(compilation, new[] { xml }, new DelegatesGenerator());

        Assert.Contains(AlphaDoc, run.Generated[HintName]);
        Assert.Contains("<param name=\"zorder\">Drawing order.</param>", run.Generated[HintName]); // a forwarded (But) parameter's doc too
        Assert.Empty(run.CompilationErrors);
    }

    [Fact]
    public void WithoutAnyDocsTheOverloadInheritsThemFromTheTargetForTheIde()
    {
        var library = DelegatesSources.CompileLibrary(DelegatesSources.Canvas, "CanvasNoDocs");
        var compilation = GeneratorHarness.CreateCompilation(new[] { DelegatesSources.Plot }, documentationMode: DocumentationMode.Diagnose,
            extraReferences: new[] { DelegatesSources.Reference(library, withDocumentation: false) });
        var unrelatedXml = new InMemoryAdditionalText("/other/Unrelated.xml", "<doc><members/></doc>");

        var run = GeneratorHarness.Run(compilation, new[] { unrelatedXml }, new DelegatesGenerator());

        Assert.Contains(
            "<param name=\"alpha\"><inheritdoc cref=\"M:Demo.Canvas.ImShow(System.Single[],System.String,System.Double,Demo.BlendMode,System.Nullable{System.Int32})\" path=\"/param[@name='alpha']/node()\"/></param>",
            run.Generated[HintName]);
        Assert.Contains(WrapperSummary, run.Generated[HintName]);
        Assert.Empty(GeneratedCodeWarnings(run));
    }

    [Fact]
    public void TheBagsPropertiesCarryTheTargetsDocs()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(new[] { DelegatesSources.Canvas, DelegatesSources.Plot }), new DelegatesGenerator());

        Assert.Contains("/// <summary>Opacity from 0 to 1.</summary>\n            public double Alpha", run.Generated[HintName]);
        // `image` is not a parameter of the property, so the reference becomes code rather than a CS1734 warning.
        Assert.Contains("/// <summary>The colour map applied to <c>image</c>.</summary>", run.Generated[HintName]);
    }
}

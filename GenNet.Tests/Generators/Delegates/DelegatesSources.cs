using System.IO;
using System.Linq;
using GenNet.Tests.Generators.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace GenNet.Tests.Generators.Delegates;

/// <summary>Consumer sources shared by the [Delegates] generator tests, and a way to compile one as a referenced library.</summary>
internal static class DelegatesSources
{
    /// <summary>
    /// Compiles <paramref name="source"/> into an in-memory library with its XML documentation file, as a package or a
    /// project reference would provide them.
    /// </summary>
    public static (byte[] Image, byte[] Documentation) CompileLibrary(string source, string assemblyName)
    {
        var compilation = GeneratorHarness.CreateCompilation(new[] { source }, documentationMode: DocumentationMode.Diagnose, assemblyName: assemblyName);
        using var image = new MemoryStream();
        using var xml = new MemoryStream();
        var result = compilation.Emit(image, xmlDocumentationStream: xml);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return (image.ToArray(), xml.ToArray());
    }

    /// <summary>A reference to a compiled library, with its documentation (as the IDE has it) or without (as csc has it).</summary>
    public static MetadataReference Reference((byte[] Image, byte[] Documentation) library, bool withDocumentation)
        => MetadataReference.CreateFromImage(library.Image,
            documentation: withDocumentation ? new XmlFileDocumentation(library.Documentation) : null);

    /// <summary>
    /// What an IDE gives a metadata reference: documentation read from the assembly's XML file. (Roslyn's own
    /// XmlDocumentationProvider lives in the Workspaces assembly, which the tests do not otherwise need.)
    /// </summary>
    private sealed class XmlFileDocumentation(byte[] xml) : DocumentationProvider
    {
        private readonly System.Xml.Linq.XDocument _file = System.Xml.Linq.XDocument.Load(new MemoryStream(xml));

        protected override string GetDocumentationForSymbol(string documentationMemberID, System.Globalization.CultureInfo preferredCulture,
            System.Threading.CancellationToken cancellationToken = default)
            => _file.Descendants("member").FirstOrDefault(m => (string?)m.Attribute("name") == documentationMemberID)?.ToString() ?? "";

        public override bool Equals(object? obj) => ReferenceEquals(this, obj);

        public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);
    }

    /// <summary>A documented instance target, its enum, and a wrapper with an own parameter, an excluded one and docs.</summary>
    public const string Canvas = """
        namespace Demo
        {
            /// <summary>How pixels are blended.</summary>
            public enum BlendMode { Over, Add }

            /// <summary>A drawing surface.</summary>
            public sealed class Canvas
            {
                /// <summary>Draws an image.</summary>
                /// <param name="image">The pixels.</param>
                /// <param name="cmap">The colour map applied to <paramref name="image"/>.</param>
                /// <param name="alpha">Opacity from 0 to 1.</param>
                /// <param name="mode">How pixels are blended.</param>
                /// <param name="zorder">Drawing order.</param>
                /// <returns>A description of what was drawn.</returns>
                public string ImShow(float[] image, string? cmap = null, double alpha = 0.5, BlendMode mode = BlendMode.Add, int? zorder = null)
                    => $"{image.Length} {cmap} {alpha} {mode} {zorder}";
            }
        }
        """;

    public const string Plot = """
        using GenNet;

        namespace Demo
        {
            public static partial class Plot
            {
                /// <summary>Shows an image with a title.</summary>
                /// <param name="image">The image.</param>
                /// <param name="canvas">Where to draw.</param>
                /// <param name="title">A title.</param>
                /// <param name="kwargs">Forwarded to the canvas.</param>
                /// <returns>What was drawn, and the title.</returns>
                [Delegates(typeof(Canvas), nameof(Canvas.ImShow), But = new[] { "zorder" })]
                public static string ShowImage(float[] image, Canvas canvas, string? title = null, ShowImageKwargs kwargs = default)
                    => kwargs.ImShow(canvas, image, zorder: 2) + " " + title;
            }
        }
        """;

    /// <summary>The lesson's plotting chain in miniature: GetGrid → Subplots (Keep) → a static Pyplot.Subplots.</summary>
    public const string Grid = """
        using System;
        using GenNet;

        namespace Demo
        {
            /// <summary>A figure.</summary>
            public sealed record Figure(int Rows, int Columns, bool ShareX, bool ShareY, bool Squeeze, (double Width, double Height) Size);

            /// <summary>A stand-in for matplotlib.</summary>
            public static class Pyplot
            {
                /// <summary>Creates a figure and a grid of axes.</summary>
                /// <param name="nrows">Rows of axes.</param>
                /// <param name="ncols">Columns of axes.</param>
                /// <param name="sharex">Share the x axis between <paramref name="nrows"/>.</param>
                /// <param name="sharey">Share the y axis.</param>
                /// <param name="squeeze">Drop dimensions of size one.</param>
                /// <param name="figsize">Figure size in inches.</param>
                /// <returns>The figure.</returns>
                public static Figure Subplots(int nrows = 1, int ncols = 1, bool sharex = false, bool sharey = false, bool squeeze = true, (double Width, double Height)? figsize = null)
                    => new(nrows, ncols, sharex, sharey, squeeze, figsize ?? (6.4, 4.8));
            }

            public static partial class Plotting
            {
                /// <summary>A figure whose size follows the grid.</summary>
                /// <param name="nrows">Rows.</param>
                /// <param name="ncols">Columns.</param>
                /// <param name="figsize">Figure size in inches, or null for <paramref name="imsize"/> per image.</param>
                /// <param name="imsize">Inches per image.</param>
                /// <param name="kwargs">Forwarded to <see cref="Pyplot.Subplots"/>.</param>
                /// <returns>The figure.</returns>
                [Delegates(typeof(Pyplot), nameof(Pyplot.Subplots), Keep = true)]
                public static Figure Subplots(int nrows = 1, int ncols = 1, (double Width, double Height)? figsize = null, double imsize = 3, SubplotsKwargs kwargs = default)
                    => kwargs.Subplots(nrows, ncols, figsize ?? (ncols * imsize, nrows * imsize));

                /// <summary>A grid for <paramref name="n"/> images.</summary>
                /// <param name="n">How many images.</param>
                /// <param name="nrows">Rows, or 0 to choose.</param>
                /// <param name="ncols">Columns, or 0 to choose.</param>
                /// <param name="kwargs">Forwarded to <see cref="Subplots"/>.</param>
                /// <returns>The figure.</returns>
                [Delegates(nameof(Subplots))]
                public static Figure GetGrid(int n, int nrows = 0, int ncols = 0, GetGridKwargs kwargs = default)
                {
                    int rows = nrows > 0 ? nrows : ncols > 0 ? (n + ncols - 1) / ncols : (int)Math.Sqrt(n);
                    return kwargs.Subplots(rows, ncols > 0 ? ncols : (n + rows - 1) / rows);
                }
            }
        }
        """;
}

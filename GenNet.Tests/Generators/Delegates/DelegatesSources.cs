namespace GenNet.Tests.Generators.Delegates;

/// <summary>Consumer sources shared by the [Delegates] generator tests.</summary>
internal static class DelegatesSources
{
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
}

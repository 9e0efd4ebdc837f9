using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GenNet.Imaging;
using GenNet.Plotting;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace GenNet.Tests.Plotting;

/// <summary>
/// Figures are saved as real PNGs, decoded with <see cref="Png"/> and inspected pixel by pixel: sizes, where an image
/// lands and in which colours, title bands, hidden axes, line plots and legends.
/// </summary>
public sealed class PlottingTests
{
    private const byte Background = 255;

    /// <summary>A decoded RGBA PNG with pixel access.</summary>
    private sealed class Picture(Image8 image)
    {
        public int Width => image.Width;
        public int Height => image.Height;

        public (byte R, byte G, byte B, byte A) this[int x, int y]
        {
            get
            {
                var i = (y * image.Width + x) * 4;
                return (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2], image.Pixels[i + 3]);
            }
        }

        public bool IsBackground(int x, int y)
        {
            var p = this[x, y];
            return p.R == Background && p.G == Background && p.B == Background;
        }

        /// <summary>Pixels in [x0, x1) × [y0, y1) (clamped to the picture) that are not the white background.</summary>
        public int CountInk(double x0, double y0, double x1, double y1)
        {
            var count = 0;
            for (var y = Math.Max(0, (int)Math.Floor(y0)); y < Math.Min(Height, (int)Math.Ceiling(y1)); y++)
                for (var x = Math.Max(0, (int)Math.Floor(x0)); x < Math.Min(Width, (int)Math.Ceiling(x1)); x++)
                    if (!IsBackground(x, y)) count++;
            return count;
        }

        /// <summary>Renders and decodes; with GENNET_PLOT_TEST_OUT set, also keeps each PNG there to look at.</summary>
        public static Picture Of(Figure figure, double? dpi = null, [System.Runtime.CompilerServices.CallerMemberName] string caller = "")
        {
            var png = figure.ToPng(dpi);
            if (Environment.GetEnvironmentVariable("GENNET_PLOT_TEST_OUT") is { Length: > 0 } folder)
            {
                Directory.CreateDirectory(folder);
                File.WriteAllBytes(Path.Combine(folder, $"{caller}-{Guid.NewGuid():N}.png"[..(caller.Length + 9)] + ".png"), png);
            }
            return new(Png.Decode(png, 4));
        }
    }

    private static void AssertColor((byte R, byte G, byte B) expected, (byte R, byte G, byte B, byte A) actual, int tolerance, string where)
    {
        Assert.True(Math.Abs(expected.R - actual.R) <= tolerance && Math.Abs(expected.G - actual.G) <= tolerance && Math.Abs(expected.B - actual.B) <= tolerance,
            $"{where}: expected ({expected.R}, {expected.G}, {expected.B}), got ({actual.R}, {actual.G}, {actual.B})");
    }

    /// <summary>
    /// Checks every image pixel's block in the PNG: its centre (and the points a third of the way in from its corners)
    /// must have the expected colour. Block edges are skipped: that is where resampling may blend.
    /// </summary>
    private static void AssertImageDrawn(Picture picture, PixelBox box, int rows, int columns, Func<int, int, (byte R, byte G, byte B)> expected, int tolerance)
    {
        var (cellW, cellH) = (box.Width / columns, box.Height / rows);
        Assert.True(cellW >= 6 && cellH >= 6, "image blocks too small to sample");
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
                foreach (var (fx, fy) in new[] { (0.5, 0.5), (0.3, 0.3), (0.7, 0.3), (0.3, 0.7), (0.7, 0.7) })
                {
                    var x = (int)(box.Left + (c + fx) * cellW);
                    var y = (int)(box.Top + (r + fy) * cellH);
                    AssertColor(expected(r, c), picture[x, y], tolerance, $"image pixel ({r}, {c}) at PNG ({x}, {y})");
                }
    }

    [Fact]
    public void SavedSizeIsFigsizeTimesDpi()
    {
        using var batch = torch.rand(16, 1, 28, 28);
        var figure = Plot.ShowImages(batch, imsize: 1.7);
        Assert.Equal((4, 4), (figure.Rows, figure.Columns));
        var png = Png.Decode(figure.ToPng());
        Assert.Equal((680, 680), (png.Width, png.Height));

        var custom = Figure.Create(figsize: (3, 2), dpi: 50);
        Assert.Equal((150, 100), (Png.Decode(custom.ToPng()).Width, Png.Decode(custom.ToPng()).Height));
        var sharper = Png.Decode(custom.ToPng(dpi: 200));
        Assert.Equal((600, 400), (sharper.Width, sharper.Height));

        var eight = Plot.ShowImages(batch[..8], imsize: 1.7); // the lesson's 8 images: 2×4, 6.8 × 3.4 in
        Assert.Equal((2, 4), (eight.Rows, eight.Columns));
        Assert.Equal((680, 340), eight.PixelSize());
    }

    [Fact]
    public void SavePngWritesTheFileAndMakesItsFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "gennet-plot-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = Path.Combine(folder, "sub", "one.png");
            var ax = Plot.ShowImage(new float[,] { { 0, 1 }, { 1, 0 } }, figsize: (2, 1), title: "x");
            Assert.Equal(Path.GetFullPath(path), ax.Figure.SavePng(path));
            var image = Png.Decode(File.ReadAllBytes(path));
            Assert.Equal((200, 100), (image.Width, image.Height));
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!)); // no temporary file left behind
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("gray")]
    [InlineData("viridis")]
    [InlineData(null)] // the default, viridis
    public void AOneChannelImageLandsInItsCellThroughTheColormap(string? cmap)
    {
        // 4 rows × 3 columns of distinct values in an arbitrary range: imshow scales min..max onto the colormap.
        var values = new float[,] { { 3, 7, 5 }, { 11, 2, 9 }, { 4, 8, 6 }, { 10, 1, 12 } };
        var figure = Plot.Subplots(2, 2, imsize: 2);
        var ax = Plot.ShowImage(values, figure[1, 0], cmap: cmap, interpolation: Interpolation.Nearest);
        Assert.Same(figure[1, 0], ax);

        var picture = Picture.Of(figure);
        var box = ax.GetPixelBox();
        // Equal aspect: the box is the image's shape (3 wide, 4 high), inside the bottom-left cell.
        Assert.Equal(3.0 / 4.0, box.Width / box.Height, 3);
        Assert.InRange(box.Left, 0, picture.Width / 2.0);
        Assert.InRange(box.Top, picture.Height / 2.0, picture.Height);
        var map = cmap is null ? Colormap.Viridis : Colormap.FromName(cmap);
        AssertImageDrawn(picture, box, 4, 3, (r, c) => map.Map((values[r, c] - 1) / 11.0), tolerance: 1);

        // The other three cells stay empty but framed: ink on their frame, none around the image (noFrame).
        Assert.Equal(0, picture.CountInk(box.Left - 4, box.Top - 4, box.Right + 4, box.Top - 1));
        Assert.True(picture.CountInk(figure[0, 0].GetPixelBox().Left - 1, figure[0, 0].GetPixelBox().Top - 1,
            figure[0, 0].GetPixelBox().Right + 1, figure[0, 0].GetPixelBox().Top + 1) > 50);
    }

    [Fact]
    public void VminAndVmaxFixTheColourRange()
    {
        var values = new byte[,] { { 0, 64 }, { 128, 255 } };
        var ax = Plot.ShowImage(values, figsize: (2, 2), cmap: "gray", vmin: 0, vmax: 510, interpolation: Interpolation.Nearest);
        var picture = Picture.Of(ax.Figure);
        AssertImageDrawn(picture, ax.GetPixelBox(), 2, 2, (r, c) => Colormap.Gray.Map(values[r, c] / 510.0), tolerance: 1);
        Assert.Equal((128, 128, 128), Colormap.Gray.Map(255 / 510.0)); // halfway is mid-grey, so the range was applied
    }

    [Fact]
    public void ChwTensorsBecomeHwcAndRgbIsDrawnAsIs()
    {
        // A 3×2×5 (CHW) float tensor: red varies along x, green along y, blue constant.
        using var red = torch.linspace(0, 1, 5).expand(2, 5);
        using var green = torch.tensor(new float[] { 0.25f, 0.75f }).unsqueeze(1).expand(2, 5);
        using var blue = torch.full(2, 5, 0.5f);
        using var chw = torch.stack(new[] { red, green, blue });
        using var needsGrad = chw.clone().requires_grad_(true); // detached by ShowImage, as the lesson does
        var ax = Plot.ShowImage(needsGrad, figsize: (4, 2), interpolation: Interpolation.Nearest);
        var picture = Picture.Of(ax.Figure);
        var box = ax.GetPixelBox();
        Assert.Equal(5.0 / 2.0, box.Width / box.Height, 3);
        AssertImageDrawn(picture, box, 2, 5, (r, c) => ((byte)Math.Round(c / 4.0 * 255), (byte)(r == 0 ? 64 : 191), (byte)128), tolerance: 1);

        // The same image as bytes in an Image8 (HWC), and as a byte tensor: the same pixels.
        var bytes = new byte[2 * 5 * 3];
        for (var r = 0; r < 2; r++)
            for (var c = 0; c < 5; c++)
            {
                bytes[(r * 5 + c) * 3] = (byte)Math.Round(c / 4.0 * 255);
                bytes[(r * 5 + c) * 3 + 1] = (byte)(r == 0 ? 64 : 191);
                bytes[(r * 5 + c) * 3 + 2] = 128;
            }
        var fromImage8 = Plot.ShowImage(new Image8(bytes, 5, 2, 3), figsize: (4, 2), interpolation: Interpolation.Nearest);
        Assert.Equal(ax.Figure.ToPng(), fromImage8.Figure.ToPng());
        // (HWC with fewer than 5 rows would be read as CHW, as in the lesson; so the tensor is given as CHW.)
        using var hwc = torch.tensor(bytes, new long[] { 2, 5, 3 }, ScalarType.Byte);
        using var byteTensor = hwc.permute(2, 0, 1);
        var fromTensor = Plot.ShowImage(byteTensor, figsize: (4, 2), interpolation: Interpolation.Nearest);
        Assert.Equal(ax.Figure.ToPng(), fromTensor.Figure.ToPng());
    }

    [Fact]
    public void OneChannelTensorsAreSqueezedAndTheDefaultInterpolationKeepsBlocksSharp()
    {
        using var image = torch.arange(0, 12, dtype: ScalarType.Float32).reshape(1, 3, 4) / 11; // 1×3×4: CHW with one channel
        var ax = Plot.ShowImage(image, figsize: (4, 3), cmap: "gray"); // enlarged ~60×: 'antialiased' means nearest
        var picture = Picture.Of(ax.Figure);
        AssertImageDrawn(picture, ax.GetPixelBox(), 3, 4, (r, c) => Colormap.Gray.Map((r * 4 + c) / 11.0), tolerance: 1);
    }

    [Fact]
    public void TitledCellsHaveInkInTheirTitleBandAndUntitledOnesNone()
    {
        using var batch = torch.rand(6, 28, 28);
        var titles = new[] { "T-shirt/top", "", "Sneaker", "Bag" }; // 2 untitled by an empty string and 2 by having no title
        var figure = Plot.ShowImages(batch, titles: titles, imsize: 1.7);
        Assert.Equal((2, 3), (figure.Rows, figure.Columns));
        var picture = Picture.Of(figure);
        for (var i = 0; i < 6; i++)
        {
            var box = figure.Axes[i].GetPixelBox();
            // The band above the image: the title's baseline sits 6 pt (8 px) above the box, its capitals ~12 px above that.
            // (20 px: inside the ~24 px gap to the row above at this size, so the row above's images stay out.)
            var ink = picture.CountInk(box.Left, box.Top - 20, box.Right, box.Top - 1);
            var titled = i < titles.Length && titles[i].Length > 0;
            if (titled)
                Assert.True(ink > 30, $"cell {i} ('{titles[i]}') has {ink} ink pixels in its title band");
            else
                Assert.True(ink == 0, $"untitled cell {i} has {ink} ink pixels in its title band");
        }
    }

    [Fact]
    public void SpareAxesOfAGridAreHiddenAndStayBlank()
    {
        using var batch = torch.rand(5, 28, 28);
        var figure = Plot.ShowImages(batch, title: "five", imsize: 1.5);
        Assert.Equal((2, 3), (figure.Rows, figure.Columns));
        Assert.False(figure.Axes[5].AxisVisible);
        var picture = Picture.Of(figure);
        var spare = figure.Axes[5].GetPixelBox();
        // The whole cell and a margin for a frame, ticks and labels short of the neighbours' images: nothing drawn.
        Assert.Equal(0, picture.CountInk(spare.Left - 10, spare.Top - 10, spare.Right + 10, spare.Bottom + 20));
        // A used cell next to it has ink, so the check above can fail.
        var used = figure.Axes[4].GetPixelBox();
        Assert.True(picture.CountInk(used.Left, used.Top, used.Right, used.Bottom) > used.Width * used.Height / 2);

        // The suptitle: bold 14 pt text centred in the top 2% + its height.
        Assert.True(picture.CountInk(0, 0, picture.Width, 0.02 * picture.Height + 20) > 50);
        Assert.Equal(0, picture.CountInk(0, 0, picture.Width / 3.0, 0.02 * picture.Height + 20)); // centred: nothing in the left third
    }

    [Fact]
    public void GetGridFollowsTheLessonArithmetic()
    {
        // The lesson's get_grid at the time it was taught, evaluated by Python itself.
        var script = """
            import math, json
            def grid(n, nrows=None, ncols=None):
                if nrows: ncols = ncols or int(math.ceil(n/nrows))
                elif ncols: nrows = nrows or int(math.ceil(n/ncols))
                else:
                    nrows = int(math.sqrt(n))
                    ncols = int(math.ceil(n/nrows))
                return [nrows, ncols]
            cases = [[n, 0, 0] for n in range(1, 21)] + [[n, r, 0] for n in range(1, 21) for r in (1, 2, 3, 5)] + [[n, 0, c] for n in range(1, 21) for c in (1, 3, 4, 7)] + [[8, 3, 2], [5, 1, 1]]
            print(json.dumps([c + grid(c[0], c[1] or None, c[2] or None) for c in cases]))
            """;
        var run = Support.ProcessRunner.Run("/usr/bin/python3", new[] { "-c", script }, Path.GetTempPath(), TimeSpan.FromMinutes(1));
        Assert.True(run.ExitCode == 0, run.Output);
        var cases = System.Text.Json.JsonSerializer.Deserialize<int[][]>(run.StandardOutput)!;
        Assert.True(cases.Length > 100);
        foreach (var c in cases)
        {
            Assert.True((c[3], c[4]) == Plot.GridShape(c[0], c[1], c[2]), $"n={c[0]} nrows={c[1]} ncols={c[2]}: lesson {c[3]}×{c[4]}, GenNet {Plot.GridShape(c[0], c[1], c[2])}");
            if (c[3] * c[4] < c[0])
                continue; // both given and too small ([5, 1, 1]): no grid to check
            var figure = Plot.GetGrid(c[0], c[1], c[2], imsize: 0.5);
            Assert.Equal((c[3], c[4]), (figure.Rows, figure.Columns));
            Assert.Equal(c[3] * c[4] - c[0], figure.Axes.Count(a => !a.AxisVisible));
            Assert.True(figure.Axes.Take(c[0]).All(a => a.AxisVisible));
        }
        // The later miniai rounded ncols down and dropped images (8 images, 3 rows → 3×2); the lesson-time rule does not.
        Assert.Equal((3, 3), Plot.GridShape(8, nrows: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Plot.GridShape(0));
        var tooMany = Assert.Throws<ArgumentException>(() => Plot.ShowImages(new ImageData[] { new float[,] { { 1 } }, new float[,] { { 2 } } }, nrows: 1, ncols: 1));
        Assert.Contains("no room for 2 images", tooMany.Message);
    }

    [Fact]
    public void SubplotsSizesTheFigureFromTheGridAndTakesFigureOptions()
    {
        var (figure, axes) = Plot.Subplots(2, 3, imsize: 1.5, suptitle: "grid", dpi: 40, facecolor: "#102030");
        Assert.Equal(6, axes.Count);
        Assert.Equal((4.5, 3.0), (figure.Width, figure.Height));
        Assert.Equal((180, 120), figure.PixelSize());
        var picture = Picture.Of(figure);
        AssertColor((0x10, 0x20, 0x30), picture[1, picture.Height - 2], 0, "the face colour");
        Assert.Equal((300, 300), Plot.Subplots().PixelSize()); // the lesson's default: imsize 3 per axes
        Assert.Equal((640, 480), Figure.Create().PixelSize()); // matplotlib's own default, 6.4 × 4.8 in
        Assert.Equal((200, 100), Plot.Subplots(3, 3, figsize: (2, 1)).PixelSize()); // figsize wins over imsize
    }

    [Fact]
    public void LinePlotsDrawCurvesLabelsAndALegendWhereTheCurvesAreNot()
    {
        double[] epochs = [1, 2, 3, 4, 5];
        double[] train = [0.9, 0.6, 0.5, 0.45, 0.42];
        double[] valid = [0.7, 0.55, 0.5, 0.48, 0.47];
        Figure Draw(bool legend)
        {
            var figure = Figure.Create(figsize: (6, 4));
            var ax = figure.Axes[0].Plot(epochs, train, label: "train").Plot(epochs, valid, label: "valid")
                .SetXLabel("epoch").SetYLabel("loss").SetTitle("loss");
            if (legend) ax.Legend();
            return figure;
        }
        var withLegend = Draw(legend: true);
        var picture = Picture.Of(withLegend);
        var ax = withLegend.Axes[0];
        var box = ax.GetPixelBox();
        // Limits: the data plus 5% margins, as matplotlib's autoscale.
        var (x0, x1, y0, y1) = (1 - 0.2, 5 + 0.2, 0.42 - 0.024, 0.9 + 0.024);
        (double X, double Y) At(double x, double y) => (box.Left + (x - x0) / (x1 - x0) * box.Width, box.Bottom - (y - y0) / (y1 - y0) * box.Height);
        bool Near((double X, double Y) p, (byte, byte, byte) color)
        {
            for (var dy = -2; dy <= 2; dy++)
                for (var dx = -2; dx <= 2; dx++)
                {
                    var q = picture[(int)p.X + dx, (int)p.Y + dy];
                    if (Math.Abs(q.R - color.Item1) <= 24 && Math.Abs(q.G - color.Item2) <= 24 && Math.Abs(q.B - color.Item3) <= 24) return true;
                }
            return false;
        }
        var c0 = ((byte)0x1f, (byte)0x77, (byte)0xb4);
        var c1 = ((byte)0xff, (byte)0x7f, (byte)0x0e);
        Assert.True(Near(At(1, 0.9), c0) && Near(At(2, 0.6), c0) && Near(At(5, 0.42), c0), "train curve (C0) not where its points are");
        Assert.True(Near(At(1, 0.7), c1) && Near(At(2, 0.55), c1) && Near(At(4, 0.48), c1), "valid curve (C1) not where its points are");

        // Both curves fall from the upper left: 'best' puts the legend in the upper right, whose only C1 ink is its handle.
        int CountColor(Picture p, (byte, byte, byte) color, double xa, double ya, double xb, double yb)
        {
            var n = 0;
            for (var y = (int)ya; y < (int)yb; y++)
                for (var x = (int)xa; x < (int)xb; x++)
                    if ((p[x, y].R, p[x, y].G, p[x, y].B) == color) n++;
            return n;
        }
        var upperRight = (box.Left + box.Width * 0.6, box.Top + 2, box.Right - 2, box.Top + box.Height * 0.3);
        Assert.True(CountColor(picture, c1, upperRight.Item1, upperRight.Item2, upperRight.Item3, upperRight.Item4) > 10);
        var noLegend = Picture.Of(Draw(legend: false));
        Assert.Equal(0, CountColor(noLegend, c1, upperRight.Item1, upperRight.Item2, upperRight.Item3, upperRight.Item4));

        // Tick labels and the x label under the axes; tick labels and the y label left of it; the title above.
        Assert.True(picture.CountInk(box.Left, box.Bottom + 3, box.Right, picture.Height) > 200);
        Assert.True(picture.CountInk(0, box.Top, box.Left - 3, box.Bottom) > 200);
        Assert.True(picture.CountInk(box.Left, 0, box.Right, box.Top - 2) > 30);
    }

    [Fact]
    public void BadInputIsAClearError()
    {
        using var fourD = torch.zeros(2, 3, 4, 5);
        Assert.Contains("[2, 3, 4, 5]", Assert.Throws<ArgumentException>(() => Plot.ShowImage(fourD)).Message);
        using var twoChannels = torch.zeros(2, 4, 4);
        Assert.Contains("1, 3 or 4 channels", Assert.Throws<ArgumentException>(() => Plot.ShowImage(twoChannels)).Message);
        Assert.Contains("viridis", Assert.Throws<ArgumentException>(() => Plot.ShowImage(new float[,] { { 1 } }, cmap: "nope")).Message);
        Assert.Contains("vmin", Assert.Throws<ArgumentException>(() => Plot.ShowImage(new float[,] { { 1 } }, vmin: 2, vmax: 1)).Message);
        Assert.Contains("needs 12", Assert.Throws<ArgumentException>(() => ImageData.FromBytes(new byte[10], 2, 2, 3)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Figure.Create(figsize: (-1, 2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Figure.Create(figsize: (1000, 2), dpi: 100));
        Assert.Contains("colour", Assert.Throws<ArgumentException>(() => Figure.Create(facecolor: "blurple")).Message);
        Assert.Contains("xs has 2", Assert.Throws<ArgumentException>(() => Figure.Create().Axes[0].Plot([1.0, 2], [1.0])).Message);
        Assert.Contains("3 titles for 2 images", Assert.Throws<ArgumentException>(
            () => Plot.ShowImages(new ImageData[] { new float[,] { { 1 } }, new float[,] { { 2 } } }, titles: ["a", "b", "c"])).Message);
    }

    [Fact]
    public void TheDefaultColormapIsProcessWideLikeRcParams()
    {
        var before = Colormap.Default;
        try
        {
            Colormap.Default = Colormap.Gray;
            var ax = Plot.ShowImage(new float[,] { { 0, 1 } }, figsize: (2, 1));
            AssertImageDrawn(Picture.Of(ax.Figure), ax.GetPixelBox(), 1, 2, (_, c) => c == 0 ? ((byte)0, (byte)0, (byte)0) : ((byte)255, (byte)255, (byte)255), 1);
        }
        finally
        {
            Colormap.Default = before;
        }
        Assert.Same(Colormap.Viridis, Colormap.Default);
    }

    [Fact]
    public void TorchSharpsOwnSkiaSharpUseWorksWithTheResolvedVersion()
    {
        // TorchSharp 0.107 draws TensorBoard image summaries with SkiaSharp 2.88; GenNet resolves SkiaSharp 2.88.9 and
        // brings the native library, so this path (which has no native Skia with plain TorchSharp) now runs.
        Assert.Equal(new Version(2, 88, 0, 0), typeof(SkiaSharp.SKBitmap).Assembly.GetName().Version);
        var folder = Path.Combine(Path.GetTempPath(), "gennet-tb-" + Guid.NewGuid().ToString("N"));
        try
        {
            var writer = torch.utils.tensorboard.SummaryWriter(folder);
            using var image = torch.rand(3, 8, 8);
            writer.add_img("image", image, 0);
            var events = Directory.GetFiles(folder, "events.out.tfevents.*", SearchOption.AllDirectories);
            var bytes = File.ReadAllBytes(Assert.Single(events));
            var signature = new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' };
            Assert.True(bytes.AsSpan().IndexOf(signature) >= 0, "no PNG inside the TensorBoard event file");
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}

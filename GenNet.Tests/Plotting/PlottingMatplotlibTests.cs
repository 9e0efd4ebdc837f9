using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using GenNet.Imaging;
using GenNet.Plotting;
using GenNet.Tests.Support;
using Xunit;

namespace GenNet.Tests.Plotting;

/// <summary>
/// The same figures drawn by real matplotlib (Debian's python3-matplotlib, Agg backend) in the same run: where each
/// axes lands in the saved PNG, which colour a value gets, and the pixels inside an image's blocks.
/// </summary>
public sealed class PlottingMatplotlibTests
{
    private static JsonElement RunPython(string script)
    {
        var run = ProcessRunner.Run("/usr/bin/python3", new[] { "-c", script }, Path.GetTempPath(), TimeSpan.FromMinutes(2),
            new Dictionary<string, string?> { ["MPLBACKEND"] = "Agg", ["MPLCONFIGDIR"] = Path.Combine(Path.GetTempPath(), "gennet-mplconfig") });
        Assert.True(run.ExitCode == 0, run.Output);
        return JsonDocument.Parse(run.StandardOutput).RootElement;
    }

    private sealed record Case(int Rows, int Columns, double Width, double Height, double Dpi, int ImageRows, int ImageColumns, int DrawOn);

    private static readonly Case[] Cases =
    [
        new(2, 4, 6.8, 3.4, 100, 28, 28, -1),  // the lesson's show_images of 8: every axes shows a square image
        new(1, 1, 6.4, 4.8, 100, 4, 3, 0),     // a tall image in matplotlib's default figure
        new(2, 2, 4, 4, 100, 4, 3, 2),         // one image in the bottom-left cell, three empty axes
        new(1, 1, 4, 2, 50, 2, 5, 0),          // a wide image at another dpi
        new(3, 3, 4.5, 4.5, 100, 28, 28, -1),
    ];

    [Fact]
    public void AxesLandWhereMatplotlibPutsThem()
    {
        var cases = string.Join(", ", Cases.Select(c => string.Create(CultureInfo.InvariantCulture,
            $"({c.Rows}, {c.Columns}, {c.Width}, {c.Height}, {c.Dpi}, {c.ImageRows}, {c.ImageColumns}, {c.DrawOn})")));
        var script = $$"""
            import json, numpy as np, matplotlib
            import matplotlib.pyplot as plt
            out = []
            for rows, cols, w, h, dpi, ir, ic, on in [{{cases}}]:
                fig, axs = plt.subplots(rows, cols, figsize=(w, h), dpi=dpi, squeeze=False)
                for i, ax in enumerate(axs.flat):
                    if on < 0 or on == i: ax.imshow(np.arange(ir * ic).reshape(ir, ic))
                fig.canvas.draw()
                W, H = fig.canvas.get_width_height()
                boxes = []
                for ax in axs.flat:
                    p = ax.get_position()
                    boxes.append([p.x0 * W, (1 - p.y1) * H, p.x1 * W, (1 - p.y0) * H])
                out.append({"size": [W, H], "boxes": boxes})
                plt.close(fig)
            print(json.dumps(out))
            """;
        var expected = RunPython(script);
        for (var k = 0; k < Cases.Length; k++)
        {
            var c = Cases[k];
            var figure = Plot.Subplots(c.Rows, c.Columns, figsize: (c.Width, c.Height), dpi: c.Dpi);
            for (var i = 0; i < figure.Axes.Count; i++)
                if (c.DrawOn < 0 || c.DrawOn == i)
                    figure.Axes[i].ImShow(new float[c.ImageRows, c.ImageColumns]);
            var mpl = expected[k];
            // (Sizes whose product is not exact in binary, such as 5.1 in × 100 dpi, are left out: matplotlib truncates
            // 509.99999… to 509 pixels where GenNet rounds to 510.)
            Assert.True((mpl.GetProperty("size")[0].GetInt32(), mpl.GetProperty("size")[1].GetInt32()) == figure.PixelSize(), $"case {k}: size {mpl.GetProperty("size")}");
            for (var i = 0; i < figure.Axes.Count; i++)
            {
                var box = figure.Axes[i].GetPixelBox();
                var m = mpl.GetProperty("boxes")[i].EnumerateArray().Select(v => v.GetDouble()).ToArray();
                var ours = new[] { box.Left, box.Top, box.Right, box.Bottom };
                for (var e = 0; e < 4; e++)
                    Assert.True(Math.Abs(ours[e] - m[e]) < 0.01, $"case {k} axes {i}: matplotlib [{string.Join(", ", m)}], GenNet [{string.Join(", ", ours)}]");
            }
        }
    }

    [Fact]
    public void ColormapsGiveMatplotlibsBytes()
    {
        double[] ts = [-0.5, 0, 1 / 512.0, 1 / 256.0, 0.1, 0.3333, 0.5, 0.75, 255 / 256.0, 0.99999, 1, 1.5];
        var script = $$"""
            import json, numpy as np, matplotlib
            ts = np.array([{{string.Join(", ", ts.Select(t => t.ToString("R", CultureInfo.InvariantCulture)))}}])
            print(json.dumps({name: matplotlib.colormaps[name](ts, bytes=True)[:, :3].tolist() for name in ["viridis", "gray", "gray_r", "binary"]}))
            """;
        var expected = RunPython(script);
        foreach (var name in new[] { "viridis", "gray", "gray_r", "binary" })
            for (var i = 0; i < ts.Length; i++)
            {
                var m = expected.GetProperty(name)[i].EnumerateArray().Select(v => v.GetInt32()).ToArray();
                var (r, g, b) = Colormap.FromName(name).Map(ts[i]);
                Assert.True((m[0], m[1], m[2]) == (r, g, b), $"{name}({ts[i]}): matplotlib ({string.Join(", ", m)}), GenNet ({r}, {g}, {b})");
            }
    }

    [Fact]
    public void AnImageIsDrawnWithMatplotlibsPixels()
    {
        // show_image(im, figsize=(3, 3), title='boot') of a 4×3 float image, nearest interpolation, default viridis.
        var values = new float[,] { { 3, 7, 5 }, { 11, 2, 9 }, { 4, 8, 6 }, { 10, 1, 12 } };
        var path = Path.Combine(Path.GetTempPath(), "gennet-mpl-" + Guid.NewGuid().ToString("N") + ".png");
        try
        {
            var script = $$"""
                import json, numpy as np, matplotlib
                import matplotlib.pyplot as plt
                fig, ax = plt.subplots(figsize=(3, 3))
                ax.imshow(np.array([[3, 7, 5], [11, 2, 9], [4, 8, 6], [10, 1, 12]], dtype=np.float32), interpolation='nearest')
                ax.set_title('boot'); ax.set_xticks([]); ax.set_yticks([]); ax.axis('off')
                fig.savefig({{JsonSerializer.Serialize(path)}})
                print(json.dumps(1))
                """;
            RunPython(script);
            var theirs = Png.Decode(File.ReadAllBytes(path), 3);
            var ax = Plot.ShowImage(values, figsize: (3, 3), title: "boot", interpolation: Interpolation.Nearest);
            var ours = Png.Decode(ax.Figure.ToPng(), 3);
            Assert.Equal((theirs.Width, theirs.Height), (ours.Width, ours.Height));
            var box = ax.GetPixelBox();
            var (w, h) = (box.Width / 3, box.Height / 4);
            for (var r = 0; r < 4; r++)
                for (var c = 0; c < 3; c++)
                    foreach (var (fx, fy) in new[] { (0.5, 0.5), (0.2, 0.2), (0.8, 0.2), (0.2, 0.8), (0.8, 0.8) })
                    {
                        var (x, y) = ((int)(box.Left + (c + fx) * w), (int)(box.Top + (r + fy) * h));
                        var i = (y * ours.Width + x) * 3;
                        for (var ch = 0; ch < 3; ch++)
                            Assert.True(Math.Abs(ours.Pixels[i + ch] - theirs.Pixels[i + ch]) <= 1,
                                $"block ({r}, {c}) at ({x}, {y}) channel {ch}: matplotlib {theirs.Pixels[i + ch]}, GenNet {ours.Pixels[i + ch]}");
                    }
            // Both have the title in the band above the image, and nothing else outside it.
            int Ink(Image8 im, int y0, int y1)
            {
                var n = 0;
                for (var y = y0; y < y1; y++)
                    for (var x = 0; x < im.Width; x++)
                        if (im.Pixels[(y * im.Width + x) * 3] < 200) n++;
                return n;
            }
            var band = ((int)box.Top - 24, (int)box.Top - 1);
            var (mine, matplotlibs) = (Ink(ours, band.Item1, band.Item2), Ink(theirs, band.Item1, band.Item2));
            Assert.True(mine > 20 && matplotlibs > 20, $"title ink: GenNet {mine}, matplotlib {matplotlibs}");
            Assert.InRange(mine, matplotlibs / 2, matplotlibs * 2); // the same text at the same size, give or take hinting
            Assert.Equal(0, Ink(ours, 0, band.Item1));
            Assert.Equal(0, Ink(theirs, 0, band.Item1));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
